/** TURN REST credentials as coturn checks them, and the configuration that issues them. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import type { Actor } from '../identity/identity.types.ts';
import { iceServersFor, turnCredential, turnSubject } from './ice-servers.ts';

const taxpayer: Actor = {
  kind: 'taxpayer',
  sessionId: 's-1',
  portalUserId: '6f1c2a3e-8d4b-4c1e-9a0f-2b7d5e6c8a91',
  taxpayerId: 't-1',
  personName: '李静',
};
const agent: Actor = { kind: 'staff', sessionId: 's-2', staffId: 'a-1', role: 'agent', name: '张敏' };
const settings = {
  turnUrls: ['turn:turn.example.gov.cn:3478?transport=udp', 'turns:turn.example.gov.cn:5349?transport=tcp'],
  stunUrls: ['stun:turn.example.gov.cn:3478'],
  secret: 'north-wind-3f9a',
  ttlSeconds: 600,
};

describe('TURN REST credential (coturn use-auth-secret)', () => {
  it('is base64(HMAC-SHA1(secret, "<expiry>:<subject>")) with expiry = now + ttl', () => {
    const now = Date.UTC(2026, 2, 1, 8, 0, 0);
    const c = turnCredential('north-wind-3f9a', 'abc123', 600, now);
    expect(c.username).toBe(`${now / 1000 + 600}:abc123`);
    expect(c.expiresAt).toBe(now / 1000 + 600);
    const expected = createHmac('sha1', 'north-wind-3f9a')
      .update(`${now / 1000 + 600}:abc123`)
      .digest('base64');
    expect(c.credential).toBe(expected);
  });

  it('matches a fixed known value, so a change of algorithm cannot pass unnoticed', () => {
    // printf '%s' '1700000600:user' | openssl dgst -sha1 -hmac secret -binary | base64
    const c = turnCredential('secret', 'user', 600, 1_700_000_000_000);
    expect(c.username).toBe('1700000600:user');
    expect(c.credential).toBe('Agcx/EhjAfaNg7MhzV//om6OmIk=');
  });

  it('names an opaque subject: no name, no id, stable per person, different per person', () => {
    const s = turnSubject(taxpayer);
    expect(s).toMatch(/^[0-9a-f]{32}$/);
    expect(s).toBe(turnSubject({ ...taxpayer, sessionId: 'another-session', taxpayerId: 't-2' }));
    expect(s).not.toBe(turnSubject(agent));
    expect(s).not.toContain(taxpayer.portalUserId.slice(0, 8));
  });
});

describe('ICE servers for a client', () => {
  it('gives STUN as is and TURN with a credential that expires in ttl', () => {
    const now = 1_760_000_000_000;
    const r = iceServersFor(settings, agent, now);
    expect(r.ttl).toBe(600);
    expect(r.iceServers[0]).toEqual({ urls: settings.stunUrls });
    const turn = r.iceServers[1];
    expect(turn?.urls).toEqual(settings.turnUrls);
    const [expiry, subject] = (turn?.username ?? '').split(':');
    expect(Number(expiry)).toBe(now / 1000 + 600);
    expect(subject).toBe(turnSubject(agent));
    expect(turn?.credential).toBe(
      createHmac('sha1', settings.secret)
        .update(turn?.username ?? '')
        .digest('base64'),
    );
    expect(JSON.stringify(r)).not.toContain(settings.secret);
  });

  it('without TURN gives only the STUN urls (possibly none) and never a credential', () => {
    expect(iceServersFor({ ...settings, turnUrls: [] }, taxpayer)).toEqual({
      iceServers: [{ urls: settings.stunUrls }],
      ttl: 600,
      iceTransportPolicy: 'all',
    });
    expect(iceServersFor({ turnUrls: [], stunUrls: [], secret: '', ttlSeconds: 600 }, taxpayer)).toEqual({
      iceServers: [],
      ttl: 600,
      iceTransportPolicy: 'all',
    });
  });

  it('asks for relay-only transport when RTC_RELAY_ONLY is set', () => {
    expect(iceServersFor({ ...settings, relayOnly: true }, agent).iceTransportPolicy).toBe('relay');
    expect(iceServersFor(settings, agent).iceTransportPolicy).toBe('all');
  });
});

describe('TURN configuration', () => {
  it('defaults to no TURN, no STUN, 600 s', () => {
    const c = loadConfig({});
    expect(c.turnUrls).toEqual([]);
    expect(c.stunUrls).toEqual([]);
    expect(c.TURN_TTL_SECONDS).toBe(600);
  });

  it('reads comma-separated lists', () => {
    const c = loadConfig({
      TURN_URLS: 'turn:a.example:3478, turns:a.example:5349?transport=tcp',
      TURN_SECRET: 'x',
      STUN_URLS: 'stun:a.example:3478',
      TURN_TTL_SECONDS: '300',
    });
    expect(c.turnUrls).toEqual(['turn:a.example:3478', 'turns:a.example:5349?transport=tcp']);
    expect(c.stunUrls).toEqual(['stun:a.example:3478']);
    expect(c.TURN_TTL_SECONDS).toBe(300);
  });

  it('refuses to start with TURN_URLS but no TURN_SECRET, saying what to set', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:a.example:3478' })).toThrow(/TURN_URLS is set but TURN_SECRET is empty/);
  });

  it('reads the relay-only switch and the call timeouts, with the contract defaults', () => {
    const d = loadConfig({});
    expect(d.RTC_RELAY_ONLY).toBe(false);
    expect(d.CALL_RING_SECONDS).toBe(45);
    expect(d.CALL_CONNECT_SECONDS).toBe(30);
    const c = loadConfig({
      RTC_RELAY_ONLY: 'true',
      TURN_URLS: 'turn:a.example:3478',
      TURN_SECRET: 'x',
      CALL_RING_SECONDS: '4',
      CALL_CONNECT_SECONDS: '3',
    });
    expect(c.RTC_RELAY_ONLY).toBe(true);
    expect(c.CALL_RING_SECONDS).toBe(4);
    expect(c.CALL_CONNECT_SECONDS).toBe(3);
    expect(() => loadConfig({ CALL_RING_SECONDS: '1' })).toThrow(/CALL_RING_SECONDS/);
    expect(() => loadConfig({ RTC_RELAY_ONLY: 'true' })).toThrow(/RTC_RELAY_ONLY is set but TURN_URLS is empty/);
  });

  it('refuses URLs of the wrong scheme', () => {
    expect(() => loadConfig({ TURN_URLS: 'https://a.example', TURN_SECRET: 'x' })).toThrow(/TURN_URLS must be/);
    expect(() => loadConfig({ STUN_URLS: 'turn:a.example' })).toThrow(/STUN_URLS must be/);
  });
});
