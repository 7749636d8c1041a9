/**
 * An engine process (child_process.fork from engine-pool.ts): loads one engine and serves the streams the pool sends
 * it. Kept apart from the server because onnxruntime aborts the whole process on a corrupt model and decoding is
 * CPU-bound: a crash or a slow decode here never stops chat. Each stream's chunks are processed in order; after each
 * one the host tells the pool how many samples it has processed (the pool's back-pressure) and for how long it worked.
 *
 * argv[2]: the engine's name; argv[3]: its settings as JSON.
 */
import { performance } from 'node:perf_hooks';
import type { CreateEngine, EngineName, EngineSettings, EngineStream } from './engines/engine.ts';
import type { RecognizerEvent } from './speech.types.ts';

export type HostRequest =
  | { type: 'open'; id: string }
  | { type: 'audio'; id: string; pcm: Int16Array }
  | { type: 'finish'; id: string }
  | { type: 'abort'; id: string };

export type HostReply =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  /** `audioMs`: how much of the stream the engine had taken when it produced the event. */
  | { type: 'event'; id: string; event: RecognizerEvent; audioMs: number }
  /** After each chunk: samples of the stream processed so far, and the process's total working time. */
  | { type: 'processed'; id: string; samples: number; busyMs: number }
  | { type: 'finished'; id: string };

const engines: Record<EngineName, () => Promise<{ createEngine: CreateEngine }>> = {
  'sherpa-onnx': () => import('./engines/sherpa-onnx.engine.ts'),
  test: () => import('./engines/test.engine.ts'),
};

type HostStream = { engine: EngineStream; chain: Promise<void>; upTo: number; aborted: boolean };

const send = (reply: HostReply) => {
  if (process.connected) process.send?.(reply);
};

async function main() {
  const name = process.argv[2] as EngineName;
  const settings = JSON.parse(process.argv[3] ?? '{}') as EngineSettings;
  // the pool is gone (server stopped or crashed): nothing to serve
  process.on('disconnect', () => process.exit(0));
  let createEngine: CreateEngine;
  let engine: Awaited<ReturnType<CreateEngine>>;
  try {
    const load = engines[name];
    if (!load) throw new Error(`unknown speech engine ${name}`);
    createEngine = (await load()).createEngine;
    engine = await createEngine(settings, (message) => send({ type: 'log', level: 'info', message }));
  } catch (err) {
    send({ type: 'load-failed', message: err instanceof Error ? err.message : String(err) });
    // let the message reach the pool before going
    setTimeout(() => process.exit(2), 100);
    return;
  }

  const streams = new Map<string, HostStream>();
  let busyMs = 0;

  const fail = (id: string, s: HostStream, err: unknown) => {
    s.aborted = true;
    streams.delete(id);
    send({ type: 'log', level: 'warn', message: `stream ${id} failed: ${err instanceof Error ? err.message : err}` });
    send({ type: 'event', id, event: { type: 'error', message: 'recognition failed' }, audioMs: s.upTo / 16 });
    try {
      s.engine.close();
    } catch {}
  };

  /** Runs one step of a stream after the ones before it, timing it as work. */
  const step = (id: string, s: HostStream, work: () => void | Promise<void>, after: () => void) => {
    s.chain = s.chain.then(async () => {
      if (s.aborted) return;
      const t0 = performance.now();
      try {
        await work();
      } catch (err) {
        fail(id, s, err);
        return;
      } finally {
        busyMs += performance.now() - t0;
      }
      after();
    });
  };

  process.on('message', (m: HostRequest) => {
    switch (m.type) {
      case 'open': {
        const s: HostStream = {
          engine: undefined as unknown as EngineStream,
          chain: Promise.resolve(),
          upTo: 0,
          aborted: false,
        };
        try {
          s.engine = engine.open(m.id, (event) => {
            if (!s.aborted) send({ type: 'event', id: m.id, event, audioMs: s.upTo / 16 });
          });
          streams.set(m.id, s);
        } catch (err) {
          fail(m.id, s, err);
        }
        return;
      }
      case 'audio': {
        const s = streams.get(m.id);
        if (!s) return;
        const pcm = m.pcm;
        step(
          m.id,
          s,
          () => {
            s.upTo += pcm.length;
            return s.engine.accept(pcm);
          },
          () => send({ type: 'processed', id: m.id, samples: s.upTo, busyMs }),
        );
        return;
      }
      case 'finish': {
        const s = streams.get(m.id);
        if (!s) return send({ type: 'finished', id: m.id });
        step(
          m.id,
          s,
          () => s.engine.finish(),
          () => {
            streams.delete(m.id);
            s.engine.close();
            send({ type: 'finished', id: m.id });
          },
        );
        return;
      }
      case 'abort': {
        const s = streams.get(m.id);
        if (!s) return;
        s.aborted = true;
        streams.delete(m.id);
        s.engine.close();
        return;
      }
    }
  });
  send({ type: 'ready' });
}

void main();
