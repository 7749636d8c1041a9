import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { usedSsoTokens } from '../db/schema.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({}, { jobs: true });
});
afterAll(async () => {
  await app?.close();
});

describe('background jobs on the embedded database', () => {
  it('keeps its recurring jobs in the database (pg-boss on PGlite), so they survive restarts', async () => {
    const rows = await app.db.execute(sql`select name, cron from pgboss.schedule`);
    const schedules = (rows as unknown as { rows: { name: string; cron: string }[] }).rows;
    expect(schedules).toContainEqual({ name: 'identity.purge-expired', cron: '17 * * * *' });
  });

  it('purges single sign-on token ids once they have expired', async () => {
    await app.db.insert(usedSsoTokens).values([
      { jti: 'old-token', expiresAt: new Date(Date.now() - 60_000) },
      { jti: 'live-token', expiresAt: new Date(Date.now() + 60_000) },
    ]);
    await app.identity.purgeExpired();
    const left = await app.db.select().from(usedSsoTokens);
    expect(left.map((r) => r.jti)).toEqual(['live-token']);
  });
});
