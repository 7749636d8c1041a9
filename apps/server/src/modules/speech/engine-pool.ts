/**
 * Recognition in child processes. Each of SPEECH_WORKERS engine processes (engine-host.ts) loads the model once and
 * serves many streams; a new stream goes to the least loaded one. Processes, not worker threads: onnxruntime calls
 * abort() on a corrupt model (`terminate called after throwing an instance of 'Ort::Exception'`), which would take the
 * chat server with it. A process that exits fails its streams (their clients get speech:ended `failed`, keeping the
 * text so far) and is started again, with a growing pause while it keeps failing. A stream asked for while no engine
 * is up is refused: SPEECH_DISABLED when none has ever come up (a model that cannot load: the reason is logged),
 * SPEECH_BUSY while one restarts.
 *
 * Back-pressure, per stream: the pool counts the samples it has sent to the engine that the engine has not yet
 * processed; push() resolves only while that backlog is under MAX_BACKLOG (2 s of audio), so a slow engine delays the
 * client's acks instead of piling audio up in memory.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { AppError } from '../../platform/app-error.ts';
import type { HostReply, HostRequest } from './engine-host.ts';
import type { EngineName, EngineSettings } from './engines/engine.ts';
import type { RecognitionStream, RecognizerEvent, SpeechRecognizer } from './speech.types.ts';

const SAMPLE_RATE = 16_000;
/** Audio a stream may have waiting in its engine before push() holds the caller back. */
export const MAX_BACKLOG_SAMPLES = 2 * SAMPLE_RATE;
const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A process that served this long before it died is restarted at once, not after the failing-loop pause. */
const STABLE_MS = 60_000;

/**
 * Samples sent to an engine against samples it has processed. `wait()` resolves while fewer than `limit` are
 * outstanding; `ack()` with the engine's running count releases waiters as it catches up.
 */
export class Backlog {
  private sent = 0;
  private done = 0;
  private waiters: (() => void)[] = [];
  constructor(readonly limit: number) {}

  get pending(): number {
    return this.sent - this.done;
  }

  get processed(): number {
    return this.done;
  }

  add(samples: number): void {
    this.sent += samples;
  }

  /** The engine's running total of processed samples (acks may only move it forward). */
  ack(processedTotal: number): void {
    this.done = Math.max(this.done, Math.min(processedTotal, this.sent));
    if (this.pending < this.limit) this.release();
  }

  wait(): Promise<void> {
    if (this.pending < this.limit) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Lets every waiter go (the stream ended: nothing more to wait for). */
  release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

export type EnginePoolOptions = {
  engine: EngineName;
  workers: number;
  settings: EngineSettings;
  logger: Logger;
  /** How long open() waits for a starting engine before refusing. */
  startWaitMs?: number;
  maxBacklogSamples?: number;
};

export type EnginePool = SpeechRecognizer & {
  /** Process ids of the running engine processes (tests kill one; the benchmark measures their memory). */
  pids(): number[];
  /** Audio the engines have processed and the time they worked on it, since the pool started. */
  stats(): { audioSeconds: number; busySeconds: number };
  /** Resolves once an engine can serve, or rejects after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<void>;
};

type Slot = {
  index: number;
  child: ChildProcess | undefined;
  state: 'starting' | 'ready' | 'down';
  streams: Map<string, PoolStream>;
  failures: number;
  readyAt: number;
  /** Working time of the current process, and of the ones before it. */
  busyMs: number;
  busyBeforeMs: number;
  lastError: string | undefined;
  restart: ReturnType<typeof setTimeout> | undefined;
};

class PoolStream implements RecognitionStream {
  readonly backlog: Backlog;
  private ended = false;
  private onFinished: (() => void) | undefined;

  constructor(
    readonly id: string,
    private readonly slot: Slot,
    private readonly onEvent: (event: RecognizerEvent) => void,
    private readonly send: (slot: Slot, m: HostRequest) => void,
    limit: number,
  ) {
    this.backlog = new Backlog(limit);
  }

  push(pcm: Int16Array): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.send(this.slot, { type: 'audio', id: this.id, pcm });
    this.backlog.add(pcm.length);
    return this.backlog.wait();
  }

  finish(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.onFinished = resolve;
      this.send(this.slot, { type: 'finish', id: this.id });
    });
  }

  abort(): void {
    if (this.ended) return;
    this.send(this.slot, { type: 'abort', id: this.id });
    this.end();
  }

  event(event: RecognizerEvent): void {
    if (this.ended) return;
    if (event.type === 'error') this.fail(event.message);
    else this.onEvent(event);
  }

  finished(): void {
    this.end();
  }

  /** The engine cannot go on with this stream: one error event, then silence. */
  fail(message: string): void {
    if (this.ended) return;
    this.onEvent({ type: 'error', message });
    this.end();
  }

  private end() {
    this.ended = true;
    this.slot.streams.delete(this.id);
    this.backlog.release();
    this.onFinished?.();
    this.onFinished = undefined;
  }
}

