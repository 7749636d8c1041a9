/**
 * Guessing and flooding (CWE-307, CWE-799, CWE-770): the classes of
 * - Rocket.Chat's and Zammad's login brute force without lockout, and Mattermost's lockout bypassed by parallel
 *   requests (a race between "is it locked?" and "count the failure");
 * - Mattermost's MFA (TOTP) brute force;
 * - Chatwoot's and Rocket.Chat's message / upload / contact-form flooding without rate limits;
 * - SMS pumping through a public action that sends a text message to a number the requester chose.
 *
 * Addresses: the server runs with TRUST_PROXY (as behind nginx), so each request can come "from" its own address, as
 * from a botnet. Every limit answers with the product's Chinese message, and nothing is stored past it.
 */
import { randomUUID } from 'node:crypto';
import type { TMessage } from '@zhengna/contracts';
import { eq, inArray } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { portalUsers, smsOutbox, staff } from '../../src/db/schema.ts';
import {
  HttpClient,
  loginStaff,
  makeStaff,
  makeTaxpayer,
  openTaxpayerChat,
  startTestApp,
  TEST_PASSWORD,
} from '../harness.ts';
import {
  bookingForm,
  expectRefused,
  hasChinese,
  inquiryForm,
  makeAppointmentService,
  PNG,
  slotAt,
  upload,
} from './attack-fixtures.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await app?.close();
});

