/** Routing administration: skill groups, members and caps decide who gets a conversation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpClient, loginStaff, makeStaff, makeTaxpayer, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { conversations } from '../../db/schema.ts';

let app: RunningApp;
let admin: HttpClient;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
});
afterAll(async () => {
  await app?.close();
});

describe('skill groups', () => {
  it('creates a group for an office, fills it, and routes that office’s requests to its members', async () => {
    const { office, taxpayer, user } = await makeTaxpayer(app);
    const agent = await makeStaff(app);
    const put = await admin.request('PUT', '/api/admin/skill-groups', {
      id: 'test-invoice',
      name: '测试发票组',
      business: 'invoice',
      taxOfficeId: office.id,
      fallbackGroupId: null,
      overflowAfterSeconds: 120,
    });
    expect(put.status).toBe(200);
    expect(
      (await admin.request('PUT', '/api/admin/skill-groups/test-invoice/members', { staffIds: [agent.id] })).status,
    ).toBe(200);
    expect((await admin.request('PUT', `/api/admin/staff/${agent.id}/capacity`, { maxConcurrent: 2 })).status).toBe(
      200,
    );
    const list = (await admin.get('/api/admin/skill-groups')).json.groups;
    expect(list.find((g: { id: string }) => g.id === 'test-invoice').members).toEqual([
      { staffId: agent.id, name: agent.name },
    ]);

    await app.handoff.setPresence(
      { kind: 'staff', sessionId: 's', staffId: agent.id, role: 'agent', name: agent.name },
      'online',
    );
    const [conv] = await app.db
      .insert(conversations)
      .values({ taxpayerId: taxpayer.id, portalUserId: user.id })
      .returning();
    expect(await app.handoff.request(conv?.id as string, 'button', 'T01')).toBe('assigned');
  });

  it('refuses bad groups in Chinese and keeps a group that is still used', async () => {
    const bad = await admin.request('PUT', '/api/admin/skill-groups', {
      id: 'Bad Id',
      name: '',
      business: 'invoice',
      taxOfficeId: null,
      fallbackGroupId: null,
      overflowAfterSeconds: 5,
    });
    expect(bad.status).toBe(400);
    expect(Object.values(bad.json.fields).join()).toMatch(/编号|名称|溢出/);
    await admin.request('PUT', '/api/admin/skill-groups', {
      id: 'base',
      name: '基础组',
      business: 'general',
      taxOfficeId: null,
      fallbackGroupId: null,
      overflowAfterSeconds: 60,
    });
    await admin.request('PUT', '/api/admin/skill-groups', {
      id: 'front',
      name: '前台组',
      business: 'general',
      taxOfficeId: null,
      fallbackGroupId: 'base',
      overflowAfterSeconds: 60,
    });
    const loop = await admin.request('PUT', '/api/admin/skill-groups', {
      id: 'base',
      name: '基础组',
      business: 'general',
      taxOfficeId: null,
      fallbackGroupId: 'front',
      overflowAfterSeconds: 60,
    });
    expect(loop.status).toBe(400);
    expect(loop.json.message).toContain('循环');
    const used = await admin.request('DELETE', '/api/admin/skill-groups/base');
    expect(used.status).toBe(400);
    expect(used.json.message).toContain('溢出组');
    const agent = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await agent.request('PUT', '/api/admin/skill-groups/front/members', { staffIds: [] })).status).toBe(403);
  });
});
