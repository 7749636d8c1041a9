/**
 * Session attacks (CWE-384, CWE-613, CWE-347, CWE-294): the classes of
 * - Rocket.Chat's and Mattermost's "token still valid after logout / password change / deactivation" advisories
 *   (sessions and WebSocket connections that outlive the account change that should have ended them);
 * - Zammad's and Chatwoot's session fixation (a session value planted before login adopted by the login);
 * - Rocket.Chat's and Mattermost's SSO/OAuth handoff bypasses (forged, replayed, re-targeted and alg-confused JWTs);
 * - Mattermost's and Zammad's MFA bypasses (a TOTP code accepted twice, a second factor skipped).
 *
 * Every attack must fail with the product's Chinese refusal, and the victim's account reads back unchanged.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { sessions, staff } from '../../src/db/schema.ts';
import { loadSecrets } from '../../src/modules/identity/secrets.ts';
import {
  connected,
  connectSocket,
  HttpClient,
  loginStaff,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
  TEST_PASSWORD,
} from '../harness.ts';
import { cutOff, expectRefused, handshakeAccepted, socketWithToken } from './attack-fixtures.ts';

let app: RunningApp;
/** A server per block: logins and SSO exchanges are rate-limited per address (20 a minute), and all come from here. */
function freshServer() {
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
}

/** The realtime handshake token this client would present now. */
const realtimeToken = async (client: HttpClient) => (await client.get('/api/realtime/token')).json.token as string;

/** A staff member signed in, with an open socket and a handshake token minted while the session was good. */
async function staffSignedIn(role: 'agent' | 'admin' = 'agent') {
  const s = await makeStaff(app, role);
  const client = new HttpClient(app.url);
  const res = await client.post('/api/staff/login', { username: s.username, password: TEST_PASSWORD });
  expect(res.status).toBe(200);
  // what an attacker (or a forgotten browser tab) kept: the raw cookie
  const stolenCookie =
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith('zn_staff='))
      ?.split(';')[0] ?? '';
  const socket = connectSocket(client, { reconnection: false });
  await connected(socket);
  return { s, client, stolenCookie, socket, oldToken: await realtimeToken(client) };
}

/** The old cookie, a new socket with the old handshake token and the already-open socket are all dead. */
async function expectStaffSessionDead(who: Awaited<ReturnType<typeof staffSignedIn>>, cut: Promise<string>) {
  await cut;
  expect(who.socket.connected).toBe(false);
  const stolen = new HttpClient(app.url);
  const cookie = { cookie: who.stolenCookie };
  expectRefused(await stolen.get('/api/staff/me', cookie), 401, 'UNAUTHENTICATED');
  expectRefused(await stolen.get('/api/realtime/token', cookie), 401, 'UNAUTHENTICATED');
  expectRefused(await stolen.post('/api/workspace/presence', { presence: 'online' }, cookie), 401, 'UNAUTHENTICATED');
  expect(await handshakeAccepted(socketWithToken(app.url, who.oldToken))).toBe(false);
}

async function admin() {
  const a = await makeStaff(app, 'admin');
  return (await loginStaff(app, a.username)).client;
}

