/**
 * The audit log (issue #10): who did what to which record, from where, with what result — for staff changes, reads of
 * personal data, logins and reveals; append-only in the database; searchable by admins only.
 */
import { randomUUID } from 'node:crypto';
import type { TAuditEntry } from '@zhengna/contracts';
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginStaff,
  makeStaff,
  newClientId,
  openTaxpayerChat,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { auditLog, conversations, portalUsers } from '../../db/schema.ts';
import { AUDITED_ROUTE_KEYS, auditedRoute, CHANGE_METHODS } from './audited-routes.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

type Row = typeof auditLog.$inferSelect;
const entriesOf = (staffId: string): Promise<Row[]> =>
  app.db.select().from(auditLog).where(eq(auditLog.staffId, staffId)).orderBy(desc(auditLog.id));
const latest = async (staffId: string) => (await entriesOf(staffId))[0];
const rowText = (r: Row) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

async function signIn(role: 'agent' | 'supervisor' | 'admin') {
  const s = await makeStaff(app, role);
  const { client } = await loginStaff(app, s.username);
  return { staff: s, client };
}

describe('what is recorded', () => {
  it('an admin changing a setting: who, role, action, target, address, result', async () => {
    const { staff, client } = await signIn('admin');
    const current = (await client.get('/api/admin/settings/handoff-rules')).json;
    const res = await client.request('PUT', '/api/admin/settings/handoff-rules', current);
    expect(res.status).toBe(200);
    const e = await latest(staff.id);
    expect(e).toMatchObject({
      staffId: staff.id,
      staffName: staff.name,
      role: 'admin',
      kind: 'change',
      action: 'settings.handoff.update',
      result: 'ok',
      status: '200',
      ip: '127.0.0.1',
      request: 'PUT /api/admin/settings/handoff-rules',
    });
    // reading settings is not personal data: no entry for the GET
    expect((await entriesOf(staff.id)).map((r) => r.action)).toEqual(['settings.handoff.update', 'staff.login']);
  });

  it('a target comes from the route: deleting a skill group names it', async () => {
    const { staff, client } = await signIn('admin');
    await client.request('DELETE', '/api/admin/skill-groups/no-such-group');
    expect(await latest(staff.id)).toMatchObject({
      action: 'skill-group.delete',
      targetType: 'skill_group',
      targetId: 'no-such-group',
    });
  });

  it("an agent's refused admin request is recorded as denied", async () => {
    const { staff, client } = await signIn('agent');
    const res = await client.request('PUT', '/api/admin/settings/handoff-rules', { value: {}, version: 1 });
    expect(res.status).toBe(403);
    expect(await latest(staff.id)).toMatchObject({
      role: 'agent',
      kind: 'change',
      action: 'settings.handoff.update',
      result: 'denied',
      status: '403',
    });
  });

  it("a supervisor reading a taxpayer's card is a read of personal data", async () => {
    const chat = await openTaxpayerChat(app);
    const { staff, client } = await signIn('supervisor');
    const res = await client.get(`/api/workspace/conversations/${chat.conversationId}/card`);
    expect(res.status).toBe(200);
    expect(res.json.phone).toContain('****');
    expect(await latest(staff.id)).toMatchObject({
      role: 'supervisor',
      kind: 'read',
      action: 'workspace.taxpayer.read',
      targetType: 'conversation',
      targetId: chat.conversationId,
      result: 'ok',
      request: `GET /api/workspace/conversations/${chat.conversationId}/card`,
    });
    await client.get(`/api/workspace/conversations/${chat.conversationId}/messages`);
    expect(await latest(staff.id)).toMatchObject({ kind: 'read', action: 'conversation.messages.read' });
    chat.socket.disconnect();
  });

  it('logins: success with the staff member, failure with the username tried, never the password', async () => {
    const s = await makeStaff(app, 'agent');
    const wrong = `Wrong-${randomUUID()}`;
    const anon = new HttpClient(app.url);
    expect((await anon.post('/api/staff/login', { username: s.username, password: wrong })).status).toBe(401);
    const ghost = `ghost_${randomUUID().slice(0, 8)}`;
    expect((await anon.post('/api/staff/login', { username: ghost, password: wrong })).status).toBe(401);
    const { client } = await loginStaff(app, s.username);
    expect((await client.post('/api/staff/logout')).status).toBe(200);

    const byUsername = (u: string) =>
      app.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.targetType} = 'username' and ${auditLog.targetId} = ${u}`)
        .orderBy(auditLog.id);
    const attempts = await byUsername(s.username);
    expect(attempts.map((r) => [r.kind, r.action, r.result, r.staffId])).toEqual([
      ['login', 'staff.login', 'denied', null],
      ['login', 'staff.login', 'ok', s.id],
    ]);
    expect(attempts[1]).toMatchObject({ staffName: s.name, role: 'agent', status: '200' });
    expect((await byUsername(ghost))[0]).toMatchObject({ staffName: ghost, result: 'denied', status: '401' });
    expect(await latest(s.id)).toMatchObject({ kind: 'login', action: 'staff.logout', result: 'ok' });

    const all = await app.db.select().from(auditLog);
    for (const r of all) {
      expect(rowText(r)).not.toContain(wrong);
      expect(rowText(r)).not.toContain(TEST_PASSWORD);
    }
  });

  it('staff socket changes: a message is recorded with its conversation, never its text', async () => {
    const chat = await openTaxpayerChat(app);
    const { staff, client } = await signIn('agent');
    await app.db
      .update(conversations)
      .set({ assigneeStaffId: staff.id })
      .where(eq(conversations.id, chat.conversationId));
    const socket = connectSocket(client);
    await connected(socket);
    const secretText = `您的验证码 ${randomUUID()}`;
    const r = await emitAck(socket, 'message:send', {
      conversationId: chat.conversationId,
      clientId: newClientId(),
      body: secretText,
    });
    expect(r.ok).toBe(true);
    const e = await latest(staff.id);
    expect(e).toMatchObject({
      kind: 'change',
      action: 'conversation.message.send',
      targetType: 'conversation',
      targetId: chat.conversationId,
      result: 'ok',
      status: 'ok',
      request: 'message:send',
    });
    expect(rowText(e as Row)).not.toContain(secretText);
    // watching is not a change
    await emitAck(socket, 'conversation:watch', { conversationIds: [chat.conversationId] });
    expect((await latest(staff.id))?.action).toBe('conversation.message.send');
    socket.disconnect();
    chat.socket.disconnect();
  });

  it("a taxpayer's own actions are not staff actions", async () => {
    const before = (await app.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]?.n;
    const chat = await openTaxpayerChat(app);
    await chat.send('你好');
    const after = (await app.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]?.n;
    expect(after).toBe(before);
    chat.socket.disconnect();
  });
});

describe('audited routes', () => {
  it('every staff route that changes something has a stable action name', () => {
    const staffGuards = new Set(['agent', 'supervisor', 'admin', 'participant']);
    const unnamed = app.routeGuards
      .filter((r) => r.url.startsWith('/api/') && CHANGE_METHODS.has(r.method) && staffGuards.has(r.guard ?? ''))
      .filter((r) => !auditedRoute(r.method, r.url))
      .map((r) => `${r.method} ${r.url}`);
    expect(unnamed).toEqual([]);
  });

  it('every named route exists (a renamed route must not drop out of the log silently)', () => {
    const registered = new Set(app.routeGuards.map((r) => `${r.method} ${r.url}`));
    expect(AUDITED_ROUTE_KEYS.filter((k) => !registered.has(k))).toEqual([]);
  });
});

describe('revealing a full phone number', () => {
  it('the serving agent and supervisors may, others may not; every attempt is on record', async () => {
    const chat = await openTaxpayerChat(app);
    const [person] = await app.db
      .select({ phone: portalUsers.phone })
      .from(portalUsers)
      .innerJoin(conversations, eq(conversations.portalUserId, portalUsers.id))
      .where(eq(conversations.id, chat.conversationId));
    const path = `/api/workspace/conversations/${chat.conversationId}/reveal-phone`;

    const other = await signIn('agent');
    expect((await other.client.post(path)).status).toBe(403);
    expect(await latest(other.staff.id)).toMatchObject({ kind: 'reveal', result: 'denied', status: '403' });

    const serving = await signIn('agent');
    await app.db
      .update(conversations)
      .set({ assigneeStaffId: serving.staff.id })
      .where(eq(conversations.id, chat.conversationId));
    const mine = await serving.client.post(path);
    expect(mine.status).toBe(200);
    expect(mine.json.phone).toBe(person?.phone);
    const e = await latest(serving.staff.id);
    expect(e).toMatchObject({
      kind: 'reveal',
      action: 'workspace.taxpayer.phone.reveal',
      targetType: 'conversation',
      targetId: chat.conversationId,
      result: 'ok',
    });
    // the entry says that it was revealed, not what
    expect(rowText(e as Row)).not.toContain(person?.phone ?? '-');

    const sup = await signIn('supervisor');
    expect((await sup.client.post(path)).json.phone).toBe(person?.phone);
    chat.socket.disconnect();
  });
});

/** The database's own error for a statement (drizzle wraps it), or '' when it went through. */
async function refusal(statement: SQL): Promise<string> {
  try {
    await app.db.execute(statement);
    return '';
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
}

describe('append-only in the database', () => {
  async function freshEntry() {
    const [row] = await app.db
      .insert(auditLog)
      .values({
        staffName: '测试',
        kind: 'change',
        action: `test.${randomUUID()}`,
        result: 'ok',
        status: '200',
        request: 'POST /api/test',
      })
      .returning();
    return row as Row;
  }

  it('refuses UPDATE, DELETE and TRUNCATE of a recent entry, whoever asks; the row stays as it was', async () => {
    const row = await freshEntry();
    expect(await refusal(sql`update audit_log set result = 'denied' where id = ${row.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from audit_log where id = ${row.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only/);
    const [after] = await app.db.select().from(auditLog).where(eq(auditLog.id, row.id));
    expect(after).toEqual(row);
  });

  it('the retention purge removes only entries past the retention period', async () => {
    const at = (days: number) => sql`now() - make_interval(days => ${days})`;
    const insertAt = async (days: number) =>
      (
        await app.db
          .insert(auditLog)
          .values({
            at: at(days) as never,
            staffName: '测试',
            kind: 'read',
            action: `test.retention.${days}`,
            result: 'ok',
            status: '200',
            request: 'GET /api/test',
          })
          .returning({ id: auditLog.id })
      )[0]?.id as bigint;
    const old = await insertAt(400);
    const halfYear = await insertAt(200);
    const recent = await insertAt(10);
    // past the trigger's 183 days, a raw delete is allowed (that is what the purge relies on)
    const oldest = await insertAt(500);
    await app.db.execute(sql`delete from audit_log where id = ${oldest}`);

    expect(await app.audit.purge(365)).toBeGreaterThanOrEqual(1);
    const left = (await app.db.select({ id: auditLog.id }).from(auditLog)).map((r) => r.id);
    expect(left).not.toContain(old);
    expect(left).not.toContain(oldest);
    expect(left).toContain(halfYear);
    expect(left).toContain(recent);
  });

  it('AUDIT_RETENTION_DAYS below six months is a configuration error', () => {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '90' })).toThrow(/AUDIT_RETENTION_DAYS must be at least 183/);
    expect(loadConfig({}).AUDIT_RETENTION_DAYS).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '183' }).AUDIT_RETENTION_DAYS).toBe(183);
  });
});

