/**
 * The bot in the browser: the taxpayer gets an answer with its documents and 有用/没用, a clarifying choice can be
 * clicked, 转人工 is recorded; a curator sees in the admin test console why the bot answers what it answers.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { chatAs, launchBrowser, say, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

describe('the bot in the chat', () => {
  it('answers with the entry, its documents and 有用/没用, and remembers the choice', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[2].taxpayerNo);
    await say(chat, '数电发票在电子税务局里怎么开具？');
    const answer = chat.getByTestId('bot-answer').last();
    await answer.waitFor();
    expect(await answer.textContent()).toContain('开票业务');
    // the documents and 有用/没用 come with the answer's extras, a chunk loaded beside the chat (it may land a moment
    // after the text)
    await chat.getByTestId('document-link').first().waitFor();
    await chat.getByRole('button', { name: '有用' }).last().click();
    await chat.getByTestId('feedback-choice').last().waitFor();
    expect(await chat.getByTestId('feedback-choice').last().textContent()).toContain('有用');
  });

  it('records 转人工 and, with every agent away, says so and offers other ways', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[3].taxpayerNo);
    await say(chat, '转人工');
    const requested = chat.locator('[data-testid="system-notice"][data-payload-kind="handoff_requested"]');
    await requested.waitFor();
    expect(await requested.textContent()).toContain('人工客服');
    // the demo agents start as 离开 until they switch to 在线 in the workspace
    const unavailable = chat.locator('[data-testid="system-notice"][data-payload-kind="agents_unavailable"]');
    await unavailable.waitFor();
    expect(await unavailable.textContent()).toContain('留言或预约');
  });

  it('greets back instead of answering with a random entry', async () => {
    const { chat } = await chatAs(browser, node.url, DEMO_TAXPAYERS[4].taxpayerNo);
    await say(chat, '你好');
    const reply = chat.locator('[data-testid="message-bubble"][data-sender-type="bot"]').last();
    await reply.waitFor();
    expect(await reply.getAttribute('data-payload-kind')).toBe('smalltalk');
  });
});

describe('the admin test console', () => {
  it('shows the outcome, the terms and the scored candidates for a question', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${node.url}/admin/#knowledge/test`);
    await page.getByTestId('staff-login-username').fill(DEMO_STAFF[3].username);
    await page.getByTestId('staff-login-password').fill(DEMO_STAFF[3].password);
    await page.getByTestId('staff-login-submit').click();
    await page.getByTestId('kb-test-input').fill('数电发票在电子税务局里怎么开具？');
    await page.getByTestId('kb-test-submit').click();
    const outcome = page.getByTestId('kb-test-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('answer');
    expect(await page.getByTestId('kb-test-candidates').textContent()).toContain('KB-T01-001');
    expect(await page.getByTestId('kb-test-signals').textContent()).toContain('情绪');
  });
});
