/**
 * The sherpa-onnx driver. Without a model: a folder that cannot load, or a corrupt model that makes onnxruntime abort
 * its process, leaves chat running and voice input refused. With SPEECH_MODEL_DIR (a streaming Chinese model, e.g.
 * `npm run speech:model`): Mandarin speech streamed over the socket comes back as text within 20% character error
 * rate. The speech is SPEECH_TEST_WAV (16-bit WAV) with its words in SPEECH_TEST_TEXT, or else espeak-ng's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRORS } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { emitAck, HttpClient, openTaxpayerChat, startTestApp } from '../../../test/harness.ts';
import {
  characterErrorRate,
  concat,
  readWav,
  SAMPLE_RATE,
  silence,
  speakMandarin,
  streamFrames,
  toFrames,
} from '../../../test/speech-audio.ts';
import type { RunningApp } from '../../app.ts';
import type { EnginePool } from './engine-pool.ts';

describe('sherpa-onnx without a usable model', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // random bytes where the model should be: onnxruntime aborts the engine process on them
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-bad-model-'));
    for (const f of [
      'encoder-epoch-99-avg-1.int8.onnx',
      'decoder-epoch-99-avg-1.onnx',
      'joiner-epoch-99-avg-1.int8.onnx',
    ])
      writeFileSync(path.join(dir, f), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    writeFileSync(path.join(dir, 'tokens.txt'), '<blk> 0\n你 1\n好 2\n');
    app = await startTestApp({ SPEECH_MODEL_DIR: dir });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the crash stays in the engine process: chat works, voice input is refused, /readyz says so', async () => {
    const tp = await openTaxpayerChat(app);
    onTestFinished(() => {
      tp.socket.disconnect();
    });
    expect(await emitAck(tp.socket, 'speech:start', {})).toEqual({
      ok: false,
      error: { code: 'SPEECH_DISABLED', message: ERRORS.SPEECH_DISABLED.message },
    });
    expect((await tp.send('你好')).ok).toBe(true);
    const ready = await new HttpClient(app.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ok: true, checks: { speech: 'down' } });
  });
});

const modelDir = process.env.SPEECH_MODEL_DIR;

describe.skipIf(!modelDir)('sherpa-onnx with SPEECH_MODEL_DIR', () => {
  const DEFAULT_TEXT = '你好，我想问一下增值税发票怎么开具。';
  let app: RunningApp;
  let speech: { samples: Int16Array; text: string } | undefined;

  beforeAll(async () => {
    app = await startTestApp({ SPEECH_DRIVER: 'sherpa-onnx', SPEECH_MODEL_DIR: modelDir as string });
    await (app.recognizer as EnginePool).whenReady(120_000);
    const given = process.env.SPEECH_TEST_WAV;
    if (given) {
      const text = process.env.SPEECH_TEST_TEXT;
      if (!text) throw new Error('SPEECH_TEST_WAV needs SPEECH_TEST_TEXT, the words spoken in it');
      const wav = readWav(given);
      if (wav.sampleRate !== SAMPLE_RATE) throw new Error(`SPEECH_TEST_WAV must be 16 kHz, is ${wav.sampleRate} Hz`);
      speech = { samples: wav.samples, text };
    } else {
      const file = speakMandarin(DEFAULT_TEXT, mkdtempSync(path.join(os.tmpdir(), 'zn-speech-')));
      if (file) speech = { samples: readWav(file).samples, text: DEFAULT_TEXT };
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('transcribes Mandarin within 20% character error rate', { timeout: 120_000 }, async (ctx) => {
    if (!speech) ctx.skip('no SPEECH_TEST_WAV, and espeak-ng or sox is missing');
    const { samples, text } = speech as { samples: Int16Array; text: string };
    const tp = await openTaxpayerChat(app);
    onTestFinished(() => {
      tp.socket.disconnect();
    });
    const started = await emitAck(tp.socket, 'speech:start', {});
    if (!started.ok) throw new Error(`speech:start refused: ${started.error.code}`);
    expect(started.data.driver).toBe('sherpa-onnx');
    const streamId = started.data.streamId;
    const frames = toFrames(concat(silence(0.3), samples, silence(1)));
    const acks = await streamFrames(tp.socket, streamId, frames, { speed: 2 });
    expect(acks.every((a) => a.ok)).toBe(true);
    const stop = await emitAck(tp.socket, 'speech:stop', { streamId }, 60_000);
    if (!stop.ok) throw new Error(`speech:stop failed: ${stop.error.code}`);
    const cer = characterErrorRate(text, stop.data.text);
    expect(cer, `recognised «${stop.data.text}» for «${text}»`).toBeLessThanOrEqual(0.2);
  });
});

describe('characterErrorRate', () => {
  it('edit distance over the reference length, punctuation and spaces left out', () => {
    expect(characterErrorRate('增值税发票', '增值税发票。')).toBe(0);
    expect(characterErrorRate('增值税发票', '增值说发票')).toBeCloseTo(0.2);
    expect(characterErrorRate('增值税发票', '增值税')).toBeCloseTo(0.4);
    expect(characterErrorRate('你好', '你们好啊')).toBe(1);
  });
});
