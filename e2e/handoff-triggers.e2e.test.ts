/**
 * Each way to a human, in the browser: a typed keyword, anger, repeated no-answers; the bot answering while the
 * taxpayer waits and stopping when the agent joins; a transfer between agents in the workspace; after hours.
 */
import type { Browser, FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { HttpClient } from '../apps/server/test/harness.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { chatAs, launchBrowser, say, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
const staff: Record<string, HttpClient> = {};

async function staffClient(username: string, password: string) {
  const c = new HttpClient(node.url);
  const r = await c.post('/api/staff/login', { username, password });
  if (r.status !== 200) throw new Error(r.text);
  return c;
}

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
  for (const s of DEMO_STAFF) staff[s.username] = await staffClient(s.username, s.password);
  for (const name of ['agent1', 'agent2']) await staff[name]?.post('/api/workspace/presence', { presence: 'online' });
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

const notice = (chat: FrameLocator, kind: string) =>
  chat.locator(`[data-testid="system-notice"][data-payload-kind="${kind}"]`).last();

describe('ways to a human', () => {
  it('a typed keyword brings an agent', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[0].taxpayerNo);
    await say(chat, '我要找人工客服');
    await notice(chat, 'agent_joined').waitFor();
    expect(await notice(chat, 'handoff_requested').textContent()).toContain('人工客服');
  });

  it('an angry message brings an agent, recorded as emotion', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[2].taxpayerNo);
    await say(chat, '你们这个系统太烂了，气死我了！！！');
    await notice(chat, 'agent_joined').waitFor();
    const queue = (await staff.supervisor1?.get('/api/workspace/conversations?scope=all'))?.json.conversations;
    expect(JSON.stringify(queue)).toContain(DEMO_TAXPAYERS[2].name);
  });

  it('three questions the bot cannot answer bring an agent', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[3].taxpayerNo);
    for (const q of ['明天济南天气怎么样', '推荐一部好看的电影', '今晚的足球比赛谁会赢']) {
      await say(chat, q);
      await chat.getByTestId('bot-no-answer').nth(0).waitFor();
    }
    await notice(chat, 'agent_joined').waitFor();
  });

  it('while the taxpayer waits the bot keeps answering; when the agent joins it stops', async () => {
    // nobody free: agent2 leaves, agent1 is full
    await staff.agent2?.post('/api/workspace/presence', { presence: 'away' });
    const me = (await staff.agent1?.get('/api/staff/me'))?.json;
    await staff.supervisor1?.request('PUT', `/api/admin/staff/${me.staffId}/capacity`, { maxConcurrent: 1 });
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[4].taxpayerNo);
    await chat.getByTestId('handoff-button').click();
    await chat.getByTestId('queue-banner').waitFor();
    await say(chat, '数电发票在电子税务局里怎么开具？');
    await chat.getByTestId('bot-answer').last().waitFor();
    // agent2 comes back: the waiting taxpayer is taken, the banner goes, the bot stops
    await staff.agent2?.post('/api/workspace/presence', { presence: 'online' });
    await notice(chat, 'agent_joined').waitFor();
    await chat.getByTestId('queue-banner').waitFor({ state: 'detached' });
    const answersBefore = await chat.getByTestId('bot-answer').count();
    await say(chat, '数电发票在电子税务局里怎么开具？');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await chat.getByTestId('bot-answer').count()).toBe(answersBefore);
  });

  it('an agent transfers a conversation to a colleague in the workspace', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[5].taxpayerNo);
    await chat.getByTestId('handoff-button').click();
    await notice(chat, 'agent_joined').waitFor();
    // taken at once: no "waiting" banner left behind
    await new Promise((r) => setTimeout(r, 500));
    expect(await chat.getByTestId('queue-banner').count()).toBe(0);
    const joinedText = (await notice(chat, 'agent_joined').textContent()) ?? '';
    const holder = joinedText.includes(DEMO_STAFF[0].name) ? DEMO_STAFF[0] : DEMO_STAFF[1];
    const other = holder === DEMO_STAFF[0] ? DEMO_STAFF[1] : DEMO_STAFF[0];
    if (other.username === 'agent1') {
      const me = (await staff.agent1?.get('/api/staff/me'))?.json;
      await staff.supervisor1?.request('PUT', `/api/admin/staff/${me.staffId}/capacity`, { maxConcurrent: 5 });
    }
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${node.url}/workspace/`);
    await page.getByTestId('staff-login-username').fill(holder.username);
    await page.getByTestId('staff-login-password').fill(holder.password);
    await page.getByTestId('staff-login-submit').click();
    await page.getByTestId('conversation-item').filter({ hasText: DEMO_TAXPAYERS[5].name }).first().click();
    await page.getByTestId('transfer-open').click();
    await page.getByTestId('transfer-agent').click();
    await page.getByTitle(other.name).first().click();
    await page.getByTestId('transfer-note').fill('纳税人咨询个税汇算，请协助');
    await page.getByTestId('transfer-submit').click();
    await notice(chat, 'transferred').waitFor();
    expect(await notice(chat, 'transferred').textContent()).toContain(other.name);
  });

  it('after hours the taxpayer is told so and offered 留言/预约 instead of a queue', async () => {
    const admin = staff.admin as HttpClient;
    const hours = (await admin.get('/api/admin/settings/service-hours')).json;
    const closed = structuredClone(hours.value);
    for (const d of Object.keys(closed.week)) closed.week[d] = [];
    closed.week.mon = [{ start: '00:00', end: '00:01' }];
    expect(
      (await admin.request('PUT', '/api/admin/settings/service-hours', { value: closed, version: hours.version }))
        .status,
    ).toBe(200);
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[1].taxpayerNo);
    await say(chat, '转人工');
    await notice(chat, 'agents_unavailable').waitFor();
    expect(await notice(chat, 'agents_unavailable').textContent()).toContain('不在人工服务时间');
  });
});
