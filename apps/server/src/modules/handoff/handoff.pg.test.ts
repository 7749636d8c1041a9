/**
 * The assignment transaction on PostgreSQL (node-postgres pool): its two statements go as one script — one round trip,
 * one transaction, committed without waiting for the WAL flush — so what that must not change is checked here: the
 * script is atomic and leaves pooled connections clean, the asynchronous commit stays inside it, values inlined into
 * it are quoted, and parallel assigners still never exceed a cap.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGroup, makeStaff, startTestApp } from '../../../test/harness.ts';
import { createTestDatabase } from '../../../test/pg-database.ts';
import type { RunningApp } from '../../app.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../db/factories.ts';
import { conversations, skillGroups, staff, staffSkillGroups } from '../../db/schema.ts';
import { runScript } from '../../platform/db.ts';
import { handoffRepo } from './handoff.repo.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: RunningApp;
beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: database.url });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
/** As many statements at once as the pool has connections: every pooled connection answers one. */
const onEveryConnection = (q: ReturnType<typeof sql>) =>
  Promise.all(Array.from({ length: 12 }, () => app.db.execute(q)));

async function waitingConversation(officeId: string, groupId: string) {
  const tp = await createTaxpayer(app.db, { taxOfficeId: officeId });
  const user = await createPortalUser(app.db, { taxpayerIds: [tp.id], passwordHash: 'x' });
  const [row] = await app.db
    .insert(conversations)
    .values({ taxpayerId: tp.id, portalUserId: user.id, handoffReason: 'button', handoffRequestedAt: new Date() })
    .returning();
  if (!row) throw new Error('conversation insert failed');
  await handoffRepo.enqueue(app.db, row.id, groupId);
  return row;
}

describe('runScript on PostgreSQL', () => {
  it('runs the statements as one transaction, each with its rows', async () => {
    const [a, b] = await runScript(app.db, [
      sql`select txid_current() as x, set_config('zhengna.test', ${'v'}, true) as v`,
      sql`select txid_current() as x, current_setting('zhengna.test', true) as v`,
    ]);
    expect(b).toEqual(a);
    expect(a).toEqual([expect.objectContaining({ v: 'v' })]);
  });

  it('rolls every statement back when one fails and leaves the pooled connections usable', async () => {
    await app.db.execute(sql`create table script_probe (x int)`);
    await expect(
      runScript(app.db, [
        sql`insert into script_probe values (1)`,
        sql`select 1 / (select count(*) from script_probe where x = 2)`,
      ]),
    ).rejects.toThrow(/division by zero/);
    const counts = await onEveryConnection(sql`select count(*)::int as n from script_probe`);
    expect(counts.map((r) => rowsOf<{ n: number }>(r)[0]?.n)).toEqual(counts.map(() => 0));
  });

  it('inlines values as quoted literals', async () => {
    const tricky = `it's \\ ${'$'}1; drop table staff; --`;
    const [[row]] = (await runScript(app.db, [sql`select ${tricky}::text as v`])) as [[{ v: string }]];
    expect(row.v).toBe(tricky);
  });
});

describe('assignOne on PostgreSQL', () => {
  it('assigns in a group whose id needs quoting, and the asynchronous commit stays inside its transaction', async () => {
    const office = await createTaxOffice(app.db);
    const agent = await makeStaff(app);
    const groupId = `g'${randomUUID().slice(0, 4)}\\x`;
    await app.db
      .insert(skillGroups)
      .values({ id: groupId, name: groupId, business: 'general', taxOfficeId: office.id });
    await app.db.insert(staffSkillGroups).values({ staffId: agent.id, groupId });
    await app.db.update(staff).set({ presence: 'online', maxConcurrent: 2 }).where(eq(staff.id, agent.id));
    const conv = await waitingConversation(office.id, groupId);
    expect(await handoffRepo.assignOne(app.db, groupId)).toMatchObject({ conversationId: conv.id, staffId: agent.id });
    const settings = await onEveryConnection(sql`select current_setting('synchronous_commit') as v`);
    expect(settings.map((r) => rowsOf<{ v: string }>(r)[0]?.v)).toEqual(settings.map(() => 'on'));
  });

  it('never gives an agent more than their cap, nor a conversation twice, with many assigners at once', async () => {
    const office = await createTaxOffice(app.db);
    const agents = await Promise.all([makeStaff(app), makeStaff(app), makeStaff(app)]);
    const group = await makeGroup(app, { taxOfficeId: office.id, agents: agents.map((a) => a.id), cap: 4 });
    const waiting = [];
    for (let i = 0; i < 20; i++) waiting.push(await waitingConversation(office.id, group));
    const assigned: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let busy = 0; busy < 50; ) {
          const r = await handoffRepo.assignOne(app.db, group);
          if (r === 'none') return;
          if (r === 'busy') {
            busy++;
            await new Promise((res) => setTimeout(res, 5));
          } else assigned.push(r.conversationId);
        }
      }),
    );
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(assigned).toHaveLength(12);
    for (const a of agents) {
      const open = await app.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.assigneeStaffId, a.id), eq(conversations.status, 'open')));
      expect(open).toHaveLength(4);
    }
  });
});
