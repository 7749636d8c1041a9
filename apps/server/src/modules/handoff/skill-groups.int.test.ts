/** Routing administration: skill groups, members and caps decide who gets a conversation. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpClient,
  loginStaff,
  makeStaff,
  makeTaxpayer,
  startTestApp,
  TEST_PASSWORD,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createStaff, createTaxOffice } from '../../db/factories.ts';
import { conversations, staff } from '../../db/schema.ts';
import { hashPassword } from '../identity/password.ts';

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

  it("lets a supervisor set the caps of their office's agents only (not another office's, a supervisor's or an administrator's)", async () => {
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const city = await createTaxOffice(app.db);
    const district = await createTaxOffice(app.db, { parentId: city.id });
    const elsewhere = await createTaxOffice(app.db);
    const make = (role: 'agent' | 'supervisor' | 'admin', taxOfficeId: string) =>
      createStaff(app.db, { role, taxOfficeId, passwordHash, name: `坐席${role}` });
    const boss = await make('supervisor', city.id);
    const own = await make('agent', city.id);
    const below = await make('agent', district.id);
    const other = await make('agent', elsewhere.id);
    const peer = await make('supervisor', city.id);
    const chief = await make('admin', city.id);
    const sup = (await loginStaff(app, boss.username)).client;
    const cap = (id: string, maxConcurrent: number) =>
      sup.request('PUT', `/api/admin/staff/${id}/capacity`, { maxConcurrent });
    const capOf = async (id: string) => (await app.db.select().from(staff).where(eq(staff.id, id)))[0]?.maxConcurrent;

    for (const [who, n] of [
      [boss, 6],
      [own, 4],
      [below, 5],
    ] as const) {
      expect((await cap(who.id, n)).status).toBe(200);
      expect(await capOf(who.id)).toBe(n);
    }
    for (const who of [other, peer, chief]) {
      const before = await capOf(who.id);
      const refused = await cap(who.id, 40);
      expect(refused.status).toBe(403);
      expect(refused.json.message).toContain('本机关');
      expect(await capOf(who.id)).toBe(before);
    }
    // an administrator still sets anyone's
    expect((await admin.request('PUT', `/api/admin/staff/${other.id}/capacity`, { maxConcurrent: 3 })).status).toBe(
      200,
    );
    expect(await capOf(other.id)).toBe(3);
  });
});