describe('session fixation (Zammad / Chatwoot: a planted session adopted at login)', () => {
  freshServer();

  it('a staff cookie planted before login is replaced by a fresh one, and the planted value opens nothing', async () => {
    const s = await makeStaff(app);
    const planted = 'attacker-chosen-session-value-0123456789';
    const client = new HttpClient(app.url);
    const res = await client.request(
      'POST',
      '/api/staff/login',
      { username: s.username, password: TEST_PASSWORD },
      {
        cookie: `zn_staff=${planted}`,
      },
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zn_staff='));
    expect(cookie).toBeDefined();
    const issued = cookie?.split(';')[0]?.slice('zn_staff='.length);
    expect(issued).not.toBe(planted);
    expect(issued?.length).toBeGreaterThanOrEqual(40);
    // the flags a browser needs to keep it from scripts and cross-site requests
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i); // plain http here: COOKIE_SECURE is off
    const attacker = new HttpClient(app.url);
    expectRefused(
      await attacker.request('GET', '/api/staff/me', undefined, { cookie: `zn_staff=${planted}` }),
      401,
      'UNAUTHENTICATED',
    );
    // two logins of the same person get two different sessions
    const again = await loginStaff(app, s.username);
    expect((await again.client.get('/api/staff/me')).status).toBe(200);
    const second = (
      await new HttpClient(app.url).post('/api/staff/login', { username: s.username, password: TEST_PASSWORD })
    ).headers
      .getSetCookie()
      .find((c) => c.startsWith('zn_staff='));
    expect(second?.split(';')[0]).not.toBe(cookie?.split(';')[0]);
  });

  it('a portal cookie planted before login is not adopted; a chat session is always minted by the server', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const planted = 'planted-portal-session-value-abcdefghijkl';
    const client = new HttpClient(app.url);
    const res = await client.request(
      'POST',
      '/api/portal/login',
      { taxpayerNo: taxpayer.taxpayerNo, password: TEST_PASSWORD },
      { cookie: `zn_portal=${planted}` },
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zn_portal='));
    expect(cookie?.split(';')[0]).not.toBe(`zn_portal=${planted}`);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expectRefused(
      await new HttpClient(app.url).request('GET', '/api/portal/me', undefined, { cookie: `zn_portal=${planted}` }),
      401,
      'UNAUTHENTICATED',
    );
    // the chat's bearer: an extra field asking for a chosen token is ignored (strict body or not used)
    const sso = (await client.post('/api/portal/chat-token')).json.token as string;
    const chat = await new HttpClient(app.url).post('/api/chat/session', { token: sso, accessToken: planted });
    if (chat.status === 200) expect(chat.json.accessToken).not.toBe(planted);
    else expect(chat.status).toBe(400);
    const rows = await app.db.select().from(sessions);
    expect(rows.some((r) => r.tokenHash === planted)).toBe(false);
  });

  it('with COOKIE_SECURE (behind TLS) the session cookies carry Secure', async () => {
    const secureApp = await startTestApp({ COOKIE_SECURE: 'true' });
    try {
      const s = await makeStaff(secureApp);
      const res = await new HttpClient(secureApp.url).post('/api/staff/login', {
        username: s.username,
        password: TEST_PASSWORD,
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zn_staff='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      const { taxpayer } = await makeTaxpayer(secureApp);
      const portal = await new HttpClient(secureApp.url).post('/api/portal/login', {
        taxpayerNo: taxpayer.taxpayerNo,
        password: TEST_PASSWORD,
      });
      expect(portal.headers.getSetCookie().find((c) => c.startsWith('zn_portal='))).toMatch(/;\s*Secure/i);
    } finally {
      await secureApp.close();
    }
  });
});

describe('token reuse after the session ended (Rocket.Chat / Mattermost: token still valid after logout)', () => {
  freshServer();

  it('staff logout: the cookie, a handshake token minted before it and the open socket are all dead', async () => {
    const who = await staffSignedIn();
    const cut = cutOff(who.socket);
    // the attacker kept a copy of the cookie; the victim logs out in their browser
    expect((await who.client.post('/api/staff/logout')).status).toBe(200);
    await expectStaffSessionDead(who, cut);
  });

  it('taxpayer chat logout: the bearer, an old handshake token and the open socket are dead', async () => {
    const tp = await openTaxpayerChat(app);
    const oldToken = await realtimeToken(tp.chat);
    const ended = nextEvent(tp.socket, 'session:ended');
    tp.socket.io.reconnection(false);
    expect((await tp.chat.post('/api/chat/logout')).status).toBe(200);
    expect((await ended).reason).toMatch(/[\u4e00-\u9fff]/);
    await cutOff(tp.socket);
    expectRefused(await tp.chat.get('/api/chat/conversation'), 401, 'UNAUTHENTICATED');
    expect(await handshakeAccepted(socketWithToken(app.url, oldToken))).toBe(false);
    tp.socket.close();
  });

  it('portal logout: a chat token minted before it cannot open a chat afterwards', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const portal = new HttpClient(app.url);
    await portal.post('/api/portal/login', { taxpayerNo: taxpayer.taxpayerNo, password: TEST_PASSWORD });
    const sso = (await portal.post('/api/portal/chat-token')).json.token as string;
    expect((await portal.post('/api/portal/logout')).status).toBe(200);
    expectRefused(await portal.get('/api/portal/me'), 401, 'UNAUTHENTICATED');
    // the person logged out of the e-tax bureau: a token left in the page must not sign anyone in to the chat
    const res = await new HttpClient(app.url).post('/api/chat/session', { token: sso });
    expectRefused(res, 401, 'SSO_TOKEN_INVALID');
    expect(res.json.accessToken).toBeUndefined();
  });

  it('password change: the other browser, its handshake token and its socket are dead; the changer carries on', async () => {
    const who = await staffSignedIn();
    const cut = cutOff(who.socket);
    const other = await loginStaff(app, who.s.username);
    const changed = await other.client.post('/api/staff/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Changed@2026-xyz',
    });
    expect(changed.status).toBe(200);
    await expectStaffSessionDead(who, cut);
    expect((await other.client.get('/api/staff/me')).status).toBe(200);
    // and the old password no longer signs in
    const old = await new HttpClient(app.url).post('/api/staff/login', {
      username: who.s.username,
      password: TEST_PASSWORD,
    });
    expect(old.status).toBe(401);
  });

  it('deactivation by an administrator: HTTP, a new socket with an old token and the open socket are refused', async () => {
    const who = await staffSignedIn();
    const adminClient = await admin();
    const list = await adminClient.get(`/api/admin/staff?q=${who.s.username}`);
    expect(list.status).toBe(200);
    const account = (Object.values(list.json).find(Array.isArray) as { id: string; version: number }[]).find(
      (a) => a.id === who.s.id,
    );
    expect(account).toBeDefined();
    const cut = cutOff(who.socket);
    const res = await adminClient.request('PUT', `/api/admin/staff/${who.s.id}`, {
      version: account?.version,
      name: who.s.name,
      role: 'agent',
      officeId: who.s.taxOfficeId,
      active: false,
    });
    expect(res.status).toBe(200);
    await expectStaffSessionDead(who, cut);
    // the deactivated account cannot sign in again, not even with the right password
    const again = await new HttpClient(app.url).post('/api/staff/login', {
      username: who.s.username,
      password: TEST_PASSWORD,
    });
    expect(again.status).toBe(401);
    const [row] = await app.db.select().from(staff).where(eq(staff.id, who.s.id));
    expect(row?.active).toBe(false);
  });

  it('password reset by an administrator: the old session, handshake token and socket are dead', async () => {
    const who = await staffSignedIn();
    const adminClient = await admin();
    const cut = cutOff(who.socket);
    const reset = await adminClient.post(`/api/admin/staff/${who.s.id}/reset-password`);
    expect(reset.status).toBe(200);
    await expectStaffSessionDead(who, cut);
  });
});

