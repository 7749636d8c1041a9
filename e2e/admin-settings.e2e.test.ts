/**
 * 服务设置 in Chromium: an administrator edits the 转人工规则 while a second one, on the old version, is told someone
 * else saved first; a supervisor only reads; a 快捷入口 added to the catalogue reaches a taxpayer's chat; and the
 * portal's launcher shows the unread count before the chat is ever opened (data-unread-endpoint).
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function staffPage(staff: (typeof DEMO_STAFF)[number], hash: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${node.url}/admin/#${hash}`);
  await page.getByTestId('staff-login-username').fill(staff.username);
  await page.getByTestId('staff-login-password').fill(staff.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

async function taxpayerPage(taxpayerNo: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } })).newPage();
  await page.goto(`${node.url}/portal/login.html`);
  await page.getByTestId('portal-login-taxpayer-no').fill(taxpayerNo);
  await page.getByTestId('portal-login-password').fill(DEMO_TAXPAYER_PASSWORD);
  await page.getByTestId('portal-login-submit').click();
  await page.waitForURL((url) => !url.pathname.endsWith('login.html'));
  return page;
}

async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByTestId('zn-embed-button').click();
  const chat = page.frameLocator('iframe[title="征纳互动"]');
  await chat.getByTestId('widget-input').waitFor();
  await expect.poll(() => chat.getByTestId('widget-input').isEnabled()).toBe(true);
  return chat;
}

const keywords = (page: Page) => page.getByTestId('handoff-keyword').allTextContents();

describe('服务设置: 转人工规则 and 人工服务时间', () => {
  it('an admin adds a keyword and saves; a second admin saving the old version is told to reload', async () => {
    const admin = DEMO_STAFF[3];
    const [first, second] = await Promise.all([
      staffPage(admin, 'settings/handoff'),
      staffPage(admin, 'settings/handoff'),
    ]);
    for (const page of [first, second]) await page.getByTestId('handoff-form').waitFor();
    const version = await first.getByTestId('handoff-form').getAttribute('data-version');

    // one character is refused beside the field
    await first.getByTestId('handoff-keyword-input').fill('人');
    await first.getByTestId('handoff-keyword-add').click();
    expect(await first.getByTestId('handoff-keyword-error').textContent()).toBe('关键词至少 2 个字');

    await first.getByTestId('handoff-keyword-input').fill('找客服');
    await first.getByTestId('handoff-keyword-input').press('Enter');
    expect(await keywords(first)).toContain('找客服');
    await first.getByTestId('handoff-save').click();
    await first.getByText('转人工规则已保存').waitFor();
    await expect
      .poll(() => first.getByTestId('handoff-form').getAttribute('data-version'))
      .toBe(String(Number(version) + 1));

    // the second page still holds the old version
    await second.getByTestId('handoff-keyword-input').fill('请转客服');
    await second.getByTestId('handoff-keyword-add').click();
    expect(await keywords(second)).toContain('请转客服');
    await second.getByTestId('handoff-save').click();
    const conflict = second.getByTestId('settings-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('已被他人修改');
    await second.getByTestId('settings-reload').click();
    await expect.poll(() => keywords(second)).toContain('找客服');
    expect(await keywords(second)).not.toContain('请转客服');
    expect(await second.getByTestId('settings-conflict').count()).toBe(0);

    // saved for real: a reload shows it
    await first.reload();
    await first.getByTestId('handoff-form').waitFor();
    expect(await keywords(first)).toContain('找客服');
    await first.context().close();
    await second.context().close();
  });

  it('人工服务时间: an admin adds a Saturday span and a holiday and saves', async () => {
    const page = await staffPage(DEMO_STAFF[3], 'settings/hours');
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') warnings.push(m.text());
    });
    const form = page.getByTestId('hours-form');
    await form.waitFor();
    const version = Number(await form.getAttribute('data-version'));
    const sat = page.getByTestId('hours-day-sat');
    const spans = sat.getByTestId('hours-span');
    // the default is round the clock: nothing to add until Saturday's span is removed
    expect(await page.getByTestId('hours-add-sat').isDisabled()).toBe(true);
    while ((await spans.count()) > 0) await page.getByRole('button', { name: '删除周六第 1 段' }).click();
    await sat.getByText('全天不提供人工服务').waitFor();
    await page.getByTestId('hours-add-sat').click();
    await expect.poll(() => spans.count()).toBe(1);
    await page.getByTestId('hours-holidays-picker').click();
    await page.keyboard.type('2026-10-01');
    await page.keyboard.press('Enter');
    await page.getByTestId('hours-holidays').getByText('2026-10-01').waitFor();
    await page.getByTestId('hours-save').click();
    await page.getByText('人工服务时间已保存').waitFor();
    await expect.poll(async () => Number(await form.getAttribute('data-version'))).toBe(version + 1);

    await page.reload();
    await form.waitFor();
    await expect.poll(() => spans.count()).toBe(1);
    expect(await sat.textContent()).toContain('09:00');
    expect(await sat.textContent()).toContain('17:00');
    expect(await page.getByTestId('hours-holidays').textContent()).toContain('2026-10-01');
    expect(warnings).toEqual([]);
    await page.context().close();
  });

  it('a supervisor reads the rules and the service hours but cannot save', async () => {
    const page = await staffPage(DEMO_STAFF[2], 'settings/handoff');
    await page.getByTestId('handoff-form').waitFor();
    await page.getByTestId('settings-readonly').waitFor();
    expect(await page.getByTestId('handoff-save').count()).toBe(0);
    expect(await page.getByTestId('handoff-noAnswerLimit').isDisabled()).toBe(true);

    await page.goto(`${node.url}/admin/#settings/hours`);
    await page.getByTestId('hours-form').waitFor();
    expect(await page.getByTestId('hours-timezone-note').textContent()).toContain('北京时间');
    expect(await page.getByTestId('hours-save').count()).toBe(0);
    // the catalogue is for administrators only
    expect(await page.getByRole('menuitem', { name: '快捷入口目录' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('快捷入口目录 and the portal launcher', () => {
  it('the launcher shows the seeded unread messages before the chat is opened', async () => {
    const page = await taxpayerPage(DEMO_TAXPAYERS[2].taxpayerNo);
    await page.goto(`${node.url}/portal/account.html`);
    const launcher = page.getByTestId('zn-embed-button');
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('征纳互动，2 条未读消息');
    expect(await page.getByTestId('zn-embed-unread').textContent()).toBe('2');
    expect(await page.locator('iframe[title="征纳互动"]').count()).toBe(0);
    await page.getByRole('button', { name: '征纳互动，2 条未读消息' }).waitFor();
    await page.context().close();
  });

  it('a logged-out portal page shows no count and no message', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const unread = page.waitForResponse((r) => r.url().endsWith('/api/portal/chat-unread'));
    await page.goto(`${node.url}/portal/invoice.html`);
    expect((await unread).status()).toBe(401);
    const launcher = page.getByTestId('zn-embed-button');
    expect(await launcher.getAttribute('aria-label')).toBe('征纳互动');
    expect(await page.getByTestId('zn-embed-unread').isHidden()).toBe(true);
    await page.context().close();
  });

  it('an admin adds an entry to the catalogue; a taxpayer finds it in the chat', async () => {
    const admin = await staffPage(DEMO_STAFF[3], 'settings/shortcuts');
    await admin.getByTestId('shortcut-row').first().waitFor();
    await admin.getByTestId('shortcut-id').fill('tax-calc-e2e');
    await admin.getByTestId('shortcut-name').fill('个税计算器');
    await admin.getByTestId('shortcut-description').fill('综合所得个人所得税试算');
    await admin.getByTestId('shortcut-url').fill('ftp://example.com/calc');
    await admin.getByTestId('shortcut-save').click();
    await admin.getByText('链接须以 http://、https:// 或 / 开头').waitFor();
    await admin.getByTestId('shortcut-url').fill('/portal/account.html#calc');
    await admin.getByTestId('shortcut-save').click();
    await admin.locator('[data-testid="shortcut-row"][data-id="tax-calc-e2e"]').waitFor();
    await admin.context().close();

    const page = await taxpayerPage(DEMO_TAXPAYERS[2].taxpayerNo);
    await page.goto(`${node.url}/portal/account.html`);
    const chat = await openChat(page);
    await chat.getByRole('button', { name: '快捷入口' }).click();
    const catalog = chat.getByTestId('shortcut-catalog');
    await catalog.waitFor();
    await catalog.getByRole('button', { name: '添加 个税计算器' }).waitFor();
    expect(await catalog.textContent()).toContain('综合所得个人所得税试算');
    await page.context().close();
  });
});
