/** The rollup on the embedded database (PGlite): see analytics-rollup.scenario.ts; and its schedule. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/harness.ts';
import { rollupSuite } from './analytics-rollup.scenario.ts';

rollupSuite(async () => {
  const app = await startTestApp();
  return { app, close: () => app.close() };
});

describe('analytics rollup job', () => {
  it('runs every 15 minutes, scheduled in the database like every recurring job', async () => {
    const app = await startTestApp({}, { jobs: true });
    try {
      const rows = await app.db.execute(sql`select name, cron from pgboss.schedule`);
      expect((rows as unknown as { rows: { name: string; cron: string }[] }).rows).toContainEqual({
        name: 'analytics.rollup',
        cron: '*/15 * * * *',
      });
    } finally {
      await app.close();
    }
  });
});