describe('GET /api/admin/audit', () => {
  it('only admins search it; agents and supervisors get 403', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const { staff, client } = await signIn(role);
      expect((await client.get('/api/admin/audit')).status).toBe(403);
      expect(await latest(staff.id)).toMatchObject({ action: 'audit.search', kind: 'read', result: 'denied' });
    }
  });

  it('filters by staff, kind, action prefix, result, target and date, and pages newest first', async () => {
    const { staff: admin, client } = await signIn('admin');
    const { staff: actor, client: actorClient } = await signIn('admin');
    const current = (await actorClient.get('/api/admin/settings/handoff-rules')).json;
    for (let i = 0; i < 3; i++) {
      const r = await actorClient.request('PUT', '/api/admin/settings/handoff-rules', current);
      current.version = r.json?.version ?? current.version;
    }
    await actorClient.request('DELETE', '/api/admin/skill-groups/g-x');

    const search = async (q: string) => {
      const r = await client.get(`/api/admin/audit?${q}`);
      expect(r.status).toBe(200);
      return r.json as { items: TAuditEntry[]; nextBefore: string | null };
    };
    const all = await search(`staffId=${actor.id}`);
    expect(all.items.map((e) => e.action)).toEqual([
      'skill-group.delete',
      'settings.handoff.update',
      'settings.handoff.update',
      'settings.handoff.update',
      'staff.login',
    ]);
    expect(all.nextBefore).toBeNull();
    expect((await search(`staffId=${actor.id}&action=settings.`)).items).toHaveLength(3);
    expect((await search(`staffId=${actor.id}&kind=login`)).items.map((e) => e.action)).toEqual(['staff.login']);
    expect((await search(`staffId=${actor.id}&targetId=g-x`)).items.map((e) => e.action)).toEqual([
      'skill-group.delete',
    ]);
    // a literal prefix: `_` is not a wildcard
    expect((await search(`staffId=${actor.id}&action=settings_`)).items).toHaveLength(0);

    // keyset pages of two: 2 + 2 + 1, no overlap, same order
    const p1 = await search(`staffId=${actor.id}&pageSize=2`);
    const p2 = await search(`staffId=${actor.id}&pageSize=2&before=${p1.nextBefore}`);
    const p3 = await search(`staffId=${actor.id}&pageSize=2&before=${p2.nextBefore}`);
    expect([...p1.items, ...p2.items, ...p3.items].map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    expect(p3.nextBefore).toBeNull();

    // dates are China dates: today (CST) holds them, yesterday does not
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    expect((await search(`staffId=${actor.id}&from=${today}&to=${today}`)).items).toHaveLength(5);
    expect((await search(`staffId=${actor.id}&to=${yesterday}`)).items).toHaveLength(0);
    expect((await client.get('/api/admin/audit?before=abc')).status).toBe(400);

    // the searches themselves are on record
    const mine = await entriesOf(admin.id);
    expect(mine[0]).toMatchObject({ kind: 'read', action: 'audit.search', result: 'denied', status: '400' });
    expect(mine.filter((e) => e.action === 'audit.search' && e.result === 'ok').length).toBeGreaterThanOrEqual(8);
  });
});
