/**
 * 账号安全 end to end: the staff password policy and expiry, the TOTP second factor (RFC 6238) at login, the setting
 * that makes administrators set it up, and 强制下线 of a staff member's sessions.
 */
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  HttpClient,
  loginStaff,
  makeStaff,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { staff } from '../../db/schema.ts';
import { loadSecrets } from './secrets.ts';

let app: RunningApp;
function freshServerPerSuite() {
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
}

const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

function waitDisconnect(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A staff member with the second factor set up (the confirming code used the current step). */
async function enrolled(role: 'agent' | 'supervisor' | 'admin' = 'admin') {
  const s = await makeStaff(app, role);
  const { client } = await loginStaff(app, s.username);
  const setup = await client.post('/api/staff/totp/setup');
  expect(setup.status).toBe(200);
  const secret: string = setup.json.secret;
  const confirm = await client.post('/api/staff/totp/confirm', { code: codeAt(secret) });
  expect(confirm.status).toBe(200);
  return { s, secret, client };
}

async function passwordStep(username: string) {
  const client = new HttpClient(app.url);
  const res = await client.post('/api/staff/login', { username, password: TEST_PASSWORD });
  return { client, res };
}

describe('password policy and expiry', () => {
  freshServerPerSuite();

  it('names in Chinese what a new password lacks', async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    const short = await client.post('/api/staff/password', { currentPassword: TEST_PASSWORD, newPassword: 'Ab1!' });
    expect(short.status).toBe(400);
    expect(short.json.message).toContain('新密码至少 10 位');
    const plain = await client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'abcdefghijkl',
    });
    expect(plain.status).toBe(400);
    expect(plain.json.fields.newPassword).toContain('当前缺少：大写字母、数字、符号');
    const same = await client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.status).toBe(400);
    expect(same.json.message).toBe('新密码不能与当前密码相同。');
    const good = await client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'zhengna-2026-ok',
    });
    expect(good.status).toBe(200);
  });

  it('an administrator changes the policy with a version check; supervisors may only read it', async () => {
    const admin = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, admin.username);
    const read = await client.get('/api/admin/settings/security');
    expect(read.json).toEqual({
      value: { passwordMinLength: 10, passwordExpiryDays: 90, requireAdminTotp: false },
      version: 0,
    });
    const tooShort = await client.request('PUT', '/api/admin/settings/security', {
      value: { ...read.json.value, passwordMinLength: 6 },
      version: 0,
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.json.message).toContain('密码最短长度不能少于 8 位');
    const saved = await client.request('PUT', '/api/admin/settings/security', {
      value: { ...read.json.value, passwordMinLength: 12 },
      version: 0,
    });
    expect(saved.status).toBe(200);
    const stale = await client.request('PUT', '/api/admin/settings/security', { value: read.json.value, version: 0 });
    expect(stale.json.code).toBe('VERSION_CONFLICT');

    const s = await makeStaff(app);
    const agent = await loginStaff(app, s.username);
    const eleven = await agent.client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Abcdef12345',
    });
    expect(eleven.json.message).toContain('新密码至少 12 位');

    const sup = await loginStaff(app, (await makeStaff(app, 'supervisor')).username);
    expect((await sup.client.get('/api/admin/settings/security')).status).toBe(200);
    const refused = await sup.client.request('PUT', '/api/admin/settings/security', {
      value: read.json.value,
      version: 1,
    });
    expect(refused.status).toBe(403);
    await client.request('PUT', '/api/admin/settings/security', { value: read.json.value, version: 1 });
  });

  it('an expired password signs in to a state where only changing it works', async () => {
    const s = await makeStaff(app);
    await app.db
      .update(staff)
      .set({ passwordChangedAt: new Date(Date.now() - 91 * 24 * 3600_000) })
      .where(eq(staff.id, s.id));
    const { client, me } = await loginStaff(app, s.username);
    expect(me.mustChangePassword).toBe(true);
    expect((await client.get('/api/staff/me')).json.mustChangePassword).toBe(true);
    const blocked = await client.get('/api/workspace/conversations');
    expect(blocked.status).toBe(403);
    expect(blocked.json.code).toBe('PASSWORD_EXPIRED');
    expect((await client.get('/api/realtime/token')).json.code).toBe('PASSWORD_EXPIRED');

    const changed = await client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Renewed#2026x',
    });
    expect(changed.status).toBe(200);
    expect((await client.get('/api/workspace/conversations')).status).toBe(200);
    expect((await client.get('/api/staff/me')).json.mustChangePassword).toBe(false);
  });
});

