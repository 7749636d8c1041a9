/**
 * One dictation at a time (语音, PRODUCT.md §2.1), as a store for useSyncExternalStore:
 *   idle → starting (speech:start, then the microphone) → recording (frames stream out) → stopping (the microphone is
 *   released at once, the last frames go out, speech:stop brings the settled text) → idle; any refusal → error.
 * The text box shows `base` (what it held when the dictation started) + the settled segments + the live guess, on
 * every result; the settled text of speech:stop replaces them at the end. Frames go out in order with seq 0, 1, 2 …,
 * at most SPEECH_AUDIO.maxFramesInFlight unacked; the rest wait here (audio is never dropped).
 *
 * The realtime client and the microphone are arguments, so tests drive the class with the fake socket and a fake
 * capture.
 */
import { SPEECH_AUDIO, SPEECH_LIMITS, type TSpeechEnded, type TSpeechResult } from '@zhengna/contracts';
import { EventError, type RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import { INITIAL_SILENCE, noteRecognised, type SilenceState, trackSilence } from './auto-stop.ts';
import type { PcmFrame } from './pcm-framer.ts';
import { type AudioCapture, captureError, type StartCapture, VoiceCaptureError } from './voice-capture.ts';

export type VoiceStatus = 'idle' | 'starting' | 'recording' | 'stopping' | 'error';

/** What to tell the taxpayer: `unavailable` when the site has no recogniser (SPEECH_DISABLED). */
export type VoiceNotice = { kind: 'unavailable' | 'error'; message: string };

export interface VoiceSnapshot {
  readonly status: VoiceStatus;
  /** RMS of the latest frame, 0…1. */
  readonly level: number;
  /** Seconds of audio recorded. */
  readonly elapsed: number;
  /** The longest dictation, in seconds. */
  readonly maxSeconds: number;
  readonly notice: VoiceNotice | null;
}

export type SpeechChannel = Pick<RealtimeClient, 'request' | 'on'>;

const START_TIMEOUT_MS = 10_000;
/** An audio ack waits while the recogniser is behind; this long means the link is gone. */
const AUDIO_TIMEOUT_MS = 20_000;
/** The recogniser settles the last words before speech:stop is acked. */
const STOP_TIMEOUT_MS = 15_000;
const CANCEL_TIMEOUT_MS = 5_000;
/** The browser stops this much before the server's cap, so the last words are settled rather than cut off. */
const LIMIT_MARGIN_SECONDS = 0.5;
const FAILED = '语音输入出现问题，请稍后重试，或直接输入文字。';
const MICROPHONE_LOST = '麦克风已断开，语音输入已停止。已识别的文字仍保留在输入框中。';
/**
 * Said when the browser stops at the time limit: SPEECH_END_MESSAGES.limit in words. Not imported, like the other end
 * messages (speech:ended carries its own): contracts' speech module is in the widget's first load, and what this chunk
 * reads from it would be too.
 */
const limitMessage = (max: number) => `单次语音输入最长 ${max} 秒，已自动停止，您可以继续点击“语音”接着说。`;

/** Joins the dictated text to what was typed before, with a space only between two Latin words or numbers. */
export function joinText(base: string, text: string): string {
  if (!base || !text || /\s$/.test(base)) return base + text;
  return /[\x21-\x7e]$/.test(base) && /^[A-Za-z0-9]/.test(text) ? `${base} ${text}` : base + text;
}

/** m:ss */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function noticeFor(err: unknown): VoiceNotice {
  if (err instanceof EventError)
    return { kind: err.code === 'SPEECH_DISABLED' ? 'unavailable' : 'error', message: err.message };
  if (err instanceof VoiceCaptureError) return { kind: 'error', message: err.message };
  return { kind: 'error', message: FAILED };
}

/** One server stream and its microphone. */
interface Stream {
  id: string | null;
  /** live: recording; stopping: the last frames and speech:stop; done: over (nothing more is sent or shown). */
  state: 'live' | 'stopping' | 'done';
  capture: AudioCapture | null;
  /** The server ended the stream for want of audio while the microphone was still opening (a permission prompt). */
  expired: boolean;
  seq: number;
  samples: number;
  queue: { seq: number; pcm: ArrayBuffer }[];
  inFlight: number;
  drained: (() => void) | null;
  /** The server no longer holds this stream (a new speech:start may go out). */
  free: () => void;
  unsubscribe: () => void;
}

/** A function, so TypeScript does not narrow the state across awaits (another path may end the stream meanwhile). */
const isDone = (stream: Stream): boolean => stream.state === 'done';

const IDLE: VoiceSnapshot = {
  status: 'idle',
  level: 0,
  elapsed: 0,
  maxSeconds: SPEECH_LIMITS.maxSeconds,
  notice: null,
};

export class VoiceSession {
  private snapshot: VoiceSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private stream: Stream | null = null;
  /** Resolves once the server holds no stream of ours (one per taxpayer: a new start waits for the old to end). */
  private released: Promise<void> = Promise.resolve();
  private base = '';
  private finals = new Map<number, string>();
  private partial: { segment: number; text: string } | null = null;
  private onText: (text: string) => void = () => {};
  private silence: SilenceState = INITIAL_SILENCE;

  constructor(
    private readonly client: SpeechChannel,
    private readonly capture: StartCapture,
  ) {}

  // ---------------------------------------------------------------- store

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): VoiceSnapshot => this.snapshot;

  private set(patch: Partial<VoiceSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  // ---------------------------------------------------------------- commands

  /** Starts dictating after `base`; `onText` receives the whole text for the box on every result. */
  async start(base: string, onText: (text: string) => void): Promise<void> {
    if (this.stream) return;
    const previous = this.released;
    let free!: () => void;
    this.released = new Promise<void>((resolve) => {
      free = resolve;
    });
    const stream: Stream = {
      id: null,
      state: 'live',
      capture: null,
      expired: false,
      seq: 0,
      samples: 0,
      queue: [],
      inFlight: 0,
      drained: null,
      free,
      unsubscribe: () => {},
    };
    this.stream = stream;
    this.base = base;
    this.onText = onText;
    this.finals = new Map();
    this.partial = null;
    this.silence = INITIAL_SILENCE;
    this.set({ ...IDLE, status: 'starting' });

    const offResult = this.client.on('speech:result', (raw) => this.handleResult(stream, raw));
    const offEnded = this.client.on('speech:ended', (raw) => this.handleEnded(stream, raw));
    stream.unsubscribe = () => {
      offResult();
      offEnded();
    };

    await previous;
    if (!(await this.open(stream))) return;
    try {
      stream.capture = await this.capture(
        (frame) => this.handleFrame(stream, frame),
        () => void this.finish(stream, { kind: 'error', message: MICROPHONE_LOST }),
      );
    } catch (err) {
      if (!isDone(stream)) this.end(stream, noticeFor(captureError(err)), true);
      return;
    }
    if (isDone(stream)) {
      void stream.capture.stop();
      return;
    }
    // the permission prompt outlasted the server's patience: a fresh stream, the taxpayer notices nothing
    if (stream.expired && !(await this.open(stream))) return;
    this.set({ status: 'recording' });
  }

  /** speech:start for `stream`; false (and the stream ended) when refused or abandoned meanwhile. */
  private async open(stream: Stream): Promise<boolean> {
    if (isDone(stream)) {
      stream.free();
      return false;
    }
    try {
      const started = await this.client.request('speech:start', {}, START_TIMEOUT_MS);
      stream.id = started.streamId;
      stream.expired = false;
      if (started.maxSeconds > 0) this.snapshot = { ...this.snapshot, maxSeconds: started.maxSeconds };
    } catch (err) {
      stream.id = null;
      if (!isDone(stream)) this.end(stream, noticeFor(err), false);
      stream.free();
      return false;
    }
    if (isDone(stream)) {
      this.giveBack(stream);
      return false;
    }
    this.pump(stream);
    return true;
  }

  /**
   * Stops dictating: the microphone is released at once, the last frames go out, and the settled text replaces the
   * live one. Pressed while the microphone is still opening, it cancels.
   */
  stop(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    if (this.snapshot.status === 'starting') {
      this.cancel();
      return Promise.resolve();
    }
    return this.finish(stream, null);
  }

  /** Ends at once without waiting for text (the chat closes): nothing more is sent or written to the box. */
  cancel(): void {
    const stream = this.stream;
    if (stream) this.abandon(stream, true);
    if (this.snapshot.status !== 'idle') this.set({ status: 'idle', level: 0 });
  }

  /** Closes the notice. */
  dismiss(): void {
    if (this.snapshot.status === 'error') this.set({ status: 'idle', notice: null });
  }

  // ---------------------------------------------------------------- internals

  /** The normal end (the stop button, silence, the time limit, a lost microphone): settles the text. */
  private async finish(stream: Stream, notice: VoiceNotice | null): Promise<void> {
    if (stream.state !== 'live' || !stream.capture) return;
    stream.state = 'stopping';
    this.set({ status: 'stopping', level: 0 });
    await stream.capture.stop();
    if (isDone(stream)) return;
    await new Promise<void>((resolve) => {
      stream.drained = resolve;
      this.checkDrained(stream);
    });
    if (isDone(stream) || !stream.id) return;
    try {
      const final = await this.client.request('speech:stop', { streamId: stream.id }, STOP_TIMEOUT_MS);
      if (isDone(stream)) return;
      this.close(stream);
      stream.free();
      this.onText(joinText(this.base, final.text));
      this.set(notice ? { status: 'error', notice } : { status: 'idle' });
    } catch (err) {
      if (!isDone(stream)) this.end(stream, notice ?? noticeFor(err), true);
    }
  }

  /** Ends with a notice; the text in the box stays as it is. */
  private end(stream: Stream, notice: VoiceNotice, tellServer: boolean): void {
    this.abandon(stream, tellServer);
    this.set({ status: 'error', level: 0, notice });
  }

  private close(stream: Stream): void {
    stream.state = 'done';
    stream.unsubscribe();
    stream.queue.length = 0;
    stream.drained?.();
    if (this.stream === stream) this.stream = null;
  }

  private abandon(stream: Stream, tellServer: boolean): void {
    if (isDone(stream)) return;
    this.close(stream);
    void stream.capture?.stop();
    // without an id, the pending speech:start gives the stream back when its ack comes
    if (!stream.id) return;
    if (tellServer) this.giveBack(stream);
    else stream.free();
  }

  private giveBack(stream: Stream): void {
    const streamId = stream.id;
    if (!streamId) {
      stream.free();
      return;
    }
    this.client
      .request('speech:cancel', { streamId }, CANCEL_TIMEOUT_MS)
      .catch(() => {})
      .finally(stream.free);
  }

  private handleFrame(stream: Stream, frame: PcmFrame): void {
    if (isDone(stream)) return;
    stream.queue.push({ seq: stream.seq++, pcm: frame.pcm });
    this.pump(stream);
    if (stream.state !== 'live') return;
    const seconds = frame.pcm.byteLength / 2 / SPEECH_AUDIO.sampleRate;
    stream.samples += frame.pcm.byteLength / 2;
    const elapsed = stream.samples / SPEECH_AUDIO.sampleRate;
    const { state, stop } = trackSilence(this.silence, frame.level, seconds);
    this.silence = state;
    this.set({ level: frame.level, elapsed });
    if (elapsed >= this.snapshot.maxSeconds - LIMIT_MARGIN_SECONDS)
      void this.finish(stream, { kind: 'error', message: limitMessage(this.snapshot.maxSeconds) });
    else if (stop) void this.finish(stream, null);
  }

  /** Sends queued frames while fewer than maxFramesInFlight are unacked. */
  private pump(stream: Stream): void {
    while (
      !isDone(stream) &&
      stream.id &&
      !stream.expired &&
      stream.queue.length > 0 &&
      stream.inFlight < SPEECH_AUDIO.maxFramesInFlight
    ) {
      const frame = stream.queue.shift() as { seq: number; pcm: ArrayBuffer };
      stream.inFlight++;
      this.client
        .request('speech:audio', { streamId: stream.id, seq: frame.seq, pcm: frame.pcm }, AUDIO_TIMEOUT_MS)
        .then(
          () => {
            stream.inFlight--;
            this.pump(stream);
            this.checkDrained(stream);
          },
          (err: unknown) => {
            stream.inFlight--;
            if (!isDone(stream)) this.end(stream, noticeFor(err), true);
            this.checkDrained(stream);
          },
        );
    }
  }

  private checkDrained(stream: Stream): void {
    if (stream.queue.length === 0 && stream.inFlight === 0) stream.drained?.();
  }

  private handleResult(stream: Stream, raw: unknown): void {
    const r = raw as Partial<TSpeechResult> | null;
    if (!r || r.streamId !== stream.id || isDone(stream) || typeof r.text !== 'string') return;
    const segment = typeof r.segment === 'number' ? r.segment : 0;
    if (r.final) {
      this.finals.set(segment, r.text);
      if (this.partial && this.partial.segment <= segment) this.partial = null;
    } else {
      if (r.text && r.text !== this.partial?.text) this.silence = noteRecognised(this.silence);
      this.partial = { segment, text: r.text };
    }
    this.onText(this.compose());
  }

  private compose(): string {
    const settled = [...this.finals.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
    const live = this.partial && !this.finals.has(this.partial.segment) ? this.partial.text : '';
    return joinText(this.base, settled.join('') + live);
  }

  private handleEnded(stream: Stream, raw: unknown): void {
    const e = raw as Partial<TSpeechEnded> | null;
    if (!e || e.streamId !== stream.id || isDone(stream)) return;
    if (e.reason === 'idle' && !stream.capture) {
      stream.expired = true;
      return;
    }
    this.end(
      stream,
      { kind: 'error', message: typeof e.message === 'string' && e.message ? e.message : FAILED },
      false,
    );
  }
}
