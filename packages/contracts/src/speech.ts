/**
 * @module speech
 * Voice input (语音转文字, PRODUCT.md §2.1): the taxpayer's browser streams 16 kHz mono 16-bit PCM over the socket and
 * the server's recogniser sends partial and settled text back, which the widget writes into the input box. Nothing is
 * sent as a message by voice alone: the taxpayer edits and presses 发送.
 *
 * Flow (all acked, like every client event):
 *   speech:start  {}                          → TSpeechStarted (a stream id and the limits) | SPEECH_DISABLED / SPEECH_BUSY / SPEECH_IN_PROGRESS
 *   speech:audio  {streamId, seq, pcm}        → null, acked once the frame is taken; the ack waits while the
 *                                               recogniser is behind (back-pressure: the client keeps at most
 *                                               SPEECH_AUDIO.maxFramesInFlight frames unacked)
 *   speech:stop   {streamId}                  → TSpeechFinal, after the recogniser has settled the last words
 *   speech:cancel {streamId}                  → null; nothing more arrives for that stream
 * Server → that socket only:
 *   speech:result {streamId, segment, text, final} — `final: false` is the live guess for the words being spoken,
 *                 `final: true` settles segment `segment` (the words up to a pause) with punctuation
 *   speech:ended  {streamId, reason, message} — the server ended a stream the client did not stop (time limit, no
 *                 audio, recogniser failure, the socket's session ended)
 * A stream belongs to the socket that started it: another socket, even the same taxpayer's, gets NOT_FOUND. The audio is
 * never stored.
 */
import { z } from 'zod';

/** The PCM the browser sends: 16 kHz, mono, signed 16-bit little-endian, about 100 ms a frame. */
export const SPEECH_AUDIO = {
  sampleRate: 16_000,
  frameMs: 100,
  /** Samples in a 100 ms frame. */
  frameSamples: 1_600,
  /** The largest frame accepted (250 ms); a frame must hold whole samples (an even byte count). */
  maxFrameBytes: 8_000,
  /** Unacked frames a client may have on the wire before it waits. */
  maxFramesInFlight: 10,
} as const;

export const SPEECH_LIMITS = {
  /** Hard cap on one stream's audio: the server ends it (reason `limit`) when this much has arrived. */
  maxSeconds: 60,
  /** The browser stops by itself after this much silence following speech. */
  silenceStopSeconds: 2,
  /** …or after this much silence when nothing was said at all. */
  noSpeechStopSeconds: 8,
  /** A stream that receives no audio for this long is ended by the server (reason `idle`). */
  idleSeconds: 10,
} as const;

/** A chunk of PCM as it crosses the socket: an ArrayBuffer or a typed array in the browser, a Buffer on the server. */
export const ZPcmChunk = z.custom<ArrayBuffer | Uint8Array>(
  (v) => v instanceof ArrayBuffer || v instanceof Uint8Array,
  '语音数据格式不正确',
);

export const ZSpeechStart = z.object({}).strict();
export const ZSpeechStreamRef = z.object({ streamId: z.uuid('语音识别编号格式不正确') });
export type TSpeechStreamRef = z.infer<typeof ZSpeechStreamRef>;
export const ZSpeechAudio = ZSpeechStreamRef.extend({
  /** 0, 1, 2 … per stream; a frame out of order or repeated is refused. */
  seq: z.number().int().nonnegative(),
  pcm: ZPcmChunk,
});
export type TSpeechAudio = z.infer<typeof ZSpeechAudio>;

export type TSpeechStarted = {
  streamId: string;
  sampleRate: number;
  frameMs: number;
  maxSeconds: number;
  /** The recogniser that serves this stream (for diagnostics; `test` is the test recogniser, never in production). */
  driver: string;
};

/** The whole settled text of a stream, as the last `speech:result`s composed it. */
export type TSpeechFinal = { streamId: string; text: string };

export type TSpeechResult = {
  streamId: string;
  /** 0, 1, 2 … — a segment is the words between two pauses. */
  segment: number;
  /** Normalised like typed text (NFKC, numbers); a final segment ends with punctuation. */
  text: string;
  final: boolean;
};

export const ZSpeechEndReason = z.enum(['limit', 'idle', 'failed', 'session']);
export type TSpeechEndReason = z.infer<typeof ZSpeechEndReason>;
export const SPEECH_END_MESSAGES: Record<TSpeechEndReason, string> = {
  limit: `单次语音输入最长 ${SPEECH_LIMITS.maxSeconds} 秒，已自动停止，您可以继续点击“语音”接着说。`,
  idle: '较长时间没有收到声音，语音输入已停止。',
  failed: '语音识别出现问题，已停止。已识别的文字仍保留在输入框中，您也可以直接输入文字。',
  session: '登录已失效，语音输入已停止。',
};
export type TSpeechEnded = { streamId: string; reason: TSpeechEndReason; message: string };

export const speechClientEvents = {
  'speech:start': ZSpeechStart,
  'speech:audio': ZSpeechAudio,
  'speech:stop': ZSpeechStreamRef,
  'speech:cancel': ZSpeechStreamRef,
} as const;
export type SpeechClientEventName = keyof typeof speechClientEvents;
