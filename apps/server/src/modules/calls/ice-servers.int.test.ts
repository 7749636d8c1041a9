/** GET /api/rtc/ice-servers: both ends of a call get a short-lived TURN credential, nobody else gets anything. */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, loginStaff, loginTaxpayer, makeStaff, makeTaxpayer, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

const SECRET = 'turn-secret-for-tests-7c1d';
const TURN = 'turn:turn.example.gov.cn:3478?transport=udp,turns:turn.example.gov.cn:5349?transport=tcp';
const STUN = 'stun:turn.example.gov.cn:3478';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ TURN_URLS: TURN, TURN_SECRET: SECRET, TURN_TTL_SECONDS: '900', STUN_URLS: STUN });
});
afterAll(async () => {
  await app?.close();
});

type IceServer = { urls: string[]; username?: string; credential?: string };

function checkCredential(body: { iceServers: IceServer[]; ttl: number; iceTransportPolicy: string }, before: number) {
  expect(body.ttl).toBe(900);
  expect(body.iceServers[0]).toEqual({ urls: [STUN] });
  const turn = body.iceServers.find((s) => s.urls[0]?.startsWith('turn'));
  expect(turn?.urls).toEqual(TURN.split(','));
  const [expiry, subject] = (turn?.username ?? '').split(':');
  expect(Number(expiry)).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 900);
  expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 900);
  expect(subject).toMatch(/^[0-9a-f]{32}$/);
  expect(turn?.credential).toBe(
    createHmac('sha1', SECRET)
      .update(turn?.username ?? '')
      .digest('base64'),
  );
  // nothing secret or personal besides the short-lived credential
  expect(Object.keys(body).sort()).toEqual(['iceServers', 'iceTransportPolicy', 'ttl']);
  expect(body.iceTransportPolicy).toBe('all');
  for (const s of body.iceServers)
    expect(Object.keys(s).every((k) => ['urls', 'username', 'credential'].includes(k))).toBe(true);
  return { text: JSON.stringify(body), subject };
}

describe('ICE servers (音视频与远程协助)', () => {
  it('gives a taxpayer in the chat a TURN credential that expires in ttl, naming no one', async () => {
    const { taxpayer, user } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const before = Date.now();
    const res = await chat.get('/api/rtc/ice-servers');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { text } = checkCredential(res.json, before);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(user.id);
    expect(text).not.toContain(taxpayer.taxpayerNo);
    expect(text).not.toContain(taxpayer.name);
  });

  it('gives an agent in the workspace one too, under another subject', async () => {
    const agent = await makeStaff(app, 'agent');
    const { client } = await loginStaff(app, agent.username);
    const before = Date.now();
    const res = await client.get('/api/rtc/ice-servers');
    expect(res.status).toBe(200);
    const { text, subject } = checkCredential(res.json, before);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(agent.id);
    expect(text).not.toContain(agent.username);

    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const other = checkCredential((await chat.get('/api/rtc/ice-servers')).json, before);
    expect(other.subject).not.toBe(subject);
  });

  it('refuses anyone without a session, and a portal cookie is not a chat session', async () => {
    const anonymous = new HttpClient(app.url);
    const res = await anonymous.get('/api/rtc/ice-servers');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('UNAUTHENTICATED');
    expect(res.text).not.toContain('turn:');

    const { taxpayer } = await makeTaxpayer(app);
    const { portal } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    expect((await portal.get('/api/rtc/ice-servers')).status).toBe(401);
  });
});

describe('ICE servers without TURN', () => {
  it('gives no credential at all', async () => {
    const bare = await startTestApp();
    try {
      const agent = await makeStaff(bare, 'agent');
      const { client } = await loginStaff(bare, agent.username);
      const res = await client.get('/api/rtc/ice-servers');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ iceServers: [], ttl: 600, iceTransportPolicy: 'all' });
    } finally {
      await bare.close();
    }
  });
});

describe('ICE servers, relay only (RTC_RELAY_ONLY)', () => {
  it('tells the browser to use only the TURN relay, so neither side learns the other’s address', async () => {
    const relay = await startTestApp({ TURN_URLS: TURN, TURN_SECRET: SECRET, RTC_RELAY_ONLY: 'true' });
    try {
      const agent = await makeStaff(relay, 'agent');
      const { client } = await loginStaff(relay, agent.username);
      const res = await client.get('/api/rtc/ice-servers');
      expect(res.status).toBe(200);
      expect(res.json.iceTransportPolicy).toBe('relay');
      expect(res.json.iceServers.some((s: IceServer) => s.urls[0]?.startsWith('turn') && s.credential)).toBe(true);
    } finally {
      await relay.close();
    }
  });
});

describe('ICE servers rate limit', () => {
  it('gives one person 20 credentials a minute, then 429 in Chinese; another person is not held up', async () => {
    const agent = await makeStaff(app, 'agent');
    const { client } = await loginStaff(app, agent.username);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await client.get('/api/rtc/ice-servers')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await client.get('/api/rtc/ice-servers');
    expect(over.status).toBe(429);
    expect(over.json.code).toBe('RATE_LIMITED');
    expect(over.json.message).toMatch(/[\u4e00-\u9fff]/);
    expect(over.text).not.toContain('turn:');

    // same address, another person: their own budget
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    expect((await chat.get('/api/rtc/ice-servers')).status).toBe(200);
  });
});
