/**
 * 统计分析 in Chromium, on traffic the test makes through the real widget: one taxpayer asks a question the bot
 * answers and marks it 有用, another asks for a human (转人工). The figures move by exactly that much against the
 * figures read before the traffic (the demo seed has its own history), and the supervisor's dashboard shows them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { HttpClient } from '../apps/server/test/harness.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { chatAs, launchBrowser, say, startProduct } from './support.ts';

const KB_QUESTION = '数电发票在电子税务局里怎么开具？';

let node: NodeProcess;
let browser: Browser;
let api: HttpClient;
const supervisor = DEMO_STAFF[2];

type BotFigures = {
  totals: { conversations: number; helpful: number; unhelpful: number };
  days: { date: string; answered: number }[];
};
type HandoffFigures = { totals: { handoffs: number } };

const figures = async <T>(section: string): Promise<T> => {
  const r = await api.get(`/api/admin/analytics/${section}`);
  if (r.status !== 200) throw new Error(r.text);
  return r.json as T;
};
const answeredTotal = (f: BotFigures) => f.days.reduce((n, d) => n + d.answered, 0);

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
  if (!supervisor) throw new Error('no demo supervisor');
  api = new HttpClient(node.url);
  const r = await api.post('/api/staff/login', { username: supervisor.username, password: supervisor.password });
  if (r.status !== 200) throw new Error(r.text);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

/** The value of a figure card (antd Statistic) on the dashboard. */
const figure = (page: Page, title: string) =>
  page.locator('.ant-statistic').filter({ has: page.locator('.ant-statistic-title', { hasText: title }) });

describe('统计分析', () => {
  it('the dashboard shows the figures of the traffic the test made', async () => {
    const [asker, caller] = DEMO_TAXPAYERS;
    if (!asker || !caller || !supervisor) throw new Error('no demo data');
    const botBefore = await figures<BotFigures>('bot');
    const handoffBefore = await figures<HandoffFigures>('handoff');

    // one taxpayer: a question the knowledge base answers, marked 有用
    const a = await chatAs(browser, node.url, asker.taxpayerNo);
    await say(a.chat, KB_QUESTION);
    await a.chat.locator('[data-testid="message-bubble"][data-payload-kind="answer"]').last().waitFor();
    await a.chat.getByRole('button', { name: '有用' }).last().click();
    await a.chat.getByTestId('feedback-choice').last().waitFor();

    // another: straight to a human
    const b = await chatAs(browser, node.url, caller.taxpayerNo);
    await b.chat.getByRole('button', { name: '转人工' }).click();
    await b.chat.locator('[data-testid="system-notice"]').last().waitFor();

    await expect
      .poll(async () => {
        const f = await figures<BotFigures>('bot');
        return [f.totals.conversations - botBefore.totals.conversations, f.totals.helpful - botBefore.totals.helpful];
      })
      .toEqual([2, 1]);
    const bot = await figures<BotFigures>('bot');
    expect(answeredTotal(bot) - answeredTotal(botBefore)).toBe(1);
    expect(bot.totals.unhelpful).toBe(botBefore.totals.unhelpful);
    const handoff = await figures<HandoffFigures>('handoff');
    expect(handoff.totals.handoffs - handoffBefore.totals.handoffs).toBe(1);

    // the supervisor's dashboard shows the same figures
    const page = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto(`${node.url}/admin/#analytics`);
    await page.getByTestId('staff-login-username').fill(supervisor.username);
    await page.getByTestId('staff-login-password').fill(supervisor.password);
    await page.getByTestId('staff-login-submit').click();
    await figure(page, '会话数').waitFor();
    expect(await figure(page, '会话数').locator('.ant-statistic-content').textContent()).toBe(
      String(bot.totals.conversations),
    );
    expect(await figure(page, '有用 / 没用').locator('.ant-statistic-content').textContent()).toBe(
      `${bot.totals.helpful} / ${bot.totals.unhelpful}`,
    );
    await page.getByRole('tab', { name: '转人工' }).click();
    await figure(page, '转人工率').waitFor();
    expect(
      await page
        .locator('.ant-statistic')
        .filter({ has: page.locator('.ant-statistic-title').getByText('转人工', { exact: true }) })
        .locator('.ant-statistic-content')
        .textContent(),
    ).toBe(String(handoff.totals.handoffs));
  }, 120_000);
});
