/**
 * SQL injection through search and filter parameters (CWE-89): the class of Rocket.Chat's NoSQL/regex injection in
 * livechat and directory search, Chatwoot's and Zammad's advisories on search and report filters, and Mattermost's
 * search-term injection. Also LIKE-wildcard injection (`%`, `_` widening a search to every row).
 *
 * Every query parameter of every list, search and report the server has, each given classic payloads: the answer is
 * a 400 with the product's Chinese validation error, or exactly what a value matching nothing gives — never a 500,
 * never rows the filter should not select. Afterwards the tables are intact.
 */
import { ANALYTICS_SECTIONS } from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import {
  HttpClient,
  loginStaff,
  loginTaxpayer,
  makeStaff,
  makeTaxpayer,
  openTaxpayerChat,
  startTestApp,
  type TaxpayerChat,
} from '../harness.ts';
import { hasChinese, makeAppointmentService } from './attack-fixtures.ts';

const PAYLOADS = [
  "' or 1=1 --",
  "' OR '1'='1",
  "%' union select id, username, password_hash from staff --",
  "'; drop table staff; --",
  '1) or (1=1',
  "\\' or 1=1 --",
  '" or ""="',
  "') or true; select pg_sleep(5); --",
  '$1',
  // LIKE wildcards: literal text that appears nowhere, so as wildcards they would select every row
  '%_%',
  '_%',
];
/** A value of the same kind that selects nothing: what a harmless payload must be indistinguishable from. */
const NOTHING = 'zz无此内容zz';

let app: RunningApp;
let admin: HttpClient;
let tp: TaxpayerChat;
let serviceId: string;
beforeAll(async () => {
  // the knowledge base gives the searches rows to leak
  app = await startTestApp({ SEED_KB: 'true' });
  admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
  for (let i = 0; i < 3; i++) await makeStaff(app);
  tp = await openTaxpayerChat(app);
  await tp.send('你好，我想咨询发票问题');
  serviceId = (await makeAppointmentService(app, tp.officeId)).id;
});
afterAll(async () => {
  tp?.socket.close();
  await app?.close();
});

const withParam = (path: string, param: string, value: string) =>
  `${path}${path.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(value)}`;

/**
 * Each payload in `param` of `path`: a 400 in Chinese, or (for free-text filters) the same answer as a value that
 * matches nothing. `strict` params (ids, dates, enums) must be refused outright.
 */
async function probe(client: HttpClient, path: string, param: string, opts: { strict?: boolean } = {}) {
  const baseline = await client.get(withParam(path, param, NOTHING));
  expect(baseline.status, `${path} ${param} baseline`).toBeLessThan(500);
  for (const payload of PAYLOADS) {
    const res = await client.get(withParam(path, param, payload));
    const where = `${path} ${param}=${payload}`;
    expect(res.status, where).not.toBe(500);
    if (opts.strict || res.status === 400) {
      expect(res.status, where).toBe(400);
      expect(res.json?.code, where).toBe('VALIDATION_FAILED');
      expect(hasChinese(res.json?.message), where).toBe(true);
    } else {
      expect(res.status, where).toBe(baseline.status);
      expect(res.json, where).toEqual(baseline.json);
    }
  }
}

