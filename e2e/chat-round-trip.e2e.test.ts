/**
 * The taxpayer ↔ agent round trip, as people do it: portal login → the floating icon → a message → the agent sees it
 * in the workspace and replies → the taxpayer sees the reply → after a reload the history is still there.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, openChat, portalLogin, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('taxpayer ↔ agent round trip in the browser', () => {
  it('carries a question and its answer between the chat and the workspace, and keeps them after a reload', async () => {
    const enterprise = DEMO_TAXPAYERS[3];
    const taxpayer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await portalLogin(taxpayer, node.url, enterprise.taxpayerNo);
    await taxpayer.goto(`${node.url}/portal/account.html`);
    const chat = await openChat(taxpayer);
    await expect.poll(() => chat.getByTestId('widget-enterprise-name').textContent()).toContain(enterprise.name);

    const question = '请问数电发票开具额度在哪里查看？';
    await chat.getByTestId('widget-input').fill(question);
    await chat.getByRole('button', { name: '发送' }).click();
    const mine = chat.locator('[data-testid="message-bubble"][data-sender-type="taxpayer"]', { hasText: question });
    await expect.poll(() => mine.getAttribute('data-delivery')).toBe('sent');

    const agentPage = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await agentPage.goto(`${node.url}/workspace/`);
    await agentPage.getByTestId('staff-login-username').fill(DEMO_STAFF[0].username);
    await agentPage.getByTestId('staff-login-password').fill(DEMO_STAFF[0].password);
    await agentPage.getByTestId('staff-login-submit').click();
    // a conversation nobody took yet is under 全部 (我的会话 lists the agent's own)
    await agentPage.getByTestId('tab-all').click();
    await agentPage.getByTestId('conversation-item').filter({ hasText: enterprise.name }).first().click();
    await agentPage.getByTestId('message-bubble').filter({ hasText: question }).waitFor();

    const answer = '您好，可在税务数字账户的【发票额度查询】中查看。';
    await agentPage.getByTestId('workspace-reply-input').fill(answer);
    await agentPage.getByTestId('workspace-send').click();

    const reply = chat.locator('[data-testid="message-bubble"][data-sender-type="agent"]', { hasText: answer });
    await reply.waitFor();
    expect(await reply.textContent()).toContain(DEMO_STAFF[0].name);

    // a new taxpayer message reaches the workspace live, without a reload
    await chat.getByTestId('widget-input').fill('好的，谢谢！');
    await chat.getByTestId('widget-input').press('Enter');
    await agentPage.getByTestId('message-bubble').filter({ hasText: '好的，谢谢！' }).waitFor();

    await taxpayer.reload();
    const again = await openChat(taxpayer);
    for (const text of [question, answer, '好的，谢谢！']) {
      await again.getByTestId('message-bubble').filter({ hasText: text }).waitFor();
    }
    expect(await again.getByTestId('message-bubble').filter({ hasText: question }).count()).toBe(1);
  });

  it('shows the floating icon on every portal page and keeps it keyboard-operable', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await portalLogin(page, node.url, DEMO_TAXPAYERS[4].taxpayerNo);
    for (const path of ['/', '/portal/account.html', '/portal/invoice.html']) {
      await page.goto(`${node.url}${path}`);
      await page.getByRole('button', { name: '征纳互动' }).waitFor();
    }
    // the chat is not loaded until asked for
    expect(await page.locator('iframe[title="征纳互动"]').count()).toBe(0);
    await page.getByRole('button', { name: '征纳互动' }).focus();
    await page.keyboard.press('Enter');
    await page.frameLocator('iframe[title="征纳互动"]').getByTestId('widget-input').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('button', { name: '征纳互动' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('lets the person acting for two enterprises switch, and the chat follows', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await portalLogin(page, node.url, DEMO_TAXPAYERS[0].taxpayerNo);
    await page.goto(`${node.url}/portal/account.html`);
    await page.getByTestId('enterprise-switcher').click();
    await page.getByTitle(DEMO_TAXPAYERS[1].name).click();
    await page.waitForLoadState('load');
    const chat = await openChat(page);
    await expect.poll(() => chat.getByTestId('widget-enterprise-name').textContent()).toContain(DEMO_TAXPAYERS[1].name);
  });
});
