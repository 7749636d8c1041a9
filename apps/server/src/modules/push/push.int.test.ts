/** 精准推送: audience preview, exactly-once delivery (also across a crash), schedule, guards, counts, live arrival. */
import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connected,
  connectSocket,
  type HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
  tempDataDir,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import { createPortalUser, createTaxOffice, createTaxpayer } from '../../db/factories.ts';
import { inboxItems, pushes, taxpayers } from '../../db/schema.ts';
import { hashPassword } from '../identity/password.ts';
import { createPushService, pushDedupeKey } from './push.service.ts';

let app: RunningApp;
let admin: HttpClient;
let hash: string;
beforeAll(async () => {
  app = await startTestApp();
  hash = await hashPassword(TEST_PASSWORD);
  const a = await makeStaff(app, 'admin');
  admin = (await loginStaff(app, a.username)).client;
});
afterAll(async () => {
  await app?.close();
});

type Profile = { type?: 'general' | 'small_scale' | 'individual'; industry?: string; creditGrade?: string };

/** Taxpayers in a region of their own (so rules select only this test's data), each with `people` persons. */
async function population(specs: (Profile & { people?: number })[]) {
  const region = `测试区${randomUUID().slice(0, 8)}`;
  const office = await createTaxOffice(app.db);
  const out = [];
  for (const s of specs) {
    const t = await createTaxpayer(app.db, { taxOfficeId: office.id, region, ...s });
    const users = [];
    for (let i = 0; i < (s.people ?? 1); i++)
      users.push(await createPortalUser(app.db, { taxpayerIds: [t.id], passwordHash: hash }));
    out.push({ taxpayer: t, users });
  }
  return { region, office, members: out };
}

const rules = (r: Record<string, unknown>) => ({
  kind: 'rules',
  types: [],
  industries: [],
  regions: [],
  taxOfficeIds: [],
  creditGrades: [],
  ...r,
});

async function create(body: Record<string, unknown>) {
  const res = await admin.post('/api/admin/pushes', {
    title: '征期提醒',
    content: '本月 **15 日**前完成申报。',
    ...body,
  });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; status: string };
}

async function itemsOf(pushId: string) {
  return app.db
    .select()
    .from(inboxItems)
    .where(eq(inboxItems.dedupeKey, pushDedupeKey(pushId)));
}

async function sendAndWait(id: string) {
  const res = await admin.post(`/api/admin/pushes/${id}/send`);
  expect(res.status, res.text).toBe(200);
  await app.push.idle();
  return (await admin.get(`/api/admin/pushes/${id}`)).json;
}

