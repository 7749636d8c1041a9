/**
 * Every HTTP route and socket event declares who may use it; nothing is reachable by accident.
 */
import { randomUUID } from 'node:crypto';
import { clientEvents } from '@zhengna/contracts';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestApp } from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { installGuards } from './guard.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const guardOf = (method: string, url: string) =>
  app.routeGuards.find((r) => r.method === method && r.url === url)?.guard;

describe('route guards', () => {
  it('every registered route declares a guard', () => {
    expect(app.routeGuards.length).toBeGreaterThan(20);
    const unguarded = app.routeGuards.filter((r) => !r.guard).map((r) => `${r.method} ${r.url}`);
    expect(unguarded).toEqual([]);
  });

  it('lists the API routes with the guards expected of them', () => {
    expect(guardOf('POST', '/api/portal/login')).toBe('public');
    expect(guardOf('POST', '/api/chat/session')).toBe('public');
    expect(guardOf('POST', '/api/staff/login')).toBe('public');
    expect(guardOf('GET', '/api/portal/me')).toBe('portal');
    expect(guardOf('GET', '/api/chat/conversation')).toBe('taxpayer');
    expect(guardOf('POST', '/api/chat/conversations/:id/attachments')).toBe('taxpayer');
    expect(guardOf('GET', '/api/workspace/conversations')).toBe('agent');
    expect(guardOf('POST', '/api/staff/password')).toBe('agent');
    expect(guardOf('GET', '/api/files/:id')).toBe('participant');
    expect(guardOf('GET', '/api/realtime/token')).toBe('participant');
    expect(guardOf('GET', '/api/rtc/ice-servers')).toBe('participant');
    expect(guardOf('GET', '/api/workspace/calls')).toBe('supervisor');
    expect(guardOf('POST', '/api/workspace/conversations/:id/reveal-phone')).toBe('agent');
    expect(guardOf('GET', '/api/admin/audit')).toBe('admin');
    expect(guardOf('GET', '/healthz')).toBe('public');
  });

  it('only the logins, the single sign-on exchange, probes and web pages are public', () => {
    const publicApi = app.routeGuards
      .filter((r) => r.guard === 'public' && r.url.startsWith('/api/'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicApi).toEqual([
      'POST /api/chat/session',
      'POST /api/portal/login',
      'POST /api/staff/login',
      'POST /api/staff/login/totp',
    ]);
  });

  it('every non-public API route turns away a request without a login', async () => {
    const anonymous = new HttpClient(app.url);
    const guarded = app.routeGuards.filter(
      (r) => r.guard !== 'public' && r.url.startsWith('/api/') && (r.method === 'GET' || r.method === 'POST'),
    );
    expect(guarded.length).toBeGreaterThan(10);
    const refused: string[] = [];
    for (const r of guarded) {
      const url = r.url.replace(/:id\b/g, randomUUID());
      const res = r.method === 'GET' ? await anonymous.get(url) : await anonymous.post(url, {});
      refused.push(`${r.method} ${r.url} ${res.status} ${res.json?.code}`);
    }
    expect(refused).toEqual(guarded.map((r) => `${r.method} ${r.url} 401 UNAUTHENTICATED`));
  });

  it('refuses to register a route without a guard', async () => {
    const fresh = Fastify();
    installGuards(fresh, { identity: app.identity, isAllowedOrigin: () => false });
    fresh.get('/guarded', { config: { guard: 'public' } }, () => 'ok');
    expect(() => fresh.get('/forgotten', () => 'oops')).toThrow(/declares no guard/);
    await fresh.close();
  });
});

describe('socket event guards', () => {
  it('every socket event declares a guard, and every event of the protocol is covered', () => {
    const events = app.socketEventGuards;
    expect(events.filter((e) => !e.guard)).toEqual([]);
    expect(events.map((e) => e.name).sort()).toEqual(Object.keys(clientEvents).sort());
    expect(events.find((e) => e.name === 'message:send')?.guard).toBe('participant');
  });

  it('calls: only a taxpayer asks and answers, only an agent invites, the rest is for either party', () => {
    const guards = Object.fromEntries(
      app.socketEventGuards.filter((e) => e.name.startsWith('call:')).map((e) => [e.name, e.guard]),
    );
    expect(guards).toEqual({
      'call:request': 'taxpayer',
      'call:invite': 'agent',
      'call:accept': 'taxpayer',
      'call:decline': 'participant',
      'call:cancel': 'participant',
      'call:hangup': 'participant',
      'call:connected': 'participant',
      'call:failed': 'participant',
      'call:offer': 'participant',
      'call:answer': 'participant',
      'call:ice-candidate': 'participant',
      'call:ice-restart': 'participant',
    });
  });

  it('voice input: only a taxpayer streams', () => {
    const guards = Object.fromEntries(
      app.socketEventGuards.filter((e) => e.name.startsWith('speech:')).map((e) => [e.name, e.guard]),
    );
    expect(guards).toEqual({
      'speech:start': 'taxpayer',
      'speech:audio': 'taxpayer',
      'speech:stop': 'taxpayer',
      'speech:cancel': 'taxpayer',
    });
  });
});
