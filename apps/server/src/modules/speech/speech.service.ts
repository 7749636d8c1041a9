/**
 * Voice input (语音输入): a taxpayer's socket streams PCM, the recogniser's text comes back to that socket only. The
 * service owns what a driver does not: who may stream (one live stream per taxpayer on a node, SPEECH_MAX_STREAMS per
 * node), the shape and pace of the audio, the hard cap on a stream's length, the idle timeout, and the text's
 * normalisation and punctuation. Nothing is stored: audio goes to the recogniser and is forgotten, text goes to the
 * socket; logs carry counts and durations, never words or sound.
 */
import { randomUUID } from 'node:crypto';
import {
  SPEECH_AUDIO,
  SPEECH_END_MESSAGES,
  SPEECH_LIMITS,
  type TSpeechAudio,
  type TSpeechEnded,
  type TSpeechEndReason,
  type TSpeechFinal,
  type TSpeechResult,
  type TSpeechStarted,
  type TSpeechStreamRef,
} from '@zhengna/contracts';
import type { Logger } from 'pino';
import { AppError } from '../../platform/app-error.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { TaxpayerActor } from '../identity/identity.types.ts';
import type { RecognitionStream, RecognizerEvent, SpeechRecognizer } from './speech.types.ts';
import { closeText, punctuateSegment, tidyRecognized } from './speech-text.ts';

export type SpeechServerEvents = { 'speech:result': TSpeechResult; 'speech:ended': TSpeechEnded };
/** The socket that streams: its id, and an emit that reaches it alone. */
export type SpeechSocket = {
  id: string;
  emit: <E extends keyof SpeechServerEvents>(event: E, payload: SpeechServerEvents[E]) => void;
};

type Outcome = 'stopped' | 'cancelled' | 'disconnected' | TSpeechEndReason;

const SAMPLE_RATE = SPEECH_AUDIO.sampleRate;
const MAX_SAMPLES = SPEECH_LIMITS.maxSeconds * SAMPLE_RATE;
/** Audio may run ahead of the wall clock by this factor plus a head start, never more (a client cannot pump). */
const PACE = { factor: 3, headStartSeconds: 5 } as const;
/** Frames waiting for the recogniser beyond which a client that ignores its acks is refused. */
const MAX_QUEUED_FRAMES = SPEECH_AUDIO.maxFramesInFlight * 2;
/** A recogniser that has not settled this long after the end of the audio is given up on. */
const FINISH_TIMEOUT_MS = 15_000;
/** How long an ended stream is remembered, so late frames and a late stop get a precise answer. */
const ENDED_TTL_MS = 2 * 60_000;

type Live = {
  id: string;
  socket: SpeechSocket;
  owner: string;
  startedAt: number;
  stream: RecognitionStream | undefined;
  nextSeq: number;
  samples: number;
  /** Pushes run one after another, in the order the frames came. */
  tail: Promise<void>;
  queued: number;
  segment: number;
  partial: string;
  finals: string[];
  /** Arrival of frames not yet answered by a result (latency metric): end sample → time. */
  frames: { end: number; at: number }[];
  idle: ReturnType<typeof setTimeout> | undefined;
  ending: Promise<void> | undefined;
  outcome: Outcome | undefined;
};

type Ended = { socketId: string; owner: string; outcome: Outcome; text: string; at: number };

const ownerKey = (a: TaxpayerActor) => `${a.portalUserId}:${a.taxpayerId}`;
const notFound = () => new AppError('NOT_FOUND', '语音输入不存在或已结束。');

/** The frame's bytes as 16-bit samples; a view when aligned, a copy when the Buffer sits at an odd offset. */
export function toSamples(pcm: ArrayBuffer | Uint8Array): Int16Array {
  if (pcm instanceof ArrayBuffer) return new Int16Array(pcm.slice(0, pcm.byteLength - (pcm.byteLength % 2)));
  const length = pcm.byteLength >> 1;
  if (pcm.byteOffset % 2 === 0) return new Int16Array(pcm.buffer, pcm.byteOffset, length);
  const copy = new Uint8Array(length * 2);
  copy.set(pcm.subarray(0, length * 2));
  return new Int16Array(copy.buffer);
}