function tsxLoader(): string {
  // the host is TypeScript, like the rest of the server; tsx is a dependency of the server, found from here
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function createEnginePool(opts: EnginePoolOptions): EnginePool {
  const log = opts.logger.child({ module: 'speech', engine: opts.engine });
  const hostPath = fileURLToPath(new URL('./engine-host.ts', import.meta.url));
  const loader = tsxLoader();
  const limit = opts.maxBacklogSamples ?? MAX_BACKLOG_SAMPLES;
  const startWaitMs = opts.startWaitMs ?? 5000;
  let processedSamples = 0;
  let closing = false;
  let everReady = false;
  /** Called on every engine state change (ready, exited). */
  let listeners: (() => void)[] = [];
  const changed = () => {
    const l = listeners;
    listeners = [];
    for (const f of l) f();
  };

  const slots: Slot[] = Array.from({ length: opts.workers }, (_, index) => ({
    index,
    child: undefined,
    state: 'down',
    streams: new Map(),
    failures: 0,
    readyAt: 0,
    busyMs: 0,
    busyBeforeMs: 0,
    lastError: undefined,
    restart: undefined,
  }));

  const send = (slot: Slot, m: HostRequest) => {
    const child = slot.child;
    if (!child?.connected) return;
    // a callback keeps a send to a process that is just dying from becoming an 'error' event
    child.send(m, (err) => {
      if (err) log.debug({ err: err.message, worker: slot.index }, 'speech engine message not delivered');
    });
  };

  function onReply(slot: Slot, m: HostReply) {
    switch (m.type) {
      case 'ready': {
        slot.state = 'ready';
        slot.readyAt = Date.now();
        slot.lastError = undefined;
        everReady = true;
        log.info({ worker: slot.index, enginePid: slot.child?.pid }, 'speech engine ready');
        changed();
        return;
      }
      case 'load-failed':
        slot.lastError = m.message;
        log.error({ worker: slot.index, reason: m.message }, 'speech engine could not load; voice input unavailable');
        return;
      case 'log':
        log[m.level]({ worker: slot.index }, m.message);
        return;
      case 'event': {
        const event = m.event.type === 'error' ? m.event : { ...m.event, audioMs: m.audioMs };
        slot.streams.get(m.id)?.event(event);
        return;
      }
      case 'processed': {
        const s = slot.streams.get(m.id);
        if (s) {
          const before = s.backlog.processed;
          s.backlog.ack(m.samples);
          processedSamples += s.backlog.processed - before;
        }
        slot.busyMs = m.busyMs;
        return;
      }
      case 'finished':
        slot.streams.get(m.id)?.finished();
        return;
    }
  }

  function spawn(slot: Slot) {
    slot.restart = undefined;
    if (closing) return;
    slot.state = 'starting';
    const child = fork(hostPath, [opts.engine, JSON.stringify(opts.settings)], {
      execArgv: ['--import', loader],
      serialization: 'advanced',
      // stdout stays clean (benchmarks print JSON there); stderr is passed on, and its tail kept: a native crash's
      // last words (onnxruntime's exception) are the reason an operator needs
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    slot.child = child;
    // the engines never keep the server's process alive by themselves (it exits, they follow: their channel closes)
    child.unref();
    child.channel?.unref();
    (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-600);
    });
    child.on('message', (m: HostReply) => onReply(slot, m));
    child.on('error', (err) => log.warn({ err: err.message, worker: slot.index }, 'speech engine process error'));
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      const wasReady = slot.state === 'ready';
      const lastWords = stderrTail.trim().split('\n').slice(-2).join(' ');
      if (!wasReady && !slot.lastError && lastWords) slot.lastError = lastWords;
      slot.child = undefined;
      slot.state = 'down';
      slot.busyBeforeMs += slot.busyMs;
      slot.busyMs = 0;
      const lost = [...slot.streams.values()];
      for (const s of lost) s.fail('speech engine exited');
      if (closing) return;
      if (wasReady && Date.now() - slot.readyAt > STABLE_MS) slot.failures = 0;
      slot.failures += 1;
      const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (slot.failures - 1));
      log[wasReady ? 'warn' : 'error'](
        { worker: slot.index, code, signal, streams: lost.length, restartInMs: delay, reason: slot.lastError },
        wasReady ? 'speech engine exited; its streams failed; restarting' : 'speech engine did not start; retrying',
      );
      slot.restart = setTimeout(() => spawn(slot), delay);
      slot.restart.unref();
      changed();
    });
  }

  for (const slot of slots) spawn(slot);

  function pickReady(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of slots)
      if (slot.state === 'ready' && (!best || slot.streams.size < best.streams.size)) best = slot;
    return best;
  }

  const reason = () => slots.find((s) => s.lastError)?.lastError;

  /** Resolves once `until()` holds (checked at every engine state change), or with false after `timeoutMs`. */
  function waitFor(until: () => boolean, timeoutMs: number): Promise<boolean> {
    if (until()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        listeners = listeners.filter((l) => l !== check);
        resolve(false);
      }, timeoutMs);
      const check = () => {
        if (closing || until()) {
          clearTimeout(timer);
          resolve(!closing);
        } else listeners.push(check);
      };
      listeners.push(check);
    });
  }

  async function whenReady(timeoutMs: number): Promise<void> {
    if (!(await waitFor(() => pickReady() !== undefined, timeoutMs))) {
      throw new Error(`speech engine not available${reason() ? `: ${reason()}` : ''}`);
    }
  }

  /** An engine has never come up and every process has failed: a model that cannot load, not a busy moment. */
  const broken = () => !everReady && slots.every((s) => s.failures > 0);

  return {
    driver: opts.engine,
    async open(id, onEvent) {
      if (closing) throw new AppError('SPEECH_BUSY');
      // right after startup the model may still be loading (a process that is restarting is not waited for)
      await waitFor(
        () => pickReady() !== undefined || !slots.some((s) => s.state === 'starting' && s.failures === 0),
        startWaitMs,
      );
      const slot = pickReady();
      if (!slot) {
        log.warn({ reason: reason() }, 'voice input refused: no speech engine is up');
        throw new AppError(broken() ? 'SPEECH_DISABLED' : 'SPEECH_BUSY');
      }
      const stream = new PoolStream(id, slot, onEvent, send, limit);
      slot.streams.set(id, stream);
      send(slot, { type: 'open', id });
      return stream;
    },
    ready: () => pickReady() !== undefined,
    pids: () => slots.flatMap((s) => (s.child?.pid && s.state !== 'down' ? [s.child.pid] : [])),
    stats: () => ({
      audioSeconds: processedSamples / SAMPLE_RATE,
      busySeconds: slots.reduce((t, s) => t + s.busyBeforeMs + s.busyMs, 0) / 1000,
    }),
    whenReady,
    async close() {
      closing = true;
      changed();
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.restart) clearTimeout(slot.restart);
          for (const s of [...slot.streams.values()]) s.abort();
          const child = slot.child;
          if (!child || child.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          // the host exits when its channel closes; a host stuck in native code is killed
          child.disconnect();
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