describe('forged single sign-on tokens (Rocket.Chat / Mattermost: SSO handoff bypass)', () => {
  freshServer();

  async function portalOf() {
    const made = await makeTaxpayer(app);
    const portal = new HttpClient(app.url);
    await portal.post('/api/portal/login', { taxpayerNo: made.taxpayer.taxpayerNo, password: TEST_PASSWORD });
    return { ...made, portal };
  }
  const exchange = (token: string) => new HttpClient(app.url).post('/api/chat/session', { token });
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claimsOf = (userId: string, taxpayerId: string) => ({
    tid: taxpayerId,
    sub: userId,
    jti: randomUUID(),
    iss: 'zhengna-portal',
    aud: 'zhengna-chat',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 120,
  });

  it('a tampered signature, an unsigned token (alg none) and a token re-targeted at another taxpayer are refused', async () => {
    const attacker = await portalOf();
    const victim = await makeTaxpayer(app);
    const { token } = (await attacker.portal.post('/api/portal/chat-token')).json as { token: string };
    const [h, p, sig] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    expectRefused(await exchange(flipped), 401, 'SSO_TOKEN_INVALID');
    // the attacker's own signature over the victim's enterprise and person
    const retargeted = `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), tid: victim.taxpayer.id, sub: victim.user.id })}.${sig}`;
    expectRefused(await exchange(retargeted), 401, 'SSO_TOKEN_INVALID');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(victim.user.id, victim.taxpayer.id))}.`;
    expectRefused(await exchange(none), 401, 'SSO_TOKEN_INVALID');
    // nothing was opened for the victim
    const rows = await app.db.select().from(sessions).where(eq(sessions.portalUserId, victim.user.id));
    expect(rows).toHaveLength(0);
    // the attacker's genuine token still works once (the attempts did not burn it)
    expect((await exchange(token)).status).toBe(200);
  });

  it('alg confusion: HS512 or an RS256 header with the real key, and other tokens of the product, are refused', async () => {
    const victim = await portalOf();
    const secrets = await loadSecrets(app.db);
    const claims = claimsOf(victim.user.id, victim.taxpayer.id);
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(secrets.sso);
    expectRefused(await exchange(hs512), 401, 'SSO_TOKEN_INVALID');
    // an RS256 header over an HMAC made with the shared key (the public-key-as-HMAC-secret trick)
    const rsHeader = b64({ alg: 'RS256', typ: 'JWT' });
    const body = b64(claims);
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', secrets.sso).update(`${rsHeader}.${body}`).digest('base64url');
    expectRefused(await exchange(`${rsHeader}.${body}.${mac}`), 401, 'SSO_TOKEN_INVALID');
    // a realtime handshake token of a chat session is not an SSO token, and an SSO token opens no socket
    const tp = await openTaxpayerChat(app);
    expectRefused(await exchange(await realtimeToken(tp.chat)), 401, 'SSO_TOKEN_INVALID');
    const sso = (await victim.portal.post('/api/portal/chat-token')).json.token as string;
    expect(await handshakeAccepted(socketWithToken(app.url, sso))).toBe(false);
    // a staff TOTP challenge-shaped token signed with another product key is no SSO token either
    const challengeLike = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secrets.challenge);
    expectRefused(await exchange(challengeLike), 401, 'SSO_TOKEN_INVALID');
    tp.socket.close();
  });

  it('an expired token and a token for a person who does not act for that enterprise are refused', async () => {
    const { user, taxpayer } = await portalOf();
    const other = await makeTaxpayer(app);
    const { sso } = await loadSecrets(app.db);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claimsOf(user.id, taxpayer.id), iat: now - 600, exp: now - 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(sso);
    expectRefused(await exchange(expired), 401, 'SSO_TOKEN_EXPIRED');
    const foreign = await new SignJWT(claimsOf(user.id, other.taxpayer.id))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(sso);
    expectRefused(await exchange(foreign), 401, 'SSO_TOKEN_INVALID');
    const ghost = await new SignJWT(claimsOf(randomUUID(), taxpayer.id)).setProtectedHeader({ alg: 'HS256' }).sign(sso);
    expectRefused(await exchange(ghost), 401, 'SSO_TOKEN_INVALID');
  });

  it('replayed: a token is single use, even when five exchanges race', async () => {
    const { portal, user } = await portalOf();
    const { token } = (await portal.post('/api/portal/chat-token')).json as { token: string };
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange(token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectRefused(r, 401, 'SSO_TOKEN_REPLAYED');
    const rows = await app.db.select().from(sessions).where(eq(sessions.portalUserId, user.id));
    expect(rows.filter((r) => r.kind === 'chat')).toHaveLength(1);
    expectRefused(await exchange(token), 401, 'SSO_TOKEN_REPLAYED');
  });
});

describe('staff second factor (Mattermost / Zammad: MFA bypass, TOTP replay)', () => {
  freshServer();

  const codeAt = (secret: string, offsetSteps = 0) =>
    new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
      timestamp: Date.now() + offsetSteps * 30_000,
    });

  async function enrolled() {
    const s = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, s.username);
    const secret = (await client.post('/api/staff/totp/setup')).json.secret as string;
    expect((await client.post('/api/staff/totp/confirm', { code: codeAt(secret) })).status).toBe(200);
    return { s, secret };
  }
  const passwordStep = async (username: string) => {
    const client = new HttpClient(app.url);
    const res = await client.post('/api/staff/login', { username, password: TEST_PASSWORD });
    expect(res.json.needsTotp).toBe(true);
    return { client, challenge: res.json.challenge as string };
  };

  it('a code that signed someone in is refused when replayed, in parallel or later, and the password alone opens nothing', async () => {
    const { s, secret } = await enrolled();
    const code = codeAt(secret, 1);
    const a = await passwordStep(s.username);
    const b = await passwordStep(s.username);
    // an eavesdropper races the victim with the same code
    const [ra, rb] = await Promise.all([
      a.client.post('/api/staff/login/totp', { challenge: a.challenge, code }),
      b.client.post('/api/staff/login/totp', { challenge: b.challenge, code }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 401]);
    const loser = ra.status === 200 ? rb : ra;
    expectRefused(loser, 401, 'TOTP_INVALID');
    const c = await passwordStep(s.username);
    expectRefused(await c.client.post('/api/staff/login/totp', { challenge: c.challenge, code }), 401, 'TOTP_INVALID');
    // the password step set no cookie: nothing is signed in without the code
    expectRefused(await c.client.get('/api/staff/me'), 401, 'UNAUTHENTICATED');
    expect(c.client.bearer).toBeUndefined();
  });

  it('a challenge cannot be used for another account, and a password reset voids an outstanding challenge', async () => {
    const victim = await enrolled();
    const attacker = await enrolled();
    const own = await passwordStep(attacker.s.username);
    // the attacker's challenge with the victim's code (phished) does not sign in as the victim
    const res = await own.client.post('/api/staff/login/totp', {
      challenge: own.challenge,
      code: codeAt(victim.secret, 1),
    });
    expect(res.status).not.toBe(200);
    const pending = await passwordStep(victim.s.username);
    const adminClient = await admin();
    expect((await adminClient.post(`/api/admin/staff/${victim.s.id}/reset-password`)).status).toBe(200);
    expectRefused(
      await pending.client.post('/api/staff/login/totp', {
        challenge: pending.challenge,
        code: codeAt(victim.secret, 1),
      }),
      401,
      'TOTP_CHALLENGE_INVALID',
    );
  });
});
