/**
 * A bench's load generator runs in a worker thread, so the clients get an event loop of their own. This starts one
 * (with tsx's loader, which a worker does not inherit) and calls it: each request gets one reply, by id; the worker
 * answers with serveDriver.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { DriverReply } from './relay-protocol.ts';

export function startDriverWorker<Request>(file: URL) {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`,
    { eval: true },
  );
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: DriverReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`driver: ${m.error}`));
  });
  worker.on('error', (err) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    worker,
    call<T>(req: Request): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, req });
      });
    },
  };
}

/** The worker's side: answers each request of the bench with its result or its error, by id. */
export function serveDriver<Request>(name: string, handle: (req: Request) => Promise<unknown>) {
  const port = parentPort;
  if (!port) throw new Error(`${name} runs as a worker thread`);
  port.on('message', (env: { id: number; req: Request }) => {
    handle(env.req).then(
      (result) => port.postMessage({ id: env.id, ok: true, result } satisfies DriverReply),
      (err: unknown) =>
        port.postMessage({
          id: env.id,
          ok: false,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        } satisfies DriverReply),
    );
  });
}
