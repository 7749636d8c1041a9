/**
 * Tencent Cloud 实时语音识别 (ASR WebSocket API v2, `wss://asr.cloud.tencent.com/asr/v2/<appid>?…`) as a
 * SpeechRecognizer. It runs in the main process: a stream is a WebSocket to Tencent, nothing is computed here.
 *
 * The protocol, as Tencent documents it (cloud.tencent.com/document/product/1093/48982) and its own SDKs implement it
 * (tencentcloud-speech-sdk-go asr/speechrecognizer.go, -python asr/speech_recognizer.py):
 *   - one connection per stream, a new `voice_id` each time;
 *   - the URL's query (secretid, timestamp, expired, nonce, engine_model_type, voice_id, voice_format, needvad …)
 *     sorted by name, `host + path + '?' + query` signed with HMAC-SHA1 under the SecretKey, base64, URL-encoded into
 *     `signature`;
 *   - the server answers the handshake with a JSON text message, `code` 0 or an error (4002: 鉴权失败) and a close;
 *   - audio goes as binary messages (voice_format 1: 16 kHz 16-bit mono PCM), at no more than real time;
 *   - results come as `{code, message, voice_id, message_id, result: {slice_type, index, start_time, end_time,
 *     voice_text_str, …}}`: slice_type 0 a sentence starts, 1 its changing text, 2 the sentence settled;
 *   - the text message `{"type":"end"}` ends the audio; the server settles the rest and sends `final: 1`.
 * We cannot reach Tencent from here: tencent-asr.test.ts checks this against a local server playing Tencent's part.
 * Nothing is logged of what was said; the voice_id is (Tencent's support asks for it).
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { RecognitionStream, RecognizerEvent, SpeechRecognizer } from '../speech.types.ts';

export type TencentAsrConfig = {
  appId: string;
  secretId: string;
  secretKey: string;
  /** e.g. `16k_zh` (Mandarin, 16 kHz). */
  engineModelType: string;
  /** `wss://asr.cloud.tencent.com/asr/v2`; the AppId is appended as the last path segment. */
  endpoint: string;
};

type TencentAsrDeps = {
  logger: Logger;
  /** How long Tencent has to answer the handshake (default 10 s). */
  openTimeoutMs?: number;
  /** How far the audio sent may run ahead of real time before push() waits (default 1 s; Tencent wants ≤ 1:1). */
  maxLeadMs?: number;
};

/** A message from Tencent, as documented (fields we do not use are left out). */
export type TencentAsrMessage = {
  code: number;
  message?: string;
  voice_id?: string;
  message_id?: string;
  final?: number;
  result?: {
    slice_type: number;
    index: number;
    start_time: number;
    end_time: number;
    voice_text_str: string;
  };
};

const SAMPLES_PER_MS = 16;
/** Bytes queued in the socket beyond which push() waits until its frame is written out. */
const HIGH_WATER_BYTES = 64 * 1024;
/** The signature's lifetime: long enough for the handshake, short enough to be worthless if a URL leaks. */
const SIGNATURE_TTL_SECONDS = 60 * 60;
const END_MESSAGE = JSON.stringify({ type: 'end' });