describe('TOTP second factor', () => {
  freshServerPerSuite();

  it('enrols with a sealed secret and an otpauth URI, then the login asks for a code that works once', async () => {
    const { s, secret } = await enrolled();
    const [row] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(row?.totpEnabled).toBe(true);
    expect(row?.totpSecret).toMatch(/^v1\./);
    expect(row?.totpSecret).not.toContain(secret);

    const { client, res } = await passwordStep(s.username);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ needsTotp: true, challenge: expect.any(String) });
    expect((await client.get('/api/staff/me')).status).toBe(401); // no session yet

    // the confirming code's step is spent; the next step's code is good once
    const reused = await client.post('/api/staff/login/totp', { challenge: res.json.challenge, code: codeAt(secret) });
    expect(reused.json.code).toBe('TOTP_INVALID');
    const code = codeAt(secret, 1);
    const ok = await client.post('/api/staff/login/totp', { challenge: res.json.challenge, code });
    expect(ok.status).toBe(200);
    expect(ok.json.staffId).toBe(s.id);
    expect(ok.json.totpEnabled).toBe(true);
    expect((await client.get('/api/staff/me')).status).toBe(200);

    const again = await passwordStep(s.username);
    const twice = await again.client.post('/api/staff/login/totp', { challenge: again.res.json.challenge, code });
    expect(twice.status).toBe(401);
    expect(twice.json.code).toBe('TOTP_INVALID');
  });

  it('a wrong code is refused and counts toward the lockout', async () => {
    const { s, secret } = await enrolled();
    const { client, res } = await passwordStep(s.username);
    const wrongCode = codeAt(secret, 1) === '000000' ? '111111' : '000000';
    const wrong = await client.post('/api/staff/login/totp', { challenge: res.json.challenge, code: wrongCode });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toContain('再错 4 次账号将被锁定');
    const [row] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(row?.failedLogins).toBe(1);
    const malformed = await client.post('/api/staff/login/totp', { challenge: res.json.challenge, code: '12ab' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toContain('6 位数字动态验证码');

    for (let i = 0; i < 4; i++) {
      await client.post('/api/staff/login/totp', { challenge: res.json.challenge, code: wrongCode });
    }
    const locked = await client.post('/api/staff/login/totp', {
      challenge: res.json.challenge,
      code: codeAt(secret, 1),
    });
    expect(locked.json.code).toBe('ACCOUNT_LOCKED');
  });

  it('refuses a forged or expired challenge', async () => {
    const { s, secret } = await enrolled();
    const forged = await new SignJWT({ pwc: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.id)
      .setAudience('zhengna-staff-totp')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not-the-key-not-the-key-not-the-key!'));
    const client = new HttpClient(app.url);
    const r1 = await client.post('/api/staff/login/totp', { challenge: forged, code: codeAt(secret, 1) });
    expect(r1.json.code).toBe('TOTP_CHALLENGE_INVALID');

    const [row] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    const { challenge: key } = await loadSecrets(app.db);
    const expired = await new SignJWT({ pwc: row?.passwordChangedAt.getTime() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.id)
      .setAudience('zhengna-staff-totp')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(key);
    const r2 = await client.post('/api/staff/login/totp', { challenge: expired, code: codeAt(secret, 1) });
    expect(r2.status).toBe(401);
    expect(r2.json.code).toBe('TOTP_CHALLENGE_INVALID');
    expect(r2.json.message).toContain('请重新输入用户名和密码登录');
  });

  it('turning it off takes a current code', async () => {
    const { client, secret, s } = await enrolled('supervisor');
    const again = await client.post('/api/staff/totp/setup');
    expect(again.status).toBe(400);
    const wrong = await client.request('DELETE', '/api/staff/totp', {
      code: '999999' === codeAt(secret, 1) ? '000000' : '999999',
    });
    expect(wrong.status).toBe(401);
    const off = await client.request('DELETE', '/api/staff/totp', { code: codeAt(secret, 1) });
    expect(off.status).toBe(200);
    const { res } = await passwordStep(s.username);
    expect(res.json.staffId).toBe(s.id);
  });

  it('with 管理员必须启用双因素认证 on, an administrator without it must set it up first', async () => {
    const admin = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, admin.username);
    const current = await client.get('/api/admin/settings/security');
    await client.request('PUT', '/api/admin/settings/security', {
      value: { ...current.json.value, requireAdminTotp: true },
      version: current.json.version,
    });
    try {
      const other = await makeStaff(app, 'admin');
      const login = await loginStaff(app, other.username);
      expect(login.me.mustEnrolTotp).toBe(true);
      const blocked = await login.client.get('/api/workspace/conversations');
      expect(blocked.json.code).toBe('TOTP_REQUIRED');
      const setup = await login.client.post('/api/staff/totp/setup');
      const confirm = await login.client.post('/api/staff/totp/confirm', { code: codeAt(setup.json.secret) });
      expect(confirm.status).toBe(200);
      expect((await login.client.get('/api/workspace/conversations')).status).toBe(200);
      // agents are not affected
      const agent = await loginStaff(app, (await makeStaff(app)).username);
      expect(agent.me.mustEnrolTotp).toBe(false);
    } finally {
      const now = await client.get('/api/admin/settings/security');
      await client.request('PUT', '/api/admin/settings/security', {
        value: { ...now.json.value, requireAdminTotp: false },
        version: now.json.version,
      });
    }
  });
});

describe('强制下线', () => {
  freshServerPerSuite();

  it('ends every session of the staff member and closes their sockets', async () => {
    const target = await makeStaff(app);
    const a = await loginStaff(app, target.username);
    const b = await loginStaff(app, target.username);
    const socket = connectSocket(a.client, { reconnection: false });
    await connected(socket);
    const ended = nextEvent(socket, 'session:ended');
    const gone = waitDisconnect(socket);

    const admin = await loginStaff(app, (await makeStaff(app, 'admin')).username);
    const res = await admin.client.post(`/api/admin/staff/${target.id}/logout`);
    expect(res.status).toBe(200);
    expect(res.json.sessions).toBe(2);
    expect((await ended).reason).toContain('登录已失效');
    await gone;
    expect((await a.client.get('/api/staff/me')).status).toBe(401);
    expect((await b.client.get('/api/staff/me')).status).toBe(401);
    // they can sign in again
    await loginStaff(app, target.username);

    const self = await admin.client.post(`/api/admin/staff/${admin.me.staffId}/logout`);
    expect(self.status).toBe(400);
    const missing = await admin.client.post('/api/admin/staff/00000000-0000-4000-8000-000000000000/logout');
    expect(missing.status).toBe(404);
  });

  it('only administrators may do it', async () => {
    const target = await makeStaff(app);
    for (const role of ['agent', 'supervisor'] as const) {
      const { client } = await loginStaff(app, (await makeStaff(app, role)).username);
      expect((await client.post(`/api/admin/staff/${target.id}/logout`)).status).toBe(403);
    }
  });
});
