/**
 * Background jobs on pg-boss 10: on PGlite in-process (through its `db.executeSql` hook), on PostgreSQL as usual.
 * pg-boss keeps jobs in the database, so they survive restarts and a job runs once across several nodes.
 */
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { SqlExecutor } from './db.ts';

export type JobHandler = () => Promise<void>;

export interface Jobs {
  /** Registers a recurring job (cron, UTC) and its handler. */
  every(name: string, cron: string, handler: JobHandler): Promise<void>;
  /**
   * Registers a queue of one-off jobs and its handler. A job whose node dies mid-way expires after
   * `expireInSeconds` and is retried (by any node), so handlers must be idempotent.
   */
  work<T extends object>(
    name: string,
    handler: (data: T) => Promise<void>,
    opts?: { expireInSeconds?: number; retryLimit?: number },
  ): Promise<void>;
  /**
   * Queues a one-off job to run once across the nodes, at or after `startAfter`. With a `singletonKey` at most one
   * such job is waiting and one running (a second send while one waits is dropped).
   */
  sendAfter(name: string, data: object, opts?: { startAfter?: Date; singletonKey?: string }): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobs(opts: {
  sql: SqlExecutor;
  logger: Logger;
  kind: 'pglite' | 'postgres';
}): Promise<Jobs> {
  const boss = new PgBoss({
    db: opts.sql,
    schema: 'pgboss',
    // PGlite is one connection in this process: poll gently.
    ...(opts.kind === 'pglite' ? { monitorStateIntervalSeconds: 60, maintenanceIntervalSeconds: 300 } : {}),
  });
  boss.on('error', (err) => opts.logger.error({ err }, 'job system error'));
  await boss.start();
  return {
    async every(name, cron, handler) {
      await boss.createQueue(name);
      await boss.schedule(name, cron);
      await boss.work(name, { pollingIntervalSeconds: opts.kind === 'pglite' ? 10 : 5 }, async () => {
        await handler();
      });
    },
    async work(name, handler, o = {}) {
      // stately: one waiting and one running job per singleton key
      await boss.createQueue(name, {
        name,
        policy: 'stately',
        expireInSeconds: o.expireInSeconds ?? 600,
        retryLimit: o.retryLimit ?? 20,
        retryDelay: 5,
      });
      await boss.work(name, { pollingIntervalSeconds: opts.kind === 'pglite' ? 2 : 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as Parameters<typeof handler>[0]);
      });
    },
    async sendAfter(name, data, o = {}) {
      await boss.send(name, data, {
        ...(o.startAfter ? { startAfter: o.startAfter } : {}),
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
      });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 3000 });
    },
  };
}