/** The signed URL for one connection (exported for the test's fake server to be checked against). */
export function tencentAsrUrl(config: TencentAsrConfig, voiceId: string, now = Date.now()): string {
  const base = new URL(config.endpoint);
  const path = `${base.pathname.replace(/\/+$/, '')}/${config.appId}`;
  const timestamp = Math.floor(now / 1000);
  const params: Record<string, string> = {
    secretid: config.secretId,
    timestamp: String(timestamp),
    expired: String(timestamp + SIGNATURE_TTL_SECONDS),
    nonce: String(randomInt(1, 2 ** 31 - 1)),
    engine_model_type: config.engineModelType,
    voice_id: voiceId,
    voice_format: '1',
    needvad: '1',
    // figures as figures ("13%"), Tencent's own punctuation kept, nothing filtered
    convert_num_mode: '1',
    filter_dirty: '0',
    filter_modal: '0',
    filter_punc: '0',
    word_info: '0',
  };
  // Every value here is URL-safe (checked at creation), so the signed text and the sent query are the same bytes.
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${encodeURIComponent(params[k]!)}`)
    .join('&');
  const signature = createHmac('sha1', config.secretKey).update(`${base.host}${path}?${query}`).digest('base64');
  return `${base.protocol}//${base.host}${path}?${query}&signature=${encodeURIComponent(signature)}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createTencentAsrRecognizer(config: TencentAsrConfig, deps: TencentAsrDeps): SpeechRecognizer {
  const log = deps.logger.child({ module: 'speech', driver: 'tencent' });
  const openTimeoutMs = deps.openTimeoutMs ?? 10_000;
  const maxLeadMs = deps.maxLeadMs ?? 1_000;
  const configured = Boolean(config.appId && config.secretId && config.secretKey);
  if (config.appId && !/^\d+$/.test(config.appId)) throw new Error('SPEECH_TENCENT_APP_ID must be the numeric AppId');
  if (!/^[\w-]+$/.test(config.engineModelType)) throw new Error('SPEECH_TENCENT_ENGINE is not an engine model type');
  const live = new Set<() => void>();
  let closed = false;

  async function open(id: string, onEvent: (event: RecognizerEvent) => void): Promise<RecognitionStream> {
    if (closed) throw new Error('Tencent ASR recogniser is closed');
    if (!configured) throw new Error('Tencent ASR is not configured (AppId, SecretId, SecretKey)');
    const voiceId = randomUUID();
    const ctx = { streamId: id, voiceId };
    const ws = new WebSocket(tencentAsrUrl(config, voiceId), {
      handshakeTimeout: openTimeoutMs,
      perMessageDeflate: false,
      maxPayload: 1024 * 1024,
    });

    /** open: waiting for the handshake; live: streaming; done: `final` came; failed: error or close; aborted. */
    let state: 'open' | 'live' | 'done' | 'failed' | 'aborted' = 'open';
    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    let finishing: Promise<void> | undefined;
    let startedAt = 0;
    let sentMs = 0;

    const emit = (event: RecognizerEvent) => {
      if (state === 'live') onEvent(event);
    };
    const fail = (message: string) => {
      if (state !== 'live') return;
      onEvent({ type: 'error', message });
      state = 'failed';
      live.delete(abort);
      settle?.();
      ws.close();
    };
    const abort = () => {
      if (state === 'aborted') return;
      const was = state;
      state = 'aborted';
      live.delete(abort);
      settle?.();
      if (was !== 'done') ws.terminate();
    };
    live.add(abort);

    const handshake = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`Tencent ASR did not answer the handshake in ${openTimeoutMs} ms`));
        abort();
      }, openTimeoutMs);
      const refuse = (reason: string) => {
        clearTimeout(timer);
        reject(new Error(reason));
        abort();
      };

      ws.on('message', (data, isBinary) => {
        if (state === 'aborted' || state === 'done' || state === 'failed') return;
        let msg: TencentAsrMessage;
        try {
          if (isBinary) throw new Error('binary');
          msg = JSON.parse(data.toString()) as TencentAsrMessage;
          if (typeof msg.code !== 'number') throw new Error('no code');
        } catch {
          if (state === 'open') refuse('Tencent ASR sent an unreadable handshake');
          else fail('Tencent ASR sent an unreadable message');
          return;
        }
        if (msg.code !== 0) {
          log.warn({ ...ctx, code: msg.code, message: msg.message }, 'Tencent ASR returned an error');
          const reason = `Tencent ASR error ${msg.code}: ${msg.message ?? ''}`.trim();
          if (state === 'open') refuse(reason);
          else fail(reason);
          return;
        }
        if (state === 'open') {
          // the first message answers the handshake
          clearTimeout(timer);
          state = 'live';
          log.debug(ctx, 'Tencent ASR stream open');
          resolve();
          return;
        }
        const r = msg.result;
        if (r && typeof r.voice_text_str === 'string') {
          const audioMs = typeof r.end_time === 'number' ? r.end_time : undefined;
          if (r.slice_type === 2) emit({ type: 'final', text: r.voice_text_str, audioMs });
          else if (r.voice_text_str) emit({ type: 'partial', text: r.voice_text_str, audioMs });
        }
        if (msg.final === 1) {
          state = 'done';
          live.delete(abort);
          settle?.();
          ws.close(1000);
        }
      });
      ws.on('error', (err) => {
        log.warn({ ...ctx, reason: err.message }, 'Tencent ASR connection error');
        if (state === 'open') refuse(`Tencent ASR connection failed: ${err.message}`);
      });
      ws.on('close', (code) => {
        if (state === 'open') refuse(`Tencent ASR closed the connection during the handshake (${code})`);
        else if (state === 'live') fail(`Tencent ASR closed the connection (${code})`);
      });
    });
    await handshake;

    return {
      async push(pcm) {
        if (state === 'aborted' || pcm.length === 0) return;
        if (state !== 'live' || finishing) throw new Error('Tencent ASR stream is not open');
        // no faster than real time plus a little lead (Tencent errors on audio sent faster than 1:1)
        const now = Date.now();
        if (!startedAt) startedAt = now;
        sentMs += pcm.length / SAMPLES_PER_MS;
        const ahead = sentMs - (now - startedAt) - maxLeadMs;
        if (ahead > 0) await sleep(ahead);
        if (state !== 'live') {
          if (state === 'aborted') return;
          throw new Error('Tencent ASR stream is not open');
        }
        const bytes = Buffer.from(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
        await new Promise<void>((resolve, reject) => {
          ws.send(bytes, { binary: true }, (err) => (err ? reject(err) : resolve()));
          // back-pressure: wait for the write only while the socket is behind
          if (ws.bufferedAmount <= HIGH_WATER_BYTES) resolve();
        });
      },
      finish() {
        if (state !== 'live') return Promise.resolve();
        finishing ??= new Promise<void>((resolve, reject) => {
          ws.send(END_MESSAGE, (err) => {
            if (err) {
              fail(`Tencent ASR end message failed: ${err.message}`);
              reject(err);
            }
          });
          void settled.then(resolve);
        });
        return finishing;
      },
      abort,
    };
  }

  return {
    driver: 'tencent',
    open,
    ready: () => configured && !closed,
    async close() {
      closed = true;
      for (const abort of [...live]) abort();
    },
  };
}
