/**
 * What the workspace does around a conversation, in the browser: a new assignment rings and raises a desktop
 * notification; a supervisor gives a waiting taxpayer to an agent from the 监控看板 and takes a conversation over;
 * an agent transfers a conversation back to a skill group, where a member of that group takes it.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { HttpClient } from '../apps/server/test/harness.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, openChat, portalLogin, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
const api: Record<string, HttpClient> = {};
const [agent1, agent2, supervisor] = DEMO_STAFF;
const chats: FrameLocator[] = [];
let agentPage: Page;
let supervisorPage: Page;

type Alerts = { notifications: { title: string; body: string }[]; tones: number };

/** Records what the page asks the browser for: desktop notifications and tones (the real ones still run). */
const RECORD_ALERTS = `
  window.__alerts = { notifications: [], tones: 0 };
  const Real = window.Notification;
  function Recording(title, options) {
    window.__alerts.notifications.push({ title, body: (options && options.body) || '' });
    return new Real(title, options);
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Recording;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__alerts.tones += 1;
    return start.apply(this, args);
  };
`;

async function staffPage(who: (typeof DEMO_STAFF)[number], notifications = false) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  if (notifications) await context.grantPermissions(['notifications'], { origin: node.url });
  await context.addInitScript({ content: RECORD_ALERTS });
  const page = await context.newPage();
  await page.goto(`${node.url}/workspace/`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  await page.getByTestId('presence-switch').waitFor();
  return page;
}

async function taxpayerChat(taxpayerNo: string) {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await portalLogin(page, node.url, taxpayerNo);
  await page.goto(`${node.url}/portal/account.html`);
  return openChat(page);
}

const notice = (chat: FrameLocator, kind: string) =>
  chat.locator(`[data-testid="system-notice"][data-payload-kind="${kind}"]`).last();

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
  for (const s of DEMO_STAFF) {
    const c = new HttpClient(node.url);
    const r = await c.post('/api/staff/login', { username: s.username, password: s.password });
    if (r.status !== 200) throw new Error(r.text);
    api[s.username] = c;
  }
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('the workspace around a conversation', () => {
  it('a new assignment rings and raises a desktop notification naming the taxpayer', async () => {
    agentPage = await staffPage(agent1, true);
    await agentPage.getByTestId('presence-online').click();
    await expect.poll(() => agentPage.getByTestId('presence-switch').getAttribute('data-presence')).toBe('online');

    const chat = await taxpayerChat(DEMO_TAXPAYERS[0].taxpayerNo);
    chats[0] = chat;
    await chat.getByTestId('handoff-button').click();
    await notice(chat, 'agent_joined').waitFor();

    await agentPage.getByTestId('assigned-notice').waitFor();
    expect(await agentPage.getByTestId('assigned-notice').textContent()).toContain(DEMO_TAXPAYERS[0].name);
    const alerts = (await agentPage.evaluate('window.__alerts')) as Alerts;
    expect(alerts.notifications).toEqual([{ title: '新的会话', body: `${DEMO_TAXPAYERS[0].name} 已分配给您` }]);
    expect(alerts.tones).toBeGreaterThanOrEqual(1);
  });

  it('a supervisor gives a waiting taxpayer to an agent from the 监控看板', async () => {
    // 张敏 is full at one conversation, 刘洋 is away: the next taxpayer waits
    const me = (await api.agent1?.get('/api/staff/me'))?.json;
    await api.supervisor1?.request('PUT', `/api/admin/staff/${me.staffId}/capacity`, { maxConcurrent: 1 });
    const chat = await taxpayerChat(DEMO_TAXPAYERS[1].taxpayerNo);
    chats[1] = chat;
    await chat.getByTestId('handoff-button').click();
    await chat.getByTestId('queue-banner').waitFor();

    supervisorPage = await staffPage(supervisor);
    await supervisorPage.getByTestId('view-board').click();
    await supervisorPage.getByTestId('board-queue').getByText(DEMO_TAXPAYERS[1].name).waitFor();
    await supervisorPage.getByLabel(`为 ${DEMO_TAXPAYERS[1].name} 选择坐席`).click();
    await supervisorPage.getByTitle(agent2.name).first().click();
    await supervisorPage.getByTestId('board-assign').first().click();

    await notice(chat, 'agent_joined').waitFor();
    expect(await notice(chat, 'agent_joined').textContent()).toContain(agent2.name);
    await chat.getByTestId('queue-banner').waitFor({ state: 'detached' });
    await supervisorPage.getByTestId('board-queue').getByText('当前无人排队').waitFor();
  });

  it('a supervisor takes a conversation over and the taxpayer is told who joined', async () => {
    await supervisorPage.getByTestId('workspace-view').getByText('会话').first().click();
    await supervisorPage.getByTestId('tab-all').click();
    await supervisorPage.getByTestId('conversation-item').filter({ hasText: DEMO_TAXPAYERS[1].name }).first().click();
    await supervisorPage.getByTestId('take-over').click();

    const chat = chats[1] as FrameLocator;
    await expect.poll(() => notice(chat, 'agent_joined').textContent()).toContain(supervisor.name);
    const mine = (await api.supervisor1?.get('/api/workspace/conversations?scope=mine'))?.json.conversations;
    expect(JSON.stringify(mine)).toContain(DEMO_TAXPAYERS[1].name);
  });

  it('an agent transfers a conversation to a skill group and a member of that group takes it', async () => {
    // 刘洋 comes online: he is in 申报业务, 张敏 is not
    await api.agent2?.post('/api/workspace/presence', { presence: 'online' });
    await agentPage.getByTestId('tab-mine').click();
    await agentPage.getByTestId('conversation-item').filter({ hasText: DEMO_TAXPAYERS[0].name }).first().click();
    await agentPage.getByTestId('transfer-open').click();
    await agentPage.getByTestId('transfer-target-type').getByText('技能组').click();
    await agentPage.getByTestId('transfer-group').click();
    await agentPage.getByTitle('申报业务').first().click();
    await agentPage.getByTestId('transfer-note').fill('纳税人咨询申报更正，请申报组协助');
    await agentPage.getByTestId('transfer-submit').click();

    const chat = chats[0] as FrameLocator;
    await notice(chat, 'transferred').waitFor();
    expect(await notice(chat, 'transferred').textContent()).toContain('申报业务');
    await expect.poll(() => notice(chat, 'agent_joined').textContent()).toContain(agent2.name);
    // the note stays among staff
    expect(await chat.getByText('请申报组协助').count()).toBe(0);
    const theirs = (await api.agent2?.get('/api/workspace/conversations?scope=mine'))?.json.conversations;
    expect(JSON.stringify(theirs)).toContain(DEMO_TAXPAYERS[0].name);
  });
});