let nextAddress = 1;
/** A fresh client address (10.x.y.z), as nginx would report it. */
const address = () => {
  const n = nextAddress++;
  return { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
};

const staffLogin = (username: string, password: string, from = address()) =>
  new HttpClient(app.url).post('/api/staff/login', { username, password }, from);
const portalLogin = (taxpayerNo: string, password: string, from = address()) =>
  new HttpClient(app.url).post('/api/portal/login', { taxpayerNo, password }, from);

const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

describe('password guessing (Rocket.Chat / Zammad: login brute force)', () => {
  it('staff: five wrong passwords lock the account; the right one is then refused; others are unaffected', async () => {
    const victim = await makeStaff(app);
    const bystander = await makeStaff(app);
    const from = address();
    for (let i = 0; i < 4; i++) {
      const r = await staffLogin(victim.username, `guess-${i}`, from);
      expectRefused(r, 401, 'INVALID_CREDENTIALS');
    }
    expectRefused(await staffLogin(victim.username, 'guess-4', from), 423, 'ACCOUNT_LOCKED');
    const right = await staffLogin(victim.username, TEST_PASSWORD, from);
    expectRefused(right, 423, 'ACCOUNT_LOCKED');
    expect(right.headers.getSetCookie().some((c) => c.startsWith('zn_staff='))).toBe(false);
    // by design the lock is the account's: the owner from elsewhere waits too (or asks an administrator)
    expectRefused(await staffLogin(victim.username, TEST_PASSWORD), 423, 'ACCOUNT_LOCKED');
    // another account, even from the attacker's address, is not locked
    expect((await staffLogin(bystander.username, TEST_PASSWORD, from)).status).toBe(200);
    // an unknown user name gives the same answer as a wrong password (no account enumeration), and locks nothing
    expectRefused(await staffLogin(`nobody-${randomUUID().slice(0, 6)}`, 'guess'), 401, 'INVALID_CREDENTIALS');
  });

  it('portal: five wrong passwords lock the taxpayer login; the right one is then refused', async () => {
    const { taxpayer, user } = await makeTaxpayer(app);
    const from = address();
    for (let i = 0; i < 5; i++) {
      expectRefused(await portalLogin(taxpayer.taxpayerNo, `guess-${i}`, from), 401, 'INVALID_CREDENTIALS');
    }
    const right = await portalLogin(taxpayer.taxpayerNo, TEST_PASSWORD, from);
    expectRefused(right, 423, 'ACCOUNT_LOCKED');
    expect(right.headers.getSetCookie().some((c) => c.startsWith('zn_portal='))).toBe(false);
    const [row] = await app.db.select().from(portalUsers).where(eq(portalUsers.id, user.id));
    expect(row?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    const other = await makeTaxpayer(app);
    expect((await portalLogin(other.taxpayer.taxpayerNo, TEST_PASSWORD, from)).status).toBe(200);
  });

  it('a parallel burst from many addresses gets no more than five guesses evaluated (lockout race)', async () => {
    const victim = await makeStaff(app);
    const { taxpayer } = await makeTaxpayer(app);
    const staffBurst = await Promise.all(
      Array.from({ length: 15 }, (_, i) => staffLogin(victim.username, `burst-${i}`)),
    );
    const portalBurst = await Promise.all(
      Array.from({ length: 15 }, (_, i) => portalLogin(taxpayer.taxpayerNo, `burst-${i}`)),
    );
    for (const burst of [staffBurst, portalBurst]) {
      const evaluated = burst.filter((r) => r.json?.code === 'INVALID_CREDENTIALS').length;
      const locked = burst.filter((r) => r.json?.code === 'ACCOUNT_LOCKED').length;
      expect(evaluated + locked).toBe(15);
      expect(evaluated).toBeLessThanOrEqual(5);
      for (const r of burst) expect(hasChinese(r.json?.message)).toBe(true);
    }
    expectRefused(await staffLogin(victim.username, TEST_PASSWORD), 423, 'ACCOUNT_LOCKED');
    expectRefused(await portalLogin(taxpayer.taxpayerNo, TEST_PASSWORD), 423, 'ACCOUNT_LOCKED');
  });

  it('one address is limited to 20 login attempts a minute, across accounts; another address is not', async () => {
    const from = address();
    const results = [];
    for (let i = 0; i < 21; i++) {
      results.push(await staffLogin(`spray-${i}-${randomUUID().slice(0, 4)}`, 'Spray@2026', from));
    }
    expect(results.slice(0, 20).every((r) => r.json?.code === 'INVALID_CREDENTIALS')).toBe(true);
    expectRefused(results[20] as { status: number; json: unknown }, 429, 'RATE_LIMITED');
    expectRefused(await staffLogin('spray-more', 'Spray@2026', from), 429, 'RATE_LIMITED');
    // a neighbour address is served normally
    expectRefused(await staffLogin('spray-more', 'Spray@2026'), 401, 'INVALID_CREDENTIALS');
  });
});

describe('second-factor guessing (Mattermost: MFA brute force)', () => {
  async function enrolled() {
    const s = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, s.username);
    const secret = (await client.post('/api/staff/totp/setup', {}, address())).json.secret as string;
    expect((await client.post('/api/staff/totp/confirm', { code: codeAt(secret) }, address())).status).toBe(200);
    const step = await staffLogin(s.username, TEST_PASSWORD);
    expect(step.json.needsTotp).toBe(true);
    return { s, secret, challenge: step.json.challenge as string };
  }
  const wrongCodes = (secret: string, n: number) => {
    const valid = new Set([-1, 0, 1, 2].map((k) => codeAt(secret, k)));
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) {
      const c = String(100000 + i * 7919).slice(-6);
      if (!valid.has(c)) out.push(c);
    }
    return out;
  };
  const totp = (challenge: string, code: string) =>
    new HttpClient(app.url).post('/api/staff/login/totp', { challenge, code }, address());

  it('five wrong codes lock the account and the right code is then refused', async () => {
    const { s, secret, challenge } = await enrolled();
    const codes = wrongCodes(secret, 5);
    for (const [i, code] of codes.entries()) {
      const r = await totp(challenge, code);
      if (i < 4) expectRefused(r, 401, 'TOTP_INVALID');
      else expectRefused(r, 423, 'ACCOUNT_LOCKED');
    }
    expectRefused(await totp(challenge, codeAt(secret, 1)), 423, 'ACCOUNT_LOCKED');
    const [row] = await app.db.select().from(staff).where(eq(staff.id, s.id));
    expect(row?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
  });

  it('a parallel burst of codes gets no more than five evaluated', async () => {
    const { secret, challenge } = await enrolled();
    const burst = await Promise.all(wrongCodes(secret, 15).map((c) => totp(challenge, c)));
    const evaluated = burst.filter((r) => r.json?.code === 'TOTP_INVALID').length;
    expect(evaluated + burst.filter((r) => r.json?.code === 'ACCOUNT_LOCKED').length).toBe(15);
    expect(evaluated).toBeLessThanOrEqual(5);
    expectRefused(await totp(challenge, codeAt(secret, 1)), 423, 'ACCOUNT_LOCKED');
  });
});

describe('flooding (Chatwoot / Rocket.Chat: no rate limit on messages, uploads, contact forms)', () => {
  it('a socket flooding messages is slowed down with a Chinese refusal, and only what was accepted is stored', async () => {
    const tp = await openTaxpayerChat(app);
    const acks = await Promise.all(Array.from({ length: 80 }, (_, i) => tp.send(`刷屏消息 ${i}`)));
    const accepted = acks.filter((a) => a.ok).length;
    const refused = acks.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(!r.ok && r.error.code).toBe('RATE_LIMITED');
      expect(!r.ok && hasChinese(r.error.message)).toBe(true);
    }
    // a burst of 40 and 20 a second after it
    expect(accepted).toBeLessThan(80);
    const stored = (await tp.chat.get(`/api/chat/conversations/${tp.conversationId}/messages?limit=100`)).json
      .messages as TMessage[];
    expect(stored.filter((m) => m.body.startsWith('刷屏消息')).length).toBe(accepted);
    tp.socket.close();
  });

  it('uploads: 30 a minute from one address, then a Chinese refusal and nothing more stored', async () => {
    const tp = await openTaxpayerChat(app);
    const from = address();
    const results = [];
    for (let i = 0; i < 31; i++) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), `截图${i}.png`);
      results.push(await tp.chat.request('POST', '/api/chat/inquiries/files', form, from));
    }
    expect(results.slice(0, 30).every((r) => r.status === 200)).toBe(true);
    expectRefused(results[30] as { status: number; json: unknown }, 429, 'RATE_LIMITED');
    // the chat attachment route is limited the same way
    expect(
      (await upload(tp.chat, `/api/chat/conversations/${tp.conversationId}/attachments`, PNG, 'a.png')).status,
    ).toBe(200);
    tp.socket.close();
  });

  it('留言: 20 a minute from one address, then a Chinese refusal', async () => {
    const tp = await openTaxpayerChat(app);
    const from = address();
    const results = [];
    for (let i = 0; i < 21; i++) {
      results.push(await tp.chat.post('/api/chat/inquiries', inquiryForm(tp.officeId), from));
    }
    expect(results.slice(0, 20).every((r) => r.status === 200)).toBe(true);
    expectRefused(results[20] as { status: number; json: unknown }, 429, 'RATE_LIMITED');
    const mine = await tp.chat.get('/api/chat/inquiries');
    expect((Object.values(mine.json).find(Array.isArray) as unknown[]).length).toBe(20);
    tp.socket.close();
  });

  it('SMS pumping: booking and rescheduling (each sends an SMS to a chosen number) are limited per person', async () => {
    const tp = await openTaxpayerChat(app);
    const service = await makeAppointmentService(app, tp.officeId);
    const victimPhone = '13900009999';
    const booked = await tp.chat.post(
      '/api/chat/appointments',
      bookingForm(service.id, slotAt(3, '09:30'), { phone: victimPhone, receiveBy: 'sms' }),
      address(),
    );
    expect(booked.status).toBe(200);
    const id = booked.json.id as string;
    // the person moves it back and forth from a new address each time: the limit follows the person
    const slots = [slotAt(4, '09:30'), slotAt(5, '10:00'), slotAt(6, '09:00'), slotAt(7, '10:30')];
    const results = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await tp.chat.post(`/api/chat/appointments/${id}/reschedule`, { startsAt: slots[i % slots.length] }, address()),
      );
    }
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) expectRefused(r, 429, 'RATE_LIMITED');
    const texts = await app.db
      .select()
      .from(smsOutbox)
      .where(inArray(smsOutbox.phone, [victimPhone]));
    expect(texts.length).toBeLessThanOrEqual(1 + 10);
    tp.socket.close();
  });
});
