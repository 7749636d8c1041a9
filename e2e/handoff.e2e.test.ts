/**
 * Human handoff end to end, with two browser contexts: an agent goes 在线 in the workspace, a taxpayer clicks 转人工,
 * the conversation lands in the agent's 我的会话 with its reason, they talk (a private note never reaches the
 * taxpayer), the agent ends it and the taxpayer rates the service; the next message starts a new conversation.
 */
import type { Browser, Page } from 'playwright-core';
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

async function staffLogin(page: Page, who: (typeof DEMO_STAFF)[number]) {
  await page.goto(`${node.url}/workspace/`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  await page.getByTestId('presence-switch').waitFor();
}

describe('human handoff in the browser', () => {
  it('button → agent in 我的会话 → reply and private note → end → 满意度 → a new conversation', async () => {
    const agent = DEMO_STAFF[0];
    const enterprise = DEMO_TAXPAYERS[0];

    const agentPage = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await staffLogin(agentPage, agent);
    // demo agents start 离开
    expect(await agentPage.getByTestId('presence-switch').getAttribute('data-presence')).toBe('away');
    await agentPage.getByTestId('presence-online').click();
    await expect.poll(() => agentPage.getByTestId('presence-switch').getAttribute('data-presence')).toBe('online');

    const taxpayer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await portalLogin(taxpayer, node.url, enterprise.taxpayerNo);
    await taxpayer.goto(`${node.url}/portal/account.html`);
    const chat = await openChat(taxpayer);
    await chat.getByTestId('handoff-button').click();

    // the agent gets it in 我的会话, with the reason
    const item = agentPage.getByTestId('conversation-item').filter({ hasText: enterprise.name });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().click();
    await expect.poll(() => agentPage.getByTestId('handoff-reason-tag').textContent()).toContain('点击转人工');
    await agentPage.getByTestId('taxpayer-card').waitFor();
    expect(await agentPage.getByTestId('card-taxpayer-no').textContent()).toBe('9137****0001');

    // the taxpayer is told who joined
    const joined = chat.locator('[data-testid="system-notice"][data-payload-kind="agent_joined"]');
    await joined.waitFor();
    expect(await joined.textContent()).toContain(agent.name);

    const answer = '您好，我是坐席张敏，请问有什么可以帮您？';
    await agentPage.getByTestId('workspace-reply-input').fill(answer);
    await agentPage.getByTestId('workspace-send').click();
    await chat.locator('[data-testid="message-bubble"][data-sender-type="agent"]', { hasText: answer }).waitFor();

    // a private note stays with the staff
    const note = '内部：该户上月有红冲记录，注意核对。';
    await agentPage.getByTestId('private-toggle').click();
    await agentPage.getByTestId('workspace-reply-input').fill(note);
    await agentPage.getByTestId('workspace-send').click();
    await agentPage.locator('[data-testid="message-bubble"][data-private="true"]', { hasText: note }).waitFor();
    await agentPage.getByTestId('private-toggle').click();
    const after = '请您稍候，我为您查询。';
    await agentPage.getByTestId('workspace-reply-input').fill(after);
    await agentPage.getByTestId('workspace-send').click();
    await chat.locator('[data-testid="message-bubble"][data-sender-type="agent"]', { hasText: after }).waitFor();
    expect(await chat.getByText(note).count()).toBe(0);

    // the agent ends it; the taxpayer rates 5 with a comment
    await agentPage.getByTestId('end-conversation').click();
    await agentPage.getByTestId('end-confirm').click();
    const card = chat.getByTestId('rating-card');
    await card.waitFor();
    await card.getByRole('radio').nth(4).click();
    expect(await chat.getByTestId('rating-label').textContent()).toBe('非常满意');
    await chat.getByTestId('rating-comment').fill('解答及时，很满意');
    await chat.getByTestId('rating-submit').click();
    await chat.getByTestId('rating-thanks').waitFor();

    // the next message goes to a new conversation, the old one stays above the divider
    await chat.getByTestId('widget-input').fill('还有一个问题');
    await chat.getByTestId('widget-input').press('Enter');
    await chat.getByTestId('service-ended-divider').waitFor();
    const mine = chat.locator('[data-testid="message-bubble"][data-sender-type="taxpayer"]', {
      hasText: '还有一个问题',
    });
    await expect.poll(() => mine.getAttribute('data-delivery')).toBe('sent');
  });
});
