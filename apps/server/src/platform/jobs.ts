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
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 3000 });
    },
  };
}
