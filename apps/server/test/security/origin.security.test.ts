/**
 * Cross-site WebSocket hijacking and cross-site request forgery (CWE-1385, CWE-352): the class of Rocket.Chat's and
 * Mattermost's advisories on WebSocket handshakes accepted from any Origin, and Zammad's and Chatwoot's CSRF on
 * cookie-authenticated state changes.
 *
 * A page on https://evil.example cannot open the chat's socket (whatever token it holds) or change anything with a
 * staff member's cookies; the server's own origin and the portals in ALLOWED_ORIGINS can.
 */
import { PROTOCOL_VERSION } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { staff } from '../../src/db/schema.ts';
import {
  type ClientSocket,
  connected,
  type HttpClient,
  loginStaff,
  makeStaff,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../harness.ts';
import { expectRefused } from './attack-fixtures.ts';

const PORTAL = 'https://portal.example.gov.cn';
const EVIL = 'https://evil.example';

let app: RunningApp;
let tp: TaxpayerChat;
beforeAll(async () => {
  app = await startTestApp({ ALLOWED_ORIGINS: PORTAL });
  tp = await openTaxpayerChat(app);
});
afterAll(async () => {
  tp?.socket.close();
  await app?.close();
});

/** A socket as a browser page on `origin` would open it, with a valid handshake token of this client. */
function socketFrom(client: HttpClient, origin: string): ClientSocket {
  return ioClient(client.base, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { origin },
    auth: (cb) => {
      client
        .get('/api/realtime/token')
        .then((r) => cb({ token: r.json?.token ?? 'none', protocolVersion: PROTOCOL_VERSION }));
    },
  }) as ClientSocket;
}

/** Whether the socket connected (true) or was refused (false). */
async function outcome(socket: ClientSocket): Promise<boolean> {
  try {
    await connected(socket, 10_000);
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

describe('socket handshake Origin', () => {
  it('refuses a foreign page, for a taxpayer and for staff, with a valid token', async () => {
    expect(await outcome(socketFrom(tp.chat, EVIL))).toBe(false);
    expect(await outcome(socketFrom(tp.chat, 'null'))).toBe(false);
    // a look-alike of an allowed origin is not that origin
    expect(await outcome(socketFrom(tp.chat, `${PORTAL}.evil.example`))).toBe(false);
    expect(await outcome(socketFrom(tp.chat, 'http://portal.example.gov.cn'))).toBe(false);
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    expect(await outcome(socketFrom(client, EVIL))).toBe(false);
  });

  it("accepts the server's own origin and an allowed portal", async () => {
    expect(await outcome(socketFrom(tp.chat, app.url))).toBe(true);
    expect(await outcome(socketFrom(tp.chat, PORTAL))).toBe(true);
  });

  it('refuses the long-polling handshake from a foreign page too', async () => {
    const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: EVIL } });
    expect(res.status).toBe(403);
    const own = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: app.url } });
    expect(own.status).toBe(200);
  });
});

describe('cookie sessions (CSRF)', () => {
  it("a foreign page cannot change a staff member's presence or password with their cookie", async () => {
    const s = await makeStaff(app);
    const { client } = await loginStaff(app, s.username);
    const [before] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expectRefused(
      await client.post('/api/workspace/presence', { presence: 'online' }, { origin: EVIL }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    expectRefused(
      await client.post(
        '/api/staff/password',
        { currentPassword: 'irrelevant', newPassword: 'Evil-Password-2026' },
        { origin: EVIL },
      ),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    const [after] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(after?.presence).toBe(before?.presence);
    expect(after?.passwordHash).toBe(before?.passwordHash);
    // the same request from the allowed portal and from the app itself goes through
    expect((await client.post('/api/workspace/presence', { presence: 'busy' }, { origin: app.url })).status).toBe(200);
  });

  it("a foreign page cannot switch the portal's enterprise or mint a chat token with the portal cookie", async () => {
    expectRefused(await tp.portal.post('/api/portal/chat-token', {}, { origin: EVIL }), 403, 'ORIGIN_NOT_ALLOWED');
    expectRefused(
      await tp.portal.post('/api/portal/switch', { taxpayerId: tp.taxpayer.id }, { origin: EVIL }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    expect((await tp.portal.post('/api/portal/chat-token', {}, { origin: PORTAL })).status).toBe(200);
  });
});
