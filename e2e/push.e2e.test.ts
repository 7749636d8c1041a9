/**
 * 精准推送 in Chromium: an administrator targets a region in the admin console, previews the count and sends; the
 * matching demo taxpayer finds the notice in 我的消息, one outside the region does not.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { chatAs, launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function adminPage(): Promise<Page> {
  const admin = DEMO_STAFF[3];
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } })).newPage();
  await page.goto(`${node.url}/admin/#push/campaigns`);
  await page.getByTestId('staff-login-username').fill(admin.username);
  await page.getByTestId('staff-login-password').fill(admin.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

describe('精准推送', () => {
  it('a push to one region reaches exactly the taxpayers there', async () => {
    const inRegion = DEMO_TAXPAYERS.find((t) => t.region === '青岛市市南区');
    const outside = DEMO_TAXPAYERS.find((t) => t.region === '青岛市黄岛区');
    if (!inRegion || !outside) throw new Error('demo taxpayers changed');
    const title = '青岛市南区出口退税政策宣讲';

    const page = await adminPage();
    await page.getByTestId('push-title').waitFor();
    // a bad link is refused beside its field, in Chinese
    await page.getByTestId('push-title').fill(title);
    await page.getByTestId('push-content').fill('本周五下午在 **市南区税务局** 举办出口退税政策宣讲，欢迎参加。');
    await page.getByTestId('push-link').fill('javascript:alert(1)');
    await page.getByTestId('push-save-send').click();
    await page.getByText('链接须以 http://、https:// 或 / 开头').waitFor();
    await page.getByTestId('push-link').fill('/portal/account.html');

    await page.getByTestId('push-regions').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '青岛市市南区' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('push-preview').click();
    const preview = page.getByTestId('push-preview-result');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('符合条件的纳税人 1 户');

    await page.getByTestId('push-save-send').click();
    const row = page.getByTestId('push-row').filter({ hasText: title });
    await expect.poll(() => row.getByTestId('push-status').textContent(), { timeout: 30_000 }).toBe('已发送');
    expect(await row.getByTestId('push-delivered').textContent()).toBe('1');

    const reached = await chatAs(browser, node.url, inRegion.taxpayerNo);
    await reached.chat.getByRole('button', { name: '我的消息' }).click();
    await reached.chat.getByTestId('inbox-item').filter({ hasText: title }).waitFor();

    const other = await chatAs(browser, node.url, outside.taxpayerNo);
    await other.chat.getByRole('button', { name: '我的消息' }).click();
    await other.chat
      .getByTestId('inbox-item')
      .first()
      .waitFor({ state: 'attached', timeout: 5000 })
      .catch(() => {});
    expect(await other.chat.getByTestId('inbox-item').filter({ hasText: title }).count()).toBe(0);
  });
});
