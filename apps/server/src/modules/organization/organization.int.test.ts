/**
 * 组织与人员 end to end over real HTTP and sockets: staff accounts (list, create with a temporary password, edit with a
 * version check, reset the password) and the tax-office tree — who may do it, what is refused, and what a changed
 * person notices (a forced password change, a dead session).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  HttpClient,
  loginStaff,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createStaff, createTaxOffice } from '../../db/factories.ts';
import { auditLog, staff, taxpayers } from '../../db/schema.ts';
import { createOrganizationService } from './organization.service.ts';

let app: RunningApp;
function freshServerPerSuite() {
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
}

const uniqueName = (prefix: string) => `${prefix}${randomUUID().slice(0, 8)}`;

async function signIn(role: 'agent' | 'supervisor' | 'admin') {
  const s = await makeStaff(app, role);
  const { client, me } = await loginStaff(app, s.username);
  return { staff: s, client, me };
}

/** The account as the console lists it (found by its username). */
async function accountOf(client: HttpClient, username: string) {
  const res = await client.get(`/api/admin/staff?q=${encodeURIComponent(username)}`);
  expect(res.status).toBe(200);
  return res.json.items.find((a: { username: string }) => a.username === username);
}

function waitDisconnect(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const put = (client: HttpClient, url: string, body: unknown) => client.request('PUT', url, body);

describe('人员账号: listing and creating', () => {
  freshServerPerSuite();

  it('supervisors and admins list accounts without any secret; agents may not', async () => {
    const office = await createTaxOffice(app.db, { name: uniqueName('列表测试局') });
    const sub = await createTaxOffice(app.db, { name: uniqueName('列表测试分局'), parentId: office.id });
    const a = await createStaff(app.db, { taxOfficeId: office.id, name: '列表甲', role: 'agent', password: 'X' });
    const b = await createStaff(app.db, { taxOfficeId: sub.id, name: '列表乙', role: 'supervisor', password: 'X' });
    await app.db.update(staff).set({ active: false }).where(eq(staff.id, b.id));

    const sup = await signIn('supervisor');
    const all = await sup.client.get(`/api/admin/staff?officeId=${office.id}`);
    expect(all.status).toBe(200);
    // the office and the one below it
    expect(all.json.total).toBe(2);
    expect(all.json.items.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(all.json.items.find((x: { id: string }) => x.id === b.id)).toMatchObject({
      username: b.username,
      name: '列表乙',
      role: 'supervisor',
      officeId: sub.id,
      officeName: sub.name,
      active: false,
      mustChangePassword: false,
      locked: false,
      totpEnabled: false,
      version: 1,
    });
    expect(all.text).not.toMatch(/passwordHash|totpSecret|argon2/);

    const filtered = async (query: string) =>
      (await sup.client.get(`/api/admin/staff?officeId=${office.id}&${query}`)).json.items.map(
        (x: { id: string }) => x.id,
      );
    expect(await filtered('role=agent')).toEqual([a.id]);
    expect(await filtered('active=false')).toEqual([b.id]);
    expect(await filtered(`q=${encodeURIComponent('列表甲')}`)).toEqual([a.id]);
    expect(await filtered(`q=${b.username.toUpperCase()}`)).toEqual([b.id]);
    expect(await filtered('q=%25')).toEqual([]); // a typed % is literal
    expect((await sup.client.get(`/api/admin/staff?officeId=${sub.id}`)).json.total).toBe(1);

    const bad = await sup.client.get('/api/admin/staff?role=boss');
    expect(bad.status).toBe(400);
    const paged = await sup.client.get('/api/admin/staff?page=2');
    expect(paged.json).toMatchObject({ page: 2, pageSize: 20 });

    const agent = await signIn('agent');
    expect((await agent.client.get('/api/admin/staff')).status).toBe(403);
  });

  it('an admin creates an account; the temporary password signs in only to choose a new one', async () => {
    const admin = await signIn('admin');
    const office = await createTaxOffice(app.db);
    const username = uniqueName('new.agent_');
    const created = await admin.client.post('/api/admin/staff', {
      username,
      name: '新坐席',
      role: 'agent',
      officeId: office.id,
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const temporary: string = created.json.temporaryPassword;
    expect(temporary.length).toBeGreaterThanOrEqual(16);
    expect(created.json.account).toMatchObject({
      username,
      name: '新坐席',
      role: 'agent',
      officeId: office.id,
      active: true,
      mustChangePassword: true,
      version: 1,
    });
    const [row] = await app.db.select().from(staff).where(eq(staff.username, username));
    expect(row?.passwordHash).not.toContain(temporary);
    // the audit log names the action and never holds the password
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.staffId, admin.staff.id))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry).toMatchObject({ action: 'staff.create', result: 'ok' });
    expect(JSON.stringify(entry, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(temporary);

    const { client, me } = await loginStaff(app, username, temporary);
    expect(me.mustChangePassword).toBe(true);
    const blocked = await client.get('/api/workspace/conversations');
    expect(blocked.status).toBe(403);
    expect(blocked.json.code).toBe('PASSWORD_EXPIRED');
    const changed = await client.post('/api/staff/password', {
      currentPassword: temporary,
      newPassword: 'MyOwn#Pass2026',
    });
    expect(changed.status).toBe(200);
    expect((await client.get('/api/workspace/conversations')).status).toBe(200);
    expect((await client.get('/api/staff/me')).json.mustChangePassword).toBe(false);
    expect((await accountOf(admin.client, username)).mustChangePassword).toBe(false);
    // and the next login goes straight in
    expect((await loginStaff(app, username, 'MyOwn#Pass2026')).me.mustChangePassword).toBe(false);
  });

  it('refuses a bad or taken username and an unknown office, in Chinese', async () => {
    const admin = await signIn('admin');
    const office = await createTaxOffice(app.db);
    const body = { username: 'x', name: '某人', role: 'agent', officeId: office.id };
    const short = await admin.client.post('/api/admin/staff', { ...body, username: 'ab' });
    expect(short.json.fields.username).toBe('用户名至少 3 位');
    const chars = await admin.client.post('/api/admin/staff', { ...body, username: '张三丰x' });
    expect(chars.status).toBe(400);
    expect(chars.json.fields.username).toContain('只能包含字母、数字');

    const taken = await admin.client.post('/api/admin/staff', {
      ...body,
      username: admin.staff.username.toUpperCase(),
    });
    expect(taken.status).toBe(400);
    expect(taken.json.message).toBe(`用户名“${admin.staff.username.toUpperCase()}”已被使用，请换一个。`);
    expect(taken.json.fields.username).toContain('已被使用');

    const nowhere = await admin.client.post('/api/admin/staff', {
      ...body,
      username: uniqueName('u'),
      officeId: 'NO-SUCH-OFFICE',
    });
    expect(nowhere.status).toBe(400);
    expect(nowhere.json.message).toContain('所属税务机关不存在');
    const noRole = await admin.client.post('/api/admin/staff', { ...body, username: uniqueName('u'), role: 'boss' });
    expect(noRole.status).toBe(400);
  });

  it('supervisors and agents get 403 on every write', async () => {
    const target = await makeStaff(app);
    const office = await createTaxOffice(app.db);
    for (const role of ['agent', 'supervisor'] as const) {
      const { client } = await signIn(role);
      const writes = [
        await client.post('/api/admin/staff', {
          username: uniqueName('u'),
          name: '某',
          role: 'agent',
          officeId: office.id,
        }),
        await put(client, `/api/admin/staff/${target.id}`, {
          version: 1,
          name: '改名',
          role: 'agent',
          officeId: office.id,
          active: false,
        }),
        await client.post(`/api/admin/staff/${target.id}/reset-password`),
        await client.post('/api/admin/tax-offices', { id: uniqueName('T'), name: '新局' }),
        await put(client, `/api/admin/tax-offices/${office.id}`, { version: 1, name: '改名', parentId: null }),
        await client.request('DELETE', `/api/admin/tax-offices/${office.id}?version=1`),
      ];
      expect(writes.map((r) => `${role} ${r.status}`)).toEqual(writes.map(() => `${role} 403`));
    }
    const [row] = await app.db.select().from(staff).where(eq(staff.id, target.id));
    expect(row).toMatchObject({ active: true, version: 1, mustChangePassword: false });
  });
});

// the login rate limit (20 a minute from one address) caps how many sign-ins one server takes
describe('人员账号: editing and resetting', () => {
  freshServerPerSuite();

  it('another admin’s concurrent edit is refused with 409, not lost', async () => {
    const target = await makeStaff(app);
    const first = await signIn('admin');
    const second = await signIn('admin');
    const seen = await accountOf(second.client, target.username);
    const edit = { version: seen.version, name: seen.name, role: seen.role, officeId: seen.officeId, active: true };

    const saved = await put(first.client, `/api/admin/staff/${target.id}`, { ...edit, name: '先保存的名字' });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ name: '先保存的名字', version: 2 });
    const stale = await put(second.client, `/api/admin/staff/${target.id}`, { ...edit, maxConcurrent: 9 });
    expect(stale.status).toBe(409);
    expect(stale.json).toEqual({ code: 'VERSION_CONFLICT', message: '该账号已被他人修改，请刷新后再修改。' });
    const [row] = await app.db.select().from(staff).where(eq(staff.id, target.id));
    expect(row).toMatchObject({ name: '先保存的名字', maxConcurrent: 5, version: 2 });

    const retried = await put(second.client, `/api/admin/staff/${target.id}`, {
      ...edit,
      name: '先保存的名字',
      version: 2,
      maxConcurrent: 9,
    });
    expect(retried.json).toMatchObject({ maxConcurrent: 9, version: 3 });
    const missing = await put(second.client, `/api/admin/staff/${randomUUID()}`, edit);
    expect(missing.status).toBe(404);
  });

  it('an admin may neither deactivate nor demote themselves', async () => {
    const admin = await signIn('admin');
    const me = await accountOf(admin.client, admin.staff.username);
    const base = { version: me.version, name: me.name, role: me.role, officeId: me.officeId, active: true };
    const off = await put(admin.client, `/api/admin/staff/${admin.staff.id}`, { ...base, active: false });
    expect(off.status).toBe(400);
    expect(off.json.message).toBe('不能停用自己的账号，请由其他管理员操作。');
    const demoted = await put(admin.client, `/api/admin/staff/${admin.staff.id}`, { ...base, role: 'supervisor' });
    expect(demoted.json.message).toBe('不能更改自己的角色，请由其他管理员操作。');
    // their own name is theirs to fix, and the session carries on
    const renamed = await put(admin.client, `/api/admin/staff/${admin.staff.id}`, { ...base, name: '改过的名字' });
    expect(renamed.status).toBe(200);
    expect((await admin.client.get('/api/staff/me')).status).toBe(200);
  });

  it('deactivation ends the open session and its socket, and the account can no longer sign in', async () => {
    const admin = await signIn('admin');
    const agent = await signIn('agent');
    const socket = connectSocket(agent.client, { reconnection: false });
    await connected(socket);
    const ended = nextEvent(socket, 'session:ended');
    const gone = waitDisconnect(socket);

    const seen = await accountOf(admin.client, agent.staff.username);
    const res = await put(admin.client, `/api/admin/staff/${agent.staff.id}`, {
      version: seen.version,
      name: seen.name,
      role: seen.role,
      officeId: seen.officeId,
      active: false,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ active: false, presence: 'away' });
    expect((await ended).reason).toContain('已被管理员停用');
    await gone;
    expect((await agent.client.get('/api/staff/me')).status).toBe(401);
    const login = await new HttpClient(app.url).post('/api/staff/login', {
      username: agent.staff.username,
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(401);
    expect(login.json.message).toBe('用户名或密码不正确。');

    // 启用 again: the same password works
    const back = await put(admin.client, `/api/admin/staff/${agent.staff.id}`, {
      ...{ name: seen.name, role: seen.role, officeId: seen.officeId },
      version: res.json.version,
      active: true,
    });
    expect(back.status).toBe(200);
    await loginStaff(app, agent.staff.username);
  });

  it('a new role ends the sessions; a rename does not', async () => {
    const admin = await signIn('admin');
    const agent = await signIn('agent');
    const seen = await accountOf(admin.client, agent.staff.username);
    const base = { name: seen.name, role: seen.role, officeId: seen.officeId, active: true };
    await put(admin.client, `/api/admin/staff/${agent.staff.id}`, { ...base, version: 1, name: '只改名字' });
    expect((await agent.client.get('/api/staff/me')).status).toBe(200);
    const promoted = await put(admin.client, `/api/admin/staff/${agent.staff.id}`, {
      ...base,
      version: 2,
      role: 'supervisor',
    });
    expect(promoted.json.role).toBe('supervisor');
    expect((await agent.client.get('/api/staff/me')).status).toBe(401);
    expect((await loginStaff(app, agent.staff.username)).me.role).toBe('supervisor');
  });

  it('重置密码: a new temporary password, the lock lifted, every session ended, a forced change at login', async () => {
    const admin = await signIn('admin');
    const agent = await signIn('agent');
    await app.db
      .update(staff)
      .set({ failedLogins: 5, lockedUntil: new Date(Date.now() + 600_000) })
      .where(eq(staff.id, agent.staff.id));
    expect((await accountOf(admin.client, agent.staff.username)).locked).toBe(true);

    const reset = await admin.client.post(`/api/admin/staff/${agent.staff.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    expect(reset.json.account).toMatchObject({ mustChangePassword: true, locked: false });
    const temporary: string = reset.json.temporaryPassword;
    expect((await agent.client.get('/api/staff/me')).status).toBe(401);
    const [row] = await app.db.select().from(staff).where(eq(staff.id, agent.staff.id));
    expect(row).toMatchObject({ failedLogins: 0, lockedUntil: null, mustChangePassword: true });

    const old = await new HttpClient(app.url).post('/api/staff/login', {
      username: agent.staff.username,
      password: TEST_PASSWORD,
    });
    expect(old.status).toBe(401);
    const { client, me } = await loginStaff(app, agent.staff.username, temporary);
    expect(me.mustChangePassword).toBe(true);
    expect((await client.get('/api/realtime/token')).json.code).toBe('PASSWORD_EXPIRED');
    await client.post('/api/staff/password', { currentPassword: temporary, newPassword: 'Fresh#Start2026' });
    expect((await client.get('/api/realtime/token')).status).toBe(200);

    const self = await admin.client.post(`/api/admin/staff/${admin.staff.id}/reset-password`);
    expect(self.status).toBe(400);
    expect(self.json.message).toContain('不能重置自己的密码');
    expect((await admin.client.post(`/api/admin/staff/${randomUUID()}/reset-password`)).status).toBe(404);
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.staffId, admin.staff.id), eq(auditLog.action, 'staff.password.reset')))
      .orderBy(auditLog.id)
      .limit(1);
    expect(entry).toMatchObject({ targetType: 'staff', targetId: agent.staff.id, result: 'ok' });
  });
});

describe('the last active administrator', () => {
  freshServerPerSuite();

  it('two admins deactivating each other at once: one wins, one admin is left', async () => {
    const a = await signIn('admin');
    const b = await signIn('admin');
    const edit = (target: typeof a) => ({
      version: 1,
      name: target.staff.name,
      role: 'admin',
      officeId: target.staff.taxOfficeId,
      active: false,
    });
    const [ab, ba] = await Promise.all([
      put(a.client, `/api/admin/staff/${b.staff.id}`, edit(b)),
      put(b.client, `/api/admin/staff/${a.staff.id}`, edit(a)),
    ]);
    const statuses = [ab.status, ba.status].sort();
    expect(statuses[0]).toBe(200);
    // the loser was either turned away as the last admin, or had already lost their session
    const loser = ab.status === 200 ? ba : ab;
    if (loser.status === 400) expect(loser.json.message).toContain('至少需要保留一名启用的管理员');
    else expect(loser.status).toBe(401);
    const admins = await app.db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), eq(staff.active, true)));
    expect(admins).toHaveLength(1);
  });

  it('the last one can be neither deactivated nor demoted, whoever asks', async () => {
    const [last] = await app.db
      .select()
      .from(staff)
      .where(and(eq(staff.role, 'admin'), eq(staff.active, true)));
    if (!last) throw new Error('no admin left');
    // the service itself, for an acting admin who is not in this database: only the last-admin rule can answer
    const organization = createOrganizationService({
      db: app.db,
      identity: app.identity,
      security: () => app.settings.security(),
    });
    const actor = {
      kind: 'staff',
      sessionId: randomUUID(),
      staffId: randomUUID(),
      role: 'admin',
      name: '别处',
    } as const;
    const base = {
      version: last.version,
      name: last.name,
      role: 'admin',
      officeId: last.taxOfficeId,
      active: true,
    } as const;
    await expect(organization.updateStaff(actor, last.id, { ...base, role: 'agent' })).rejects.toThrow(
      '系统至少需要保留一名启用的管理员，不能停用最后一名管理员或更改其角色。',
    );
    await expect(organization.updateStaff(actor, last.id, { ...base, active: false })).rejects.toThrow(
      '至少需要保留一名',
    );
    const [after] = await app.db.select().from(staff).where(eq(staff.id, last.id));
    expect(after).toMatchObject({ role: 'admin', active: true, version: last.version });
  });
});

describe('税务机关', () => {
  freshServerPerSuite();

  it('adds, renames and moves offices; a cycle or an unknown parent is refused', async () => {
    const admin = await signIn('admin');
    const root = uniqueName('R');
    const child = uniqueName('C');
    const grandchild = uniqueName('G');
    const made = await admin.client.post('/api/admin/tax-offices', { id: root, name: '测试省局' });
    expect(made.status).toBe(200);
    expect(made.json).toEqual({ id: root, name: '测试省局', parentId: null, version: 1 });
    await admin.client.post('/api/admin/tax-offices', { id: child, name: '测试市局', parentId: root });
    await admin.client.post('/api/admin/tax-offices', { id: grandchild, name: '测试区局', parentId: child });

    const dup = await admin.client.post('/api/admin/tax-offices', { id: root, name: '重复' });
    expect(dup.status).toBe(400);
    expect(dup.json.message).toContain(`机关代码“${root}”已存在`);
    const orphan = await admin.client.post('/api/admin/tax-offices', {
      id: uniqueName('O'),
      name: '孤儿',
      parentId: 'nope',
    });
    expect(orphan.json.message).toContain('上级机关不存在');
    const badId = await admin.client.post('/api/admin/tax-offices', { id: '中文代码', name: '测试' });
    expect(badId.json.fields.id).toContain('机关代码只能包含字母、数字和连字符');

    const cycle = await put(admin.client, `/api/admin/tax-offices/${root}`, {
      version: 1,
      name: '测试省局',
      parentId: grandchild,
    });
    expect(cycle.status).toBe(400);
    expect(cycle.json.message).toBe('不能把税务机关移到它自己的下级机关之下，这会形成循环。');
    const selfParent = await put(admin.client, `/api/admin/tax-offices/${child}`, {
      version: 1,
      name: '测试市局',
      parentId: child,
    });
    expect(selfParent.json.message).toContain('自己的上级机关');

    const moved = await put(admin.client, `/api/admin/tax-offices/${grandchild}`, {
      version: 1,
      name: '测试区局（改名）',
      parentId: root,
    });
    expect(moved.json).toEqual({ id: grandchild, name: '测试区局（改名）', parentId: root, version: 2 });
    const stale = await put(admin.client, `/api/admin/tax-offices/${grandchild}`, {
      version: 1,
      name: '旧名',
      parentId: root,
    });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe('该税务机关已被他人修改，请刷新后再操作。');

    // the list shows the new tree, with versions, to supervisors as well
    const sup = await signIn('supervisor');
    const { offices } = (await sup.client.get('/api/admin/tax-offices')).json;
    expect(offices.find((o: { id: string }) => o.id === grandchild)).toEqual(moved.json);
  });

  it('refuses to delete an office that still has sub-offices, staff or taxpayers', async () => {
    const admin = await signIn('admin');
    const parent = await createTaxOffice(app.db, { name: '待删上级局' });
    const office = await createTaxOffice(app.db, { name: '待删局', parentId: parent.id });
    const del = (id: string, version = 1) =>
      admin.client.request('DELETE', `/api/admin/tax-offices/${id}?version=${version}`);

    const withChild = await del(parent.id);
    expect(withChild.status).toBe(400);
    expect(withChild.json.message).toBe(
      '“待删上级局”还有1 个下级机关，不能删除。请先将其移至其他税务机关或删除后再试。',
    );

    const person = await createStaff(app.db, { taxOfficeId: office.id, password: 'X' });
    const { taxpayer } = await makeTaxpayer(app);
    // the harness's taxpayer gets an office of its own; move it here
    await app.db.update(taxpayers).set({ taxOfficeId: office.id }).where(eq(taxpayers.id, taxpayer.id));
    const busy = await del(office.id);
    expect(busy.status).toBe(400);
    expect(busy.json.message).toContain('1 名工作人员、1 户纳税人');

    const missingVersion = await admin.client.request('DELETE', `/api/admin/tax-offices/${office.id}`);
    expect(missingVersion.status).toBe(400);
    expect((await del(office.id, 7)).status).toBe(409);

    await app.db.update(staff).set({ taxOfficeId: parent.id }).where(eq(staff.id, person.id));
    await app.db.update(taxpayers).set({ taxOfficeId: parent.id }).where(eq(taxpayers.id, taxpayer.id));
    expect((await del(office.id)).status).toBe(200);
    expect((await del(office.id)).status).toBe(404);
    const stillBusy = await del(parent.id);
    expect(stillBusy.json.message).toContain('1 名工作人员、1 户纳税人');
  });
});
