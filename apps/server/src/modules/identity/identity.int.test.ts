/**
 * Identity end to end: portal and staff logins with lockout, acting for several enterprises, single sign-on tokens,
 * session expiry and revocation, and the realtime handshake.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../db/factories.ts';
import { sessions } from '../../db/schema.ts';
import { hashPassword } from './password.ts';
import { loadSecrets } from './secrets.ts';

// Logins are rate-limited per address and route (20 a minute), so every suite gets a server of its own.
let app: RunningApp;
function freshServerPerSuite(env: Record<string, string> = {}) {
  beforeAll(async () => {
    app = await startTestApp(env);
  });
  afterAll(async () => {
    await app?.close();
  });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function waitDisconnect(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

function connectError(
  auth: Record<string, unknown>,
): Promise<{ message: string; data?: { code: string; message: string } }> {
  const socket = ioClient(app.url, { transports: ['websocket'], reconnection: false, auth });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('neither connected nor refused'));
    }, 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.close();
      reject(new Error('handshake was accepted'));
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      resolve(err as never);
    });
  });
}

describe('portal and staff login', () => {
  freshServerPerSuite();

  it('logs a taxpayer in to the portal and shows the profile with the phone number masked', async () => {
    const office = await createTaxOffice(app.db);
    const taxpayer = await createTaxpayer(app.db, { taxOfficeId: office.id, name: '济南明湖软件有限公司' });
    await createPortalUser(app.db, {
      name: '王办税',
      phone: '13800000001',
      taxpayerIds: [taxpayer.id],
      passwordHash: await hashPassword(TEST_PASSWORD),
    });
    const portal = new HttpClient(app.url);
    const res = await portal.post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      personName: '王办税',
      phone: '138****0001',
      current: { taxpayerNo: taxpayer.taxpayerNo, name: '济南明湖软件有限公司', taxOfficeName: office.name },
    });
    expect(res.text).not.toContain('13800000001');
    expect((await portal.get('/api/portal/me')).json.current.name).toBe('济南明湖软件有限公司');
  });

  it('refuses a wrong portal password with a Chinese message', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const res = await new HttpClient(app.url).post('/api/portal/login', {
      taxpayerNo: taxpayer.taxpayerNo,
      password: 'wrong-password',
    });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '纳税人识别号或密码不正确。' });
  });

  it('locks a portal account after 5 wrong passwords, and then refuses even the right one', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const client = new HttpClient(app.url);
    for (let i = 0; i < 5; i++) {
      const r = await client.post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: `wrong-${i}` });
      expect(r.status).toBe(401);
    }
    const right = await client.post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: TEST_PASSWORD });
    expect(right.status).toBe(423);
    expect(right.json.code).toBe('ACCOUNT_LOCKED');
    expect(right.json.message).toContain('锁定');
    // no session cookie was handed out
    expect((await client.get('/api/portal/me')).status).toBe(401);
  });

  it('counts down and then locks a staff account after 5 wrong passwords, refusing even the right one', async () => {
    const s = await makeStaff(app);
    const client = new HttpClient(app.url);
    const first = await client.post('/api/staff/login', { username: s.username, password: 'wrong-0' });
    expect(first.status).toBe(401);
    expect(first.json.message).toContain('再错 4 次账号将被锁定');
    for (let i = 1; i < 4; i++) {
      expect((await client.post('/api/staff/login', { username: s.username, password: `wrong-${i}` })).status).toBe(
        401,
      );
    }
    const fifth = await client.post('/api/staff/login', { username: s.username, password: 'wrong-4' });
    expect(fifth.status).toBe(423);
    expect(fifth.json.message).toContain('锁定');
    const right = await client.post('/api/staff/login', { username: s.username, password: TEST_PASSWORD });
    expect(right.status).toBe(423);
    expect(right.json).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(right.json.message).toContain('锁定');
    expect((await client.get('/api/staff/me')).status).toBe(401);
  });

  it('forgets earlier failures after a successful staff login', async () => {
    const s = await makeStaff(app);
    const client = new HttpClient(app.url);
    for (let i = 0; i < 4; i++) await client.post('/api/staff/login', { username: s.username, password: `wrong-${i}` });
    expect((await client.post('/api/staff/login', { username: s.username, password: TEST_PASSWORD })).status).toBe(200);
    const next = await client.post('/api/staff/login', { username: s.username, password: 'wrong-again' });
    expect(next.status).toBe(401);
    expect(next.json.message).toContain('再错 4 次');
  });
});

describe('a person acting for two enterprises', () => {
  freshServerPerSuite();

  async function twoEnterprises() {
    const office = await createTaxOffice(app.db);
    const a = await createTaxpayer(app.db, {
      taxOfficeId: office.id,
      name: `甲${randomUUID().slice(0, 6)}商贸有限公司`,
    });
    const b = await createTaxpayer(app.db, {
      taxOfficeId: office.id,
      name: `乙${randomUUID().slice(0, 6)}科技有限公司`,
    });
    const user = await createPortalUser(app.db, {
      name: '李会计',
      taxpayerIds: [a.id, b.id],
      passwordHash: await hashPassword(TEST_PASSWORD),
    });
    const portal = new HttpClient(app.url);
    const login = await portal.post('/api/portal/login', { taxpayerNo: a.taxpayerNo, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    return { office, a, b, user, portal, login };
  }

  it('lists both enterprises and switches between them; the chat then opens for the new one', async () => {
    const { a, b, portal, login } = await twoEnterprises();
    expect(login.json.current.taxpayerId).toBe(a.id);
    const me = await portal.get('/api/portal/me');
    expect(me.json.enterprises.map((e: { name: string }) => e.name).sort()).toEqual([a.name, b.name].sort());

    const sw = await portal.post('/api/portal/switch', { taxpayerId: b.id });
    expect(sw.status).toBe(200);
    expect(sw.json.current).toMatchObject({ taxpayerId: b.id, name: b.name });
    expect((await portal.get('/api/portal/me')).json.current.name).toBe(b.name);

    const sso = await portal.post('/api/portal/chat-token');
    const chat = new HttpClient(app.url);
    const session = await chat.post('/api/chat/session', { token: sso.json.token });
    expect(session.status).toBe(200);
    expect(session.json.profile).toMatchObject({ taxpayerId: b.id, name: b.name });
    expect(session.json.personName).toBe('李会计');
    chat.bearer = session.json.accessToken;
    expect((await chat.get('/api/chat/profile')).json.name).toBe(b.name);
  });

  it('refuses to switch to an enterprise the person does not act for', async () => {
    const { a, portal } = await twoEnterprises();
    const { taxpayer: stranger } = await makeTaxpayer(app);
    const res = await portal.post('/api/portal/switch', { taxpayerId: stranger.id });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'FORBIDDEN', message: '您不是该企业的办税人员，无法切换。' });
    expect((await portal.get('/api/portal/me')).json.current.taxpayerId).toBe(a.id);
    // and the chat still opens for the enterprise they act for now
    const sso = await portal.post('/api/portal/chat-token');
    const session = await new HttpClient(app.url).post('/api/chat/session', { token: sso.json.token });
    expect(session.json.profile.taxpayerId).toBe(a.id);
  });
});

describe('single sign-on tokens', () => {
  freshServerPerSuite();

  async function portalOf() {
    const made = await makeTaxpayer(app);
    const portal = new HttpClient(app.url);
    await portal.post('/api/portal/login', { taxpayerNo: made.taxpayer.taxpayerNo, password: TEST_PASSWORD });
    return { ...made, portal };
  }

  const exchange = (token: string) => new HttpClient(app.url).post('/api/chat/session', { token });

  function claims(userId: string, taxpayerId: string) {
    return new SignJWT({ tid: taxpayerId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuer('zhengna-portal')
      .setAudience('zhengna-chat');
  }

  it('refuses a token signed with another key', async () => {
    const { user, taxpayer } = await portalOf();
    const forged = await claims(user.id, taxpayer.id).setIssuedAt().setExpirationTime('2m').sign(randomBytes(32));
    const res = await exchange(forged);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'SSO_TOKEN_INVALID' });
    expect(res.json.message).toContain('身份凭证无效');
    expect(res.json.accessToken).toBeUndefined();
  });

  it('refuses an expired token', async () => {
    const { user, taxpayer } = await portalOf();
    const { sso } = await loadSecrets(app.db);
    const now = Math.floor(Date.now() / 1000);
    const expired = await claims(user.id, taxpayer.id)
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 480)
      .sign(sso);
    const res = await exchange(expired);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'SSO_TOKEN_EXPIRED' });
    expect(res.json.message).toContain('已过期');
  });

  it('accepts a valid token once and refuses it the second time', async () => {
    const { portal, taxpayer } = await portalOf();
    const { token } = (await portal.post('/api/portal/chat-token')).json;
    const first = await exchange(token);
    expect(first.status).toBe(200);
    expect(first.json.profile.name).toBe(taxpayer.name);
    const second = await exchange(token);
    expect(second.status).toBe(401);
    expect(second.json).toMatchObject({ code: 'SSO_TOKEN_REPLAYED' });
    expect(second.json.message).toContain('已被使用');
  });

  it('refuses a tampered token (and the attempt does not burn the genuine one)', async () => {
    const { portal } = await portalOf();
    const { taxpayer: other } = await makeTaxpayer(app);
    const { token } = (await portal.post('/api/portal/chat-token')).json as { token: string };
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claimsJson = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claimsJson.tid = other.id;
    const tampered = `${header}.${Buffer.from(JSON.stringify(claimsJson)).toString('base64url')}.${signature}`;
    const res = await exchange(tampered);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('SSO_TOKEN_INVALID');
    expect((await exchange(`${token}x`)).json.code).toBe('SSO_TOKEN_INVALID');
    expect((await exchange(token)).status).toBe(200);
  });

  it('refuses a correctly signed token for an enterprise the person does not act for', async () => {
    const { user } = await portalOf();
    const { taxpayer: other } = await makeTaxpayer(app);
    const { sso } = await loadSecrets(app.db);
    const token = await claims(user.id, other.id).setIssuedAt().setExpirationTime('2m').sign(sso);
    const res = await exchange(token);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('SSO_TOKEN_INVALID');
  });
});

describe('sessions', () => {
  freshServerPerSuite();

  const ageSession = (secret: string, values: Partial<typeof sessions.$inferInsert>) =>
    app.db
      .update(sessions)
      .set(values)
      .where(eq(sessions.tokenHash, sha256(secret)));

  it('ends a chat session left idle beyond the idle window', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    expect((await chat.get('/api/chat/profile')).status).toBe(200);
    await ageSession(chat.bearer as string, { lastSeenAt: new Date(Date.now() - 31 * 60_000) });
    const res = await chat.get('/api/chat/profile');
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录。' });
    expect((await chat.get('/api/realtime/token')).status).toBe(401);
  });

  it('keeps a session alive while it is used inside the idle window', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    await ageSession(chat.bearer as string, { lastSeenAt: new Date(Date.now() - 29 * 60_000) });
    expect((await chat.get('/api/chat/profile')).status).toBe(200);
    // that request counted as activity: the clock restarts
    const [row] = await app.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, sha256(chat.bearer as string)));
    expect(Date.now() - (row?.lastSeenAt.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('ends an idle staff session', async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    expect((await client.get('/api/staff/me')).status).toBe(200);
    await app.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.staffId, s.id));
    expect((await client.get('/api/staff/me')).status).toBe(401);
  });

  it('ends a session past its absolute expiry even when it is in use', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    await ageSession(chat.bearer as string, { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() });
    const res = await chat.get('/api/chat/conversation');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('UNAUTHENTICATED');
  });

  it('logout ends the chat, portal and staff sessions', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat, portal } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const tpSocket = connectSocket(chat, { reconnection: false });
    await connected(tpSocket);
    const ended = nextEvent(tpSocket, 'session:ended');
    const gone = waitDisconnect(tpSocket);
    expect((await chat.post('/api/chat/logout')).status).toBe(200);
    expect((await ended).reason).toBe('已退出登录。');
    await gone;
    expect((await chat.get('/api/chat/profile')).status).toBe(401);

    expect((await portal.post('/api/portal/logout')).status).toBe(200);
    expect((await portal.get('/api/portal/me')).status).toBe(401);

    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    expect((await client.post('/api/staff/logout')).status).toBe(200);
    expect((await client.get('/api/staff/me')).status).toBe(401);
  });

  it("a staff password change ends the other sessions and their sockets, keeps the changer's, and swaps the password", async () => {
    const s = await makeStaff(app);
    const mine = await loginStaff(app, s.username);
    const other = await loginStaff(app, s.username);
    const mySocket = connectSocket(mine.client, { reconnection: false });
    const otherSocket = connectSocket(other.client, { reconnection: false });
    await Promise.all([connected(mySocket), connected(otherSocket)]);
    const myEnded: string[] = [];
    mySocket.on('session:ended', ({ reason }) => myEnded.push(reason));

    const ended = nextEvent(otherSocket, 'session:ended');
    const otherGone = waitDisconnect(otherSocket);
    const newPassword = 'NewSecret2026';
    const change = await mine.client.post('/api/staff/password', { currentPassword: TEST_PASSWORD, newPassword });
    expect(change.status).toBe(200);
    expect((await ended).reason).toContain('密码已修改');
    await otherGone;
    expect(otherSocket.connected).toBe(false);
    expect((await other.client.get('/api/staff/me')).status).toBe(401);

    // the one who changed it keeps working, live connection included
    expect((await mine.client.get('/api/staff/me')).status).toBe(200);
    expect((await mine.client.get('/api/workspace/conversations')).status).toBe(200);
    await sleep(200);
    expect(myEnded).toEqual([]);
    expect(mySocket.connected).toBe(true);
    mySocket.close();

    const oldLogin = await new HttpClient(app.url).post('/api/staff/login', {
      username: s.username,
      password: TEST_PASSWORD,
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await new HttpClient(app.url).post('/api/staff/login', {
      username: s.username,
      password: newPassword,
    });
    expect(newLogin.status).toBe(200);
  });

  it('refuses a password change with a wrong current password or a weak new one', async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    const wrong = await client.post('/api/staff/password', { currentPassword: 'not-it', newPassword: 'NewSecret2026' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toBe('当前密码不正确。');
    const weak = await client.post('/api/staff/password', { currentPassword: TEST_PASSWORD, newPassword: 'short1' });
    expect(weak.status).toBe(400);
    expect(weak.json.fields.newPassword).toContain('新密码至少 10 位');
    // nothing changed: the session and the old password still work
    expect((await client.get('/api/staff/me')).status).toBe(200);
    expect(
      (await new HttpClient(app.url).post('/api/staff/login', { username: s.username, password: TEST_PASSWORD }))
        .status,
    ).toBe(200);
  });
});

describe('realtime handshake', () => {
  freshServerPerSuite();

  it('refuses a socket without a token, with a garbage token, or with an old protocol version', async () => {
    const none = await connectError({ protocolVersion: PROTOCOL_VERSION });
    expect(none.data).toMatchObject({ code: 'UNAUTHENTICATED' });
    const garbage = await connectError({ token: 'not-a-token', protocolVersion: PROTOCOL_VERSION });
    expect(garbage.data).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录。' });

    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const { token } = (await chat.get('/api/realtime/token')).json;
    const old = await connectError({ token, protocolVersion: PROTOCOL_VERSION - 1 });
    expect(old.data).toMatchObject({ code: 'PROTOCOL_MISMATCH', message: '客户端版本过旧，请刷新页面。' });

    // the same token with the right version is fine
    const ok = ioClient(app.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token, protocolVersion: PROTOCOL_VERSION },
    });
    await connected(ok as ClientSocket);
    ok.close();
  });

  it('does not give a portal (not chat) session a realtime token', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const portal = new HttpClient(app.url);
    await portal.post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: TEST_PASSWORD });
    const res = await portal.get('/api/realtime/token');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a realtime token whose session has ended', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const { token } = (await chat.get('/api/realtime/token')).json;
    await chat.post('/api/chat/logout');
    const err = await connectError({ token, protocolVersion: PROTOCOL_VERSION });
    expect(err.data).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('a connected socket whose session expires', () => {
  // check the session again on every event, so the test need not wait
  freshServerPerSuite({ SOCKET_SESSION_RECHECK_SECONDS: '0' });

  it('can no longer send once the session has expired, and is told so', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation;
    const socket = connectSocket(chat, { reconnection: false });
    await connected(socket);
    const ok = await emitAck(socket, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      body: '还在吗',
    });
    expect(ok.ok).toBe(true);

    await app.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.tokenHash, sha256(chat.bearer as string)));
    const ended = nextEvent(socket, 'session:ended');
    const refused = await emitAck(socket, 'message:send', {
      conversationId: conv.id,
      clientId: randomUUID(),
      body: '过期后',
    });
    expect(!refused.ok && refused.error.code).toBe('UNAUTHENTICATED');
    expect((await ended).reason).toContain('登录已失效');
    const history = await app.conversations.messages(
      { kind: 'staff', sessionId: 'test', staffId: 'test', role: 'admin', name: '测试' },
      conv.id,
      { limit: 10 },
    );
    expect(history.messages.map((m) => m.body)).toEqual(['还在吗']);
  });

  it('counts socket activity as use of the session', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation;
    const socket = connectSocket(chat, { reconnection: false });
    await connected(socket);
    await app.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 29 * 60_000) })
      .where(eq(sessions.tokenHash, sha256(chat.bearer as string)));
    await emitAck(socket, 'message:send', { conversationId: conv.id, clientId: randomUUID(), body: '只用长连接' });
    const [row] = await app.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, sha256(chat.bearer as string)));
    expect(Date.now() - (row?.lastSeenAt.getTime() ?? 0)).toBeLessThan(60_000);
    socket.close();
  });
});
