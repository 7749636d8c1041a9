/** The audit log's trigger on PostgreSQL: the application's own database user cannot edit or remove recent entries. */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginStaff, makeStaff, startTestApp } from '../../../test/harness.ts';
import { createTestDatabase } from '../../../test/pg-database.ts';
import type { RunningApp } from '../../app.ts';
import { auditLog } from '../../db/schema.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: RunningApp;
beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL as string });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await app.db.execute(statement);
    return '';
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
}

describe('audit log on PostgreSQL', () => {
  it('records a login, and refuses UPDATE, DELETE and TRUNCATE of it; old entries may be purged', async () => {
    const s = await makeStaff(app, 'admin');
    await loginStaff(app, s.username);
    const [row] = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.staffId, s.id), eq(auditLog.action, 'staff.login')));
    expect(row?.result).toBe('ok');

    expect(await refusal(sql`update audit_log set result = 'failed' where id = ${row?.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from audit_log where id = ${row?.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only/);
    const still = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.id, row?.id ?? 0n));
    expect(still).toEqual([row]);

    await app.db.execute(sql`insert into audit_log (at, staff_name, kind, action, result, status, request)
      values (now() - interval '400 days', '测试', 'read', 'test.old', 'ok', '200', 'GET /api/test')`);
    expect(await app.audit.purge(365)).toBe(1);
  });
});