describe('精准推送', () => {
  it('previews how many taxpayers and deliveries the rules select, and unknown numbers of a list', async () => {
    const { region, members } = await population([
      { type: 'general', industry: '批发业', creditGrade: 'A', people: 2 },
      { type: 'general', industry: '建筑业', creditGrade: 'B' },
      { type: 'small_scale', industry: '批发业', creditGrade: 'A' },
    ]);
    const preview = (audience: unknown) => admin.post('/api/admin/pushes/preview', { audience });
    expect((await preview(rules({ regions: [region] }))).json).toMatchObject({ matching: 3, recipients: 4 });
    expect((await preview(rules({ regions: [region], types: ['general'] }))).json).toMatchObject({
      matching: 2,
      recipients: 3,
    });
    const narrow = (await preview(rules({ regions: [region], industries: ['批发业'], creditGrades: ['A'] }))).json;
    expect(narrow.matching).toBe(2);
    expect(narrow.sample).toHaveLength(2);
    const nos = members.map((m) => m.taxpayer.taxpayerNo);
    const list = (await preview({ kind: 'list', taxpayerNos: [nos[0], nos[1], '91370000UNKNOWN001'] })).json;
    expect(list).toMatchObject({ matching: 2, unknown: 1, unknownSample: ['91370000UNKNOWN001'] });
  });

  it('delivers once to every person of every matching taxpayer and to no one else; counts delivered and read', async () => {
    const { region, members } = await population([
      { type: 'general', people: 2 },
      { type: 'general' },
      { type: 'small_scale' },
    ]);
    const push = await create({
      audience: rules({ regions: [region], types: ['general'] }),
      link: '/portal/account.html',
    });
    expect(push.status).toBe('draft');
    const sent = await sendAndWait(push.id);
    expect(sent).toMatchObject({ status: 'sent', recipients: 3, delivered: 3, read: 0 });
    const items = await itemsOf(push.id);
    const expected = members
      .slice(0, 2)
      .flatMap((m) => m.users.map((u) => `${u.id}:${m.taxpayer.id}`))
      .sort();
    expect(items.map((i) => `${i.portalUserId}:${i.taxpayerId}`).sort()).toEqual(expected);
    expect(items[0]?.body).toContain('[查看详情](/portal/account.html)');

    // the taxpayer reads it in 我的消息
    const reader = members[1];
    if (!reader) throw new Error('no reader');
    const { chat } = await loginTaxpayer(app, reader.taxpayer.taxpayerNo);
    const inbox = (await chat.get('/api/chat/inbox')).json;
    expect(inbox.items.map((i: { title: string }) => i.title)).toEqual(['征期提醒']);
    await chat.post(`/api/chat/inbox/${inbox.items[0].id}/read`);
    expect((await admin.get(`/api/admin/pushes/${push.id}`)).json).toMatchObject({ delivered: 3, read: 1 });
    // a non-matching taxpayer got nothing
    const other = members[2];
    if (!other) throw new Error('no other');
    expect((await loginTaxpayer(app, other.taxpayer.taxpayerNo)).chat).toBeDefined();
    expect(items.some((i) => i.taxpayerId === other.taxpayer.id)).toBe(false);
    // sending again is refused
    const again = await admin.post(`/api/admin/pushes/${push.id}/send`);
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('不能发送');
  });

  it('a delivery interrupted after one batch and run again (as a retried job) makes no duplicates', async () => {
    const { region, members } = await population(Array.from({ length: 7 }, () => ({ people: 1 })));
    members[0]?.users.push(
      await createPortalUser(app.db, { taxpayerIds: [members[0].taxpayer.id], passwordHash: hash }),
    );
    const push = await create({ audience: rules({ regions: [region] }) });
    // a node whose batches cover half the taxpayers (the delivery walks every taxpayer id, matching or not)
    const total = (await app.db.select({ n: count() }).from(taxpayers))[0]?.n ?? 0;
    const node = createPushService({
      db: app.db,
      cluster: app.cluster,
      logger: pino({ level: 'silent' }),
      batchSize: Math.ceil(total / 2),
    });
    // mark it sending without delivering (as 发送 does before the job runs), then die after one batch
    await app.db.update(pushes).set({ status: 'sending' }).where(eq(pushes.id, push.id));
    const first = await node.deliver(push.id, { maxBatches: 1 });
    expect(first).toMatchObject({ done: false, batches: 1 });
    expect(await itemsOf(push.id)).toHaveLength(first.inserted);
    // the crashed run's batch is redone by a concurrent straggler: still no duplicates
    await Promise.all([node.deliver(push.id), node.deliver(push.id)]);
    const items = await itemsOf(push.id);
    expect(items).toHaveLength(8);
    expect(new Set(items.map((i) => `${i.portalUserId}:${i.taxpayerId}`)).size).toBe(8);
    expect((await admin.get(`/api/admin/pushes/${push.id}`)).json).toMatchObject({ status: 'sent', delivered: 8 });
  });

  it('a scheduled push waits for its time, is delivered once after it, and can be cancelled before', async () => {
    const { region } = await population([{}, {}]);
    const at = new Date(Date.now() + 3600_000);
    const push = await create({ audience: rules({ regions: [region] }), scheduledAt: at.toISOString() });
    const scheduled = (await admin.post(`/api/admin/pushes/${push.id}/send`)).json;
    expect(scheduled.status).toBe('scheduled');
    expect(await app.push.deliver(push.id)).toMatchObject({ done: false });
    expect(await app.push.sweepDue()).toBe(0);
    expect(await itemsOf(push.id)).toHaveLength(0);
    const later = new Date(at.getTime() + 1000);
    expect(await app.push.deliver(push.id, { now: later })).toMatchObject({ done: true, inserted: 2 });
    expect(await app.push.deliver(push.id, { now: later })).toMatchObject({ done: false });
    expect(await itemsOf(push.id)).toHaveLength(2);

    const other = await create({ audience: rules({ regions: [region] }), scheduledAt: at.toISOString() });
    await admin.post(`/api/admin/pushes/${other.id}/send`);
    expect((await admin.post(`/api/admin/pushes/${other.id}/cancel`)).json.status).toBe('cancelled');
    expect(await app.push.deliver(other.id, { now: later })).toMatchObject({ done: false });
    expect(await itemsOf(other.id)).toHaveLength(0);
  });

  it('is for administrators only', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const s = await makeStaff(app, role);
      const { client } = await loginStaff(app, s.username);
      expect((await client.get('/api/admin/pushes')).status).toBe(403);
      expect((await client.post('/api/admin/pushes/preview', { audience: rules({}) })).status).toBe(403);
      expect((await client.post('/api/admin/pushes', { title: 'x', content: 'y', audience: rules({}) })).status).toBe(
        403,
      );
    }
    const { chat } = await loginTaxpayer(app, (await makeTaxpayer(app)).taxpayer.taxpayerNo);
    expect((await chat.get('/api/admin/pushes')).status).toBe(401);
  });

  it('refuses bad input in Chinese, field by field', async () => {
    const base = { title: '提醒', content: '内容', audience: rules({}) };
    const bad = async (body: Record<string, unknown>, field: string, text: string) => {
      const res = await admin.post('/api/admin/pushes', { ...base, ...body });
      expect(res.status).toBe(400);
      expect(res.json.fields[field]).toBe(text);
      expect(res.json.message).toContain(text);
    };
    await bad({ title: '   ' }, 'title', '请填写标题');
    await bad({ link: 'javascript:alert(1)' }, 'link', '链接须以 http://、https:// 或 / 开头');
    await bad(
      { audience: { kind: 'list', taxpayerNos: ['91370100MA3C000001', 'abc'] } },
      'audience.taxpayerNos.1',
      '纳税人识别号格式不正确',
    );
    await bad({ audience: { kind: 'list', taxpayerNos: [] } }, 'audience.taxpayerNos', '名单不能为空');
    expect((await admin.post('/api/admin/pushes/preview', { audience: { kind: 'nope' } })).status).toBe(400);
  });

  it('keeps markup as text: a <script> title and content round-trip unchanged', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const title = '<script>alert(1)</script>';
    const content = '<img src=x onerror=alert(1)> **加粗**';
    const push = await create({ title, content, audience: { kind: 'list', taxpayerNos: [taxpayer.taxpayerNo] } });
    expect((await admin.get(`/api/admin/pushes/${push.id}`)).json).toMatchObject({ title, content });
    const listed = (await admin.get('/api/admin/pushes')).json.pushes.find((p: { id: string }) => p.id === push.id);
    expect(listed).toMatchObject({ title, status: 'draft', listSize: 1 });
    await sendAndWait(push.id);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    expect((await chat.get('/api/chat/inbox')).json.items[0]).toMatchObject({ kind: 'push', title, body: content });
  });

  it('同时作为热点推荐: the push shows among the recommended documents of those it reached, not of others', async () => {
    const { region, members } = await population([{ type: 'general' }, { type: 'small_scale' }]);
    const push = await create({
      title: '小微企业六税两费减免指引',
      audience: rules({ regions: [region], types: ['general'] }),
      recommend: true,
    });
    await sendAndWait(push.id);
    const docsOf = async (taxpayerNo: string) =>
      (await (await loginTaxpayer(app, taxpayerNo)).chat.get('/api/chat/recommendations?page=home')).json.documents.map(
        (d: { title: string }) => d.title,
      );
    const [reached, other] = members;
    if (!reached || !other) throw new Error('population');
    expect(await docsOf(reached.taxpayer.taxpayerNo)).toContain('小微企业六税两费减免指引');
    expect(await docsOf(other.taxpayer.taxpayerNo)).not.toContain('小微企业六税两费减免指引');
  });

  it('a connected taxpayer receives the pushed item and the unread count live', async () => {
    const { taxpayer, user } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const socket = connectSocket(chat);
    await connected(socket);
    const live = nextEvent(socket, 'inbox:new');
    const push = await create({ title: '发票新规', audience: { kind: 'list', taxpayerNos: [taxpayer.taxpayerNo] } });
    await sendAndWait(push.id);
    expect(await live).toMatchObject({ unread: 1, item: { kind: 'push', title: '发票新规', readAt: null } });
    const [row] = await app.db
      .select()
      .from(inboxItems)
      .where(and(eq(inboxItems.portalUserId, user.id), eq(inboxItems.dedupeKey, pushDedupeKey(push.id))));
    expect(row).toBeDefined();
    socket.close();
  });
});

