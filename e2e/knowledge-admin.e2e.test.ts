/**
 * 知识库 in Chromium (issue #10): an administrator imports a spreadsheet with two bad rows — the report names them
 * and nothing is imported — fixes it and imports it as drafts, publishes one entry, and a taxpayer's chat answers
 * with it at once; an edit saved as a draft does not change the answer until it is published; an agent can open
 * neither the console nor its APIs.
 */
import type { Browser, Page } from 'playwright-core';
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

const admin = DEMO_STAFF.find((s) => s.username === 'admin');
const agent = DEMO_STAFF.find((s) => s.username === 'agent1');
const taxpayer = DEMO_TAXPAYERS[0];

async function consolePage(who: { username: string; password: string } | undefined, hash: string): Promise<Page> {
  if (!who) throw new Error('no such demo staff member');
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } })).newPage();
  await page.goto(`${node.url}/admin/#${hash}`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

const HEADER = '编号,专题,标准问题,相似问题,答案,相关文档,纳税人类型,行业,地区,关键词,状态';
const ANSWER = '紫藤牌演示业务请在电子税务局【我要办税】→【紫藤牌专区】在线办理，无需到办税服务厅。';
const good = [
  `KB-E2E-001,T01,紫藤牌演示业务在哪里办理,"紫藤牌业务怎么办\n紫藤牌在哪办",${ANSWER},,,,,紫藤牌,`,
  'KB-E2E-002,T01,紫藤牌演示业务需要什么材料,,只需身份证件。,,,,,紫藤牌,',
];
const csv = (rows: string[]) => Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`, 'utf8');

async function importCsv(page: Page, rows: string[]) {
  await page
    .getByTestId('kb-import-table')
    .setInputFiles({ name: '知识条目.csv', mimeType: 'text/csv', buffer: csv(rows) });
  await page.getByTestId('kb-import-submit').click();
}

describe('知识库: import, publish, answer', () => {
  it('refuses a spreadsheet with bad rows as a whole, then imports the fixed one as drafts', async () => {
    const page = await consolePage(admin, 'knowledge/transfer');
    await page.getByText('电子表格（CSV 或 Excel .xlsx，仅知识条目）').click();
    await page.getByLabel('导入为草稿（发布后才生效）').check();

    await importCsv(page, [
      good[0] as string,
      'KB-E2E-003,T01,,,没有问题的答案,,,,,,',
      good[1] as string,
      'KB-E2E-004,T01,紫藤牌演示业务可以预约吗,,可以。,,个体工商户,,,,',
    ]);
    const report = page.locator('[data-testid="kb-import-report"][data-ok="false"]');
    await report.waitFor();
    const errorRows = page.getByTestId('kb-import-errors').locator('tbody tr');
    await expect.poll(() => errorRows.count()).toBe(2);
    expect(await errorRows.nth(0).textContent()).toMatch(/kb\.csv\s*3.*标准问题不能为空/);
    expect(await errorRows.nth(1).textContent()).toMatch(/kb\.csv\s*5.*纳税人类型“个体工商户”不正确/);
    expect(await report.textContent()).toContain('本次没有导入任何内容');

    // nothing of the file is in the knowledge base
    const entries = await page.request.get(`${node.url}/api/admin/knowledge/entries?q=KB-E2E`);
    expect((await entries.json()).total).toBe(0);

    await importCsv(page, good);
    await page.locator('[data-testid="kb-import-report"][data-ok="true"]').waitFor();
    expect(await page.getByTestId('kb-import-counts').textContent()).toContain('2');
  });

  it('publishes an entry and the widget answers with it at once; a saved draft changes nothing until published', async () => {
    const { chat } = await chatAs(browser, node.url, taxpayer?.taxpayerNo ?? '');
    // a draft answers nothing
    await say(chat, '紫藤牌演示业务在哪里办理？');
    const lastBot = chat.locator('[data-testid="message-bubble"][data-sender-type="bot"]').last();
    await lastBot.waitFor();
    await expect.poll(async () => (await lastBot.textContent()) ?? '').not.toContain('紫藤牌专区');

    const page = await consolePage(admin, 'knowledge/entries');
    await page
      .getByRole('searchbox', { name: '搜索知识条目' })
      .or(page.getByLabel('搜索知识条目'))
      .first()
      .fill('紫藤牌');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const row = page.locator('[data-testid="entry-row"][data-id="KB-E2E-001"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('草稿');
    await row.click();
    await page.getByTestId('entry-publish').click();
    await page.getByTestId('entry-dialog-ok').click();
    await page.locator('[data-testid="entry-status-notice"][data-status="published"]').waitFor();

    // the taxpayer asks again in the same chat, no reload: the answer is the published one
    await say(chat, '紫藤牌演示业务在哪里办理？');
    const answer = chat.getByTestId('bot-answer').last();
    await expect.poll(async () => (await answer.textContent()) ?? '', { timeout: 15_000 }).toContain('紫藤牌专区');

    // an edit saved as a draft leaves the answer as it is
    const answerField = page.getByLabel('答案', { exact: true });
    await answerField.fill('紫藤牌演示业务已改为到办税服务厅办理。');
    await page.getByTestId('entry-save').click();
    await page.locator('[data-testid="entry-status-notice"][data-status="changed"]').waitFor();
    const answers = await chat.getByTestId('bot-answer').count();
    await say(chat, '紫藤牌业务怎么办');
    await expect.poll(() => chat.getByTestId('bot-answer').count()).toBe(answers + 1);
    expect(await chat.getByTestId('bot-answer').last().textContent()).toContain('紫藤牌专区');

    // its history shows the publication
    await page.getByRole('tab', { name: '变更历史' }).click();
    await expect.poll(() => page.getByTestId('entry-revision').count()).toBe(1);
    expect(await page.getByTestId('entry-revision').first().textContent()).toContain('发布');
  });

  it('keeps agents out of the console and its APIs', async () => {
    const page = await consolePage(agent, 'knowledge/entries');
    await page.getByText('您没有管理端权限').first().waitFor();
    expect(await page.getByTestId('entries-table').count()).toBe(0);
    for (const url of [
      '/api/admin/knowledge/entries',
      '/api/admin/knowledge/export?file=kb&format=csv',
      '/api/admin/staff',
      '/api/admin/analytics/bot',
      '/api/admin/audit',
    ]) {
      expect((await page.request.get(`${node.url}${url}`)).status(), url).toBe(403);
    }
    const write = await page.request.post(`${node.url}/api/admin/knowledge/entries/KB-E2E-001/unpublish`, {
      data: { version: 1 },
    });
    expect(write.status()).toBe(403);
  });
});
