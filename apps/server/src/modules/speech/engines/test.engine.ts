/**
 * TestRecognizer — NOT speech recognition. It finds voiced stretches by their energy and describes them in words
 * (`测试识别第1段已收到1.2秒`), so tests, benchmarks and end-to-end runs can drive the whole voice-input pipeline
 * (sockets, limits, back-pressure, engine processes, normalisation) without a model. SPEECH_DRIVER=test is for tests
 * only; the server logs a warning when it runs.
 *
 * With SPEECH_TEST_CAPTURE_DIR it appends every chunk it receives, unchanged, to `<dir>/<streamId>.pcm`: the one place
 * audio is ever written, and only for tests to compare with what was sent.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CreateEngine, EngineStream } from './engine.ts';

const SAMPLE_RATE = 16_000;
/** Energy is judged over 20 ms windows. */
const WINDOW = 320;
/** RMS (of 16-bit samples) above which a window counts as voiced: about −36 dBFS, well above a quiet room. */
const VOICED_RMS = 500;
/** Silence after voice that settles a segment. */
const PAUSE_SAMPLES = 0.6 * SAMPLE_RATE;

/**
 * Full-width digits and spaces between tokens, as some recognisers write them: the service's normalisation (NFKC,
 * spaces) turns `第１段 已 收到 １.２ 秒` into `第1段已收到1.2秒`.
 */
const fullWidth = (s: string) => s.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const seconds = (samples: number) => fullWidth((samples / SAMPLE_RATE).toFixed(1));

export const createEngine: CreateEngine = async (settings) => {
  if (settings.captureDir) mkdirSync(settings.captureDir, { recursive: true });
  return {
    open(id, emit): EngineStream {
      const capture = settings.captureDir ? path.join(settings.captureDir, `${path.basename(id)}.pcm`) : undefined;
      let segment = 1;
      let voiced = 0;
      let silence = 0;
      // samples of a window not yet complete (frames need not be multiples of 20 ms)
      let carry = new Int16Array(0);
      let shown = '';
      const settle = () => {
        emit({ type: 'final', text: `测试 识别 第${fullWidth(String(segment))}段 共 ${seconds(voiced)} 秒` });
        segment += 1;
        voiced = 0;
        silence = 0;
        shown = '';
      };
      return {
        async accept(pcm) {
          if (capture) appendFileSync(capture, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
          if (settings.delayMs) await sleep((settings.delayMs * pcm.length) / (SAMPLE_RATE / 10));
          const all = new Int16Array(carry.length + pcm.length);
          all.set(carry);
          all.set(pcm, carry.length);
          let at = 0;
          for (; at + WINDOW <= all.length; at += WINDOW) {
            let sum = 0;
            for (let i = at; i < at + WINDOW; i++) sum += (all[i] as number) ** 2;
            if (Math.sqrt(sum / WINDOW) >= VOICED_RMS) {
              voiced += WINDOW;
              silence = 0;
            } else if (voiced > 0) {
              silence += WINDOW;
              if (silence >= PAUSE_SAMPLES) settle();
            }
          }
          carry = all.slice(at);
          if (voiced > 0 && silence === 0) {
            const text = `测试 识别 第${fullWidth(String(segment))}段 已 收到 ${seconds(voiced)} 秒`;
            if (text !== shown) emit({ type: 'partial', text });
            shown = text;
          }
        },
        finish() {
          if (voiced > 0) settle();
        },
        close() {},
      };
    },
  };
};