export function createSpeechService(deps: {
  recognizer: SpeechRecognizer | null;
  logger: Logger;
  maxStreams: number;
  metrics?: Pick<Metrics, 'speechStreamsActive' | 'speechStreamsTotal' | 'speechAudioSeconds' | 'speechPartialLatency'>;
}) {
  const { recognizer, metrics } = deps;
  const log = deps.logger.child({ module: 'speech' });
  const live = new Map<string, Live>();
  const byOwner = new Map<string, string>();
  const ended = new Map<string, Ended>();

  /** The caller's own live stream; anybody else's, or none, is NOT_FOUND (the same answer: nothing leaks). */
  function own(actor: TaxpayerActor, socketId: string, streamId: string): Live | Ended {
    const s = live.get(streamId) ?? ended.get(streamId);
    if (!s) throw notFound();
    const sid = 'socket' in s ? s.socket.id : s.socketId;
    if (sid !== socketId || s.owner !== ownerKey(actor)) throw notFound();
    return s;
  }

  function forget() {
    const now = Date.now();
    for (const [id, e] of ended) if (now - e.at > ENDED_TTL_MS) ended.delete(id);
  }

  function armIdle(s: Live) {
    if (s.idle) clearTimeout(s.idle);
    s.idle = setTimeout(() => {
      // frames waiting on a slow recogniser are not silence
      if (s.queued > 0) return armIdle(s);
      void end(s, 'idle');
    }, SPEECH_LIMITS.idleSeconds * 1000);
    s.idle.unref();
  }

  function observeLatency(s: Live, audioMs: number | undefined) {
    if (!metrics || !s.frames.length) return;
    const now = Date.now();
    if (audioMs === undefined) {
      // the driver does not say which audio a result covers: time it from the latest frame
      const last = s.frames[s.frames.length - 1] as { at: number };
      metrics.speechPartialLatency.observe((now - last.at) / 1000);
      s.frames = [];
      return;
    }
    const upTo = (audioMs * SAMPLE_RATE) / 1000;
    const i = s.frames.findIndex((f) => f.end >= upTo);
    const covered = i < 0 ? s.frames.length : i + 1;
    const frame = s.frames[covered - 1];
    if (frame) metrics.speechPartialLatency.observe((now - frame.at) / 1000);
    s.frames = s.frames.slice(covered);
  }

  function onEvent(s: Live, event: RecognizerEvent) {
    if (live.get(s.id) !== s || s.outcome === 'cancelled' || s.outcome === 'disconnected') return;
    switch (event.type) {
      case 'partial': {
        const text = tidyRecognized(event.text);
        if (text === s.partial) return;
        s.partial = text;
        observeLatency(s, event.audioMs);
        s.socket.emit('speech:result', { streamId: s.id, segment: s.segment, text, final: false });
        return;
      }
      case 'final': {
        const tidy = tidyRecognized(event.text);
        // nothing was said after all: the segment stays open, the next partial replaces what was shown
        if (!tidy) return;
        const text = punctuateSegment(tidy);
        s.finals.push(text);
        s.socket.emit('speech:result', { streamId: s.id, segment: s.segment, text, final: true });
        s.segment += 1;
        s.partial = '';
        return;
      }
      case 'error':
        log.warn({ streamId: s.id, reason: event.message }, 'speech recogniser failed a stream');
        void end(s, 'failed');
        return;
    }
  }

  /**
   * Ends a stream once, for the first reason given. Stop, the limit and idleness let the recogniser settle the last
   * words first; cancel, a disconnect and a failure drop it at once. The taxpayer's slot is free before the client is
   * told.
   */
  function end(s: Live, outcome: Outcome): Promise<void> {
    if (s.ending) return s.ending;
    s.outcome = outcome;
    if (s.idle) clearTimeout(s.idle);
    const graceful = outcome === 'stopped' || outcome === 'limit' || outcome === 'idle';
    s.ending = (async () => {
      if (graceful && s.stream) {
        const stream = s.stream;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const settled = await Promise.race([
          s.tail.then(() => stream.finish()).then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), FINISH_TIMEOUT_MS);
          }),
        ]).catch(() => false);
        clearTimeout(timer);
        if (!settled) {
          log.warn({ streamId: s.id }, 'speech recogniser did not settle in time; stream dropped');
          stream.abort();
        }
      } else {
        s.stream?.abort();
      }
      live.delete(s.id);
      if (byOwner.get(s.owner) === s.id) byOwner.delete(s.owner);
      forget();
      ended.set(s.id, {
        socketId: s.socket.id,
        owner: s.owner,
        outcome,
        text: closeText(s.finals.join('')),
        at: Date.now(),
      });
      metrics?.speechStreamsActive.dec();
      metrics?.speechStreamsTotal.inc({ driver: recognizer?.driver ?? 'none', outcome });
      log.info(
        {
          streamId: s.id,
          outcome,
          audioSeconds: Math.round((s.samples / SAMPLE_RATE) * 10) / 10,
          segments: s.finals.length,
        },
        'speech stream ended',
      );
      if (outcome === 'limit' || outcome === 'idle' || outcome === 'failed' || outcome === 'session') {
        s.socket.emit('speech:ended', { streamId: s.id, reason: outcome, message: SPEECH_END_MESSAGES[outcome] });
      }
    })();
    return s.ending;
  }

  return {
    /** Opens a stream for this socket. */
    async start(actor: TaxpayerActor, socket: SpeechSocket): Promise<TSpeechStarted> {
      if (!recognizer) throw new AppError('SPEECH_DISABLED');
      const owner = ownerKey(actor);
      if (byOwner.has(owner)) throw new AppError('SPEECH_IN_PROGRESS');
      if (live.size >= deps.maxStreams) throw new AppError('SPEECH_BUSY');
      const s: Live = {
        id: randomUUID(),
        socket,
        owner,
        startedAt: Date.now(),
        stream: undefined,
        nextSeq: 0,
        samples: 0,
        tail: Promise.resolve(),
        queued: 0,
        segment: 0,
        partial: '',
        finals: [],
        frames: [],
        idle: undefined,
        ending: undefined,
        outcome: undefined,
      };
      // the slot is taken before the recogniser answers, so two quick starts cannot both pass the checks
      live.set(s.id, s);
      byOwner.set(owner, s.id);
      metrics?.speechStreamsActive.inc();
      try {
        s.stream = await recognizer.open(s.id, (event) => onEvent(s, event));
      } catch (err) {
        live.delete(s.id);
        if (byOwner.get(owner) === s.id) byOwner.delete(owner);
        metrics?.speechStreamsActive.dec();
        metrics?.speechStreamsTotal.inc({ driver: recognizer.driver, outcome: 'refused' });
        log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'speech recogniser refused a stream');
        // a driver may say precisely (SPEECH_DISABLED: it cannot serve at all); anything else is a busy moment
        throw err instanceof AppError && err.code.startsWith('SPEECH_') ? err : new AppError('SPEECH_BUSY');
      }
      if (s.outcome) {
        // the socket went away while the recogniser was opening
        s.stream.abort();
        throw notFound();
      }
      s.startedAt = Date.now();
      armIdle(s);
      return {
        streamId: s.id,
        sampleRate: SAMPLE_RATE,
        frameMs: SPEECH_AUDIO.frameMs,
        maxSeconds: SPEECH_LIMITS.maxSeconds,
        driver: recognizer.driver,
      };
    },

    /**
     * Takes one frame. Resolves once the recogniser has taken it (later while it is behind: the delayed ack is the
     * client's back-pressure). A refused frame still uses up its seq, so the stream goes on with the next one.
     */
    async audio(actor: TaxpayerActor, socketId: string, payload: TSpeechAudio): Promise<null> {
      const s = own(actor, socketId, payload.streamId);
      if (!('socket' in s) || s.outcome) {
        if (s.outcome === 'limit') throw new AppError('SPEECH_TOO_LONG');
        throw notFound();
      }
      if (!s.stream) throw new AppError('SPEECH_BAD_AUDIO', '语音识别尚未就绪，请稍后再试。');
      if (payload.seq !== s.nextSeq) throw new AppError('SPEECH_BAD_AUDIO');
      s.nextSeq += 1;
      const bytes = payload.pcm.byteLength;
      if (bytes % 2 !== 0 || bytes > SPEECH_AUDIO.maxFrameBytes) throw new AppError('SPEECH_BAD_AUDIO');
      const now = Date.now();
      const allowed = (((now - s.startedAt) / 1000) * PACE.factor + PACE.headStartSeconds) * SAMPLE_RATE;
      if (s.samples + bytes / 2 > allowed || s.queued >= MAX_QUEUED_FRAMES) throw new AppError('RATE_LIMITED');
      let pcm = toSamples(payload.pcm);
      const room = MAX_SAMPLES - s.samples;
      const reachesCap = pcm.length >= room;
      if (reachesCap) pcm = pcm.subarray(0, room);
      s.samples += pcm.length;
      metrics?.speechAudioSeconds.inc(pcm.length / SAMPLE_RATE);
      s.frames.push({ end: s.samples, at: now });
      if (s.frames.length > 100) s.frames.shift();
      armIdle(s);
      const stream = s.stream;
      s.queued += 1;
      const pushed = s.tail.then(() => (pcm.length ? stream.push(pcm) : undefined));
      s.tail = pushed
        .catch((err) => {
          log.warn({ streamId: s.id, reason: err instanceof Error ? err.message : String(err) }, 'speech push failed');
          void end(s, 'failed');
        })
        .finally(() => {
          s.queued -= 1;
        });
      if (reachesCap) void end(s, 'limit');
      await s.tail;
      return null;
    },

    /** The client is done: the recogniser settles the last words, then the whole text comes back. */
    async stop(actor: TaxpayerActor, socketId: string, ref: TSpeechStreamRef): Promise<TSpeechFinal> {
      const s = own(actor, socketId, ref.streamId);
      if ('socket' in s) await end(s, 'stopped');
      const e = ended.get(ref.streamId);
      return { streamId: ref.streamId, text: e?.text ?? '' };
    },

    /** Drops the stream; nothing more arrives for it. */
    async cancel(actor: TaxpayerActor, socketId: string, ref: TSpeechStreamRef): Promise<null> {
      const s = own(actor, socketId, ref.streamId);
      if ('socket' in s) await end(s, 'cancelled');
      return null;
    },

    /**
     * The socket is gone (or its session ended): its streams are dropped and its slot freed. With `session` the
     * client is told first (the socket is about to be closed).
     */
    closeSocket(socketId: string, reason?: 'session'): void {
      for (const s of [...live.values()]) if (s.socket.id === socketId) void end(s, reason ?? 'disconnected');
      for (const [id, e] of ended) if (e.socketId === socketId) ended.delete(id);
    },

    /** Live streams on this node (diagnostics and tests). */
    activeStreams: () => live.size,

    /** Shutdown: every stream is dropped (their sockets are closing too). */
    async close(): Promise<void> {
      await Promise.all([...live.values()].map((s) => end(s, 'disconnected')));
    },
  };
}

export type SpeechService = ReturnType<typeof createSpeechService>;