describe('staff-side lists and searches', () => {
  it('人员 (admin/staff): q, role, officeId, active, page', async () => {
    const all = await admin.get('/api/admin/staff');
    expect(all.json.total).toBeGreaterThanOrEqual(4);
    // the free-text search treats % and _ literally (usernames do contain "_": staff_…)
    expect((await admin.get('/api/admin/staff?q=%25')).json.total).toBe(0);
    expect((await admin.get('/api/admin/staff?q=_%25')).json.total).toBe(0);
    expect((await admin.get('/api/admin/staff?q=staff_')).json.total).toBeGreaterThanOrEqual(4);
    await probe(admin, '/api/admin/staff', 'q');
    await probe(admin, '/api/admin/staff', 'role', { strict: true });
    await probe(admin, '/api/admin/staff', 'officeId');
    await probe(admin, '/api/admin/staff', 'active', { strict: true });
    await probe(admin, '/api/admin/staff', 'page', { strict: true });
  });

  it('知识条目 (admin/knowledge/entries): q, topic, status, page, pageSize', async () => {
    const all = await admin.get('/api/admin/knowledge/entries');
    expect(all.json.total).toBeGreaterThan(10);
    // answers do contain "%" (税率 13%): as a wildcard, "%_%" would select every entry; literally, none
    expect((await admin.get('/api/admin/knowledge/entries?q=%25_%25')).json.total).toBe(0);
    await probe(admin, '/api/admin/knowledge/entries', 'q');
    await probe(admin, '/api/admin/knowledge/entries', 'topic');
    await probe(admin, '/api/admin/knowledge/entries', 'status', { strict: true });
    await probe(admin, '/api/admin/knowledge/entries', 'page', { strict: true });
    await probe(admin, '/api/admin/knowledge/entries', 'pageSize', { strict: true });
  });

  it('审计日志 (admin/audit): action, targetId, staffId, kind, result, from, to, before', async () => {
    // the audit log has rows by now (logins, the reads above); a payload prefix or target selects none of them
    expect((await admin.get('/api/admin/audit')).json.items.length).toBeGreaterThan(0);
    for (const param of ['action', 'targetId']) {
      for (const payload of PAYLOADS) {
        const res = await admin.get(withParam('/api/admin/audit', param, payload));
        expect(res.status, `${param}=${payload}`).toBe(200);
        expect(res.json.items, `${param}=${payload}`).toEqual([]);
      }
    }
    for (const param of ['staffId', 'kind', 'result', 'from', 'to', 'before', 'pageSize']) {
      await probe(admin, '/api/admin/audit', param, { strict: true });
    }
  });

  it('统计分析 (admin/analytics/*): officeId, groupId, from, to, format', async () => {
    for (const section of ANALYTICS_SECTIONS) {
      const path = `/api/admin/analytics/${section}`;
      await probe(admin, path, 'officeId');
      await probe(admin, path, 'groupId');
      await probe(admin, path, 'from', { strict: true });
      await probe(admin, path, 'to', { strict: true });
      await probe(admin, path, 'format', { strict: true });
    }
  });

  it('通话记录, 知识库搜索, workspace lists: every filter', async () => {
    for (const param of ['from', 'to', 'kind', 'state', 'staffId', 'conversationId', 'page', 'pageSize']) {
      await probe(admin, '/api/workspace/calls', param, { strict: true });
    }
    await probe(admin, '/api/workspace/conversations', 'scope', { strict: true });
    await probe(admin, '/api/workspace/inquiries', 'scope', { strict: true });
    await probe(admin, '/api/workspace/work-orders', 'scope', { strict: true });
    await probe(admin, '/api/workspace/appointments', 'date', { strict: true });
    await probe(admin, '/api/workspace/appointments', 'scope', { strict: true });
    await probe(admin, `/api/workspace/conversations/${tp.conversationId}/messages`, 'beforeSeq', { strict: true });

    // the agents' knowledge search ranks entries by words, not SQL: whatever it finds is a knowledge entry
    for (const payload of PAYLOADS) {
      const res = await admin.get(withParam('/api/workspace/knowledge/search', 'q', payload));
      expect(res.status, payload).not.toBe(500);
      if (res.status === 200) {
        for (const hit of res.json.hits) expect(hit.entryId).toMatch(/^KB-/);
        expect(res.text).not.toMatch(/password|\$argon|\$2[aby]\$/i);
      }
    }
  });
});

describe("the taxpayer's lists", () => {
  it('我的消息, history, recommendations, slots: every filter', async () => {
    await probe(tp.chat, '/api/chat/inbox', 'before', { strict: true });
    await probe(tp.chat, '/api/chat/inbox', 'unreadOnly', { strict: true });
    await probe(tp.chat, '/api/chat/inbox', 'limit', { strict: true });
    await probe(tp.chat, `/api/chat/conversations/${tp.conversationId}/messages`, 'beforeSeq', { strict: true });
    await probe(tp.chat, `/api/chat/conversations/${tp.conversationId}/messages`, 'limit', { strict: true });
    await probe(tp.chat, '/api/chat/conversation', 'page', { strict: true });
    await probe(tp.chat, '/api/chat/recommendations', 'page', { strict: true });
    await probe(tp.chat, `/api/chat/appointments/services/${serviceId}/slots`, 'from', { strict: true });
    await probe(tp.chat, `/api/chat/appointments/services/${serviceId}/slots`, 'to', { strict: true });
  });

  it('ids in the path are checked before any query runs', async () => {
    for (const payload of PAYLOADS) {
      for (const path of ['/api/chat/inquiries/', '/api/chat/work-orders/', '/api/files/', '/api/chat/case-files/']) {
        const res = await tp.chat.get(path + encodeURIComponent(payload));
        expect(res.status, path + payload).toBeGreaterThanOrEqual(400);
        expect(res.status, path + payload).toBeLessThan(500);
      }
    }
  });
});

describe('after the attacks', () => {
  it('logins with injection payloads fail as wrong credentials, and every table is intact', async () => {
    for (const username of ["admin' --", "' or 1=1 --", "admin'/*"]) {
      const res = await new HttpClient(app.url).post('/api/staff/login', { username, password: "' or '1'='1" });
      expect([400, 401]).toContain(res.status);
    }
    const portal = await new HttpClient(app.url).post('/api/portal/login', {
      taxpayerNo: "91370100' or '1'='1",
      password: "' or 1=1 --",
    });
    expect([400, 401]).toContain(portal.status);

    expect((await admin.get('/api/admin/staff')).json.total).toBeGreaterThanOrEqual(4);
    expect((await admin.get('/api/admin/knowledge/entries')).json.total).toBeGreaterThan(10);
    const fresh = await makeTaxpayer(app);
    expect((await loginTaxpayer(app, fresh.taxpayer.taxpayerNo)).session).toBeTruthy();
  });
});
