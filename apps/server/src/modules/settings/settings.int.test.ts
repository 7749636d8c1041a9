/** Administrators' service settings: handoff rules and service hours take effect, and concurrent edits are caught. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpClient,
  loginStaff,
  makeGroup,
  makeStaff,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
} from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
let admin: HttpClient;
beforeAll(async () => {
  app = await startTestApp({ BOT_ENABLED: 'true', SEED_KB: 'true' });
  admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
});
afterAll(async () => {
  await app?.close();
});

async function chatWithAgentOnline() {
  const c = await openTaxpayerChat(app);
  const agent = await makeStaff(app);
  await makeGroup(app, { taxOfficeId: c.officeId, agents: [agent.id] });
  return c;
}

async function save(path: string, change: (v: any) => void) {
  const current = (await admin.get(path)).json;
  change(current.value);
  return admin.request('PUT', path, { value: current.value, version: current.version });
}

describe('service settings', () => {
  it('uses the keywords the administrator adds', async () => {
    expect((await save('/api/admin/settings/handoff-rules', (v) => v.keywords.push('找个懂行的'))).status).toBe(200);
    const c = await chatWithAgentOnline();
    const notice = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'handoff_requested');
    await c.send('能不能找个懂行的来说说');
    expect((await notice).payload).toMatchObject({ reason: 'keyword' });
    c.socket.close();
  });

  it('asks first when smart detection is set to offer, and keeps the reason when the taxpayer accepts', async () => {
    expect((await save('/api/admin/settings/handoff-rules', (v) => (v.smartMode = 'offer'))).status).toBe(200);
    const c = await chatWithAgentOnline();
    const offer = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'handoff_offer');
    await c.send('你们这个系统太烂了，气死我了！！！');
    const offered = await offer;
    expect(offered.body).toBe('需要为您转人工服务吗？');
    expect(offered.payload).toEqual({ kind: 'handoff_offer', reason: 'emotion' });
    const requested = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'handoff_requested');
    await c.chat.post('/api/chat/handoff', { conversationId: c.conversationId });
    expect((await requested).payload).toEqual({ kind: 'handoff_requested', reason: 'emotion' });
    await save('/api/admin/settings/handoff-rules', (v) => (v.smartMode = 'direct'));
    c.socket.close();
  });

  it('outside service hours offers 留言/预约 and says when people are there', async () => {
    const closedAllWeek = (v: any) => {
      for (const d of Object.keys(v.week)) v.week[d] = [];
      v.week.mon = [{ start: '00:00', end: '00:01' }];
    };
    expect((await save('/api/admin/settings/service-hours', closedAllWeek)).status).toBe(200);
    const c = await chatWithAgentOnline();
    const told = nextEvent(c.socket, 'message:new', (m) => m.payload?.kind === 'agents_unavailable');
    await c.send('转人工');
    expect((await told).body).toContain('不在人工服务时间');
    await save('/api/admin/settings/service-hours', (v) => {
      for (const d of Object.keys(v.week)) v.week[d] = [{ start: '00:00', end: '24:00' }];
    });
    c.socket.close();
  });

  it('refuses a change based on an outdated version, and bad values, in Chinese', async () => {
    const current = (await admin.get('/api/admin/settings/handoff-rules')).json;
    expect((await admin.request('PUT', '/api/admin/settings/handoff-rules', current)).status).toBe(200);
    const stale = await admin.request('PUT', '/api/admin/settings/handoff-rules', current);
    expect(stale.status).toBe(409);
    expect(stale.json.message).toContain('已被他人修改');
    const fresh = (await admin.get('/api/admin/settings/handoff-rules')).json;
    const bad = await admin.request('PUT', '/api/admin/settings/handoff-rules', {
      value: { ...fresh.value, keywords: [] },
      version: fresh.version,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('至少保留一个转人工关键词');
    const agent = (await loginStaff(app, (await makeStaff(app)).username)).client;
    expect((await agent.get('/api/admin/settings/handoff-rules')).status).toBe(403);
  });
});