describe('精准推送 on the job queue (pg-boss on PGlite)', () => {
  it('a scheduled push survives a restart and is delivered once, by the job, after its time', async () => {
    const dataDir = tempDataDir();
    let node = await startTestApp({ DATA_DIR: dataDir }, { jobs: true });
    try {
      const office = await createTaxOffice(node.db);
      const t = await createTaxpayer(node.db, { taxOfficeId: office.id });
      await createPortalUser(node.db, { taxpayerIds: [t.id], passwordHash: 'x' });
      const s = await makeStaff(node, 'admin');
      const actor = { kind: 'staff' as const, sessionId: 's', staffId: s.id, role: 'admin' as const, name: s.name };
      const draft = await node.push.create(actor, {
        title: '定时提醒',
        content: '内容',
        audience: { kind: 'list', taxpayerNos: [t.taxpayerNo] },
        scheduledAt: new Date(Date.now() + 3000).toISOString(),
      });
      expect((await node.push.send(actor, draft.id)).status).toBe('scheduled');
      await node.close();
      node = await startTestApp({ DATA_DIR: dataDir }, { jobs: true });
      await expect
        .poll(async () => (await node.push.get(actor, draft.id)).status, { timeout: 30_000, interval: 500 })
        .toBe('sent');
      expect(
        await node.db
          .select()
          .from(inboxItems)
          .where(eq(inboxItems.dedupeKey, pushDedupeKey(draft.id))),
      ).toHaveLength(1);
    } finally {
      await node.close();
    }
  });
});
