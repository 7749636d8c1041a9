/**
 * 预约 end to end (manual 3.6), across the three faces: a taxpayer books a slot from the 预约 button (提交 → the
 * confirmation dialog → 确认 → 预约提示), 预约成功 reaches 我的消息, the agent finds the booking in the workspace's
 * 预约 view, starts it (the conversation opens) and marks it 已完成, which the taxpayer sees in 我的预约. Then an
 * administrator sets a service's capacity to 1 in the admin console and two taxpayers confirm the same slot at once:
 * exactly one gets it, the other is told 该时段已约满.
 *
 * 失约, which needs the clock days ahead, is in appointment-no-show.e2e.test.ts.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
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

const cstDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso))
    .slice(0, 10);

async function staffPage(who: (typeof DEMO_STAFF)[number], face: 'workspace' | 'admin', hash = ''): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${node.url}/${face}/${hash ? `#${hash}` : ''}`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

async function taxpayerChat(taxpayerNo: string): Promise<FrameLocator> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
  await portalLogin(page, node.url, taxpayerNo);
  return openChat(page);
}

/** Opens the 预约 panel from the button above the input box and picks the service. */
async function openAppointment(chat: FrameLocator, service: string) {
  await chat.getByRole('button', { name: '预约', exact: true }).click();
  await chat.getByTestId('appointment-form').waitFor();
  await chat.getByTestId('appointment-service').click();
  await chat.locator('.ant-select-item-option', { hasText: service }).click();
  await chat.getByTestId('appointment-slot').first().waitFor();
}

/** The workspace's 预约 view on the given CST date. */
async function showDay(page: Page, date: string) {
  await page.getByTestId('view-appointments').click();
  const view = page.getByTestId('appointments-view');
  await view.waitFor();
  for (let i = 0; i < 40 && (await view.getAttribute('data-date')) !== date; i++) {
    const current = (await view.getAttribute('data-date')) ?? '';
    await page.getByTestId(current < date ? 'appointments-next-day' : 'appointments-prev-day').click();
  }
  expect(await view.getAttribute('data-date')).toBe(date);
}

describe('预约 in the browser', () => {
  it('book → 确认 → 预约提示 → 我的消息 → the agent starts and completes it → 已完成 in 我的预约', async () => {
    const enterprise = DEMO_TAXPAYERS[0];
    const chat = await taxpayerChat(enterprise.taxpayerNo);
    await openAppointment(chat, '发票业务视频辅导');

    // 提交 without a slot or a description: both are said, in one announced summary
    await chat.getByTestId('appointment-submit').click();
    const summary = chat.getByTestId('appointment-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('请选择预约时段');

    const slot = chat.locator('[data-testid="appointment-slot"]:not([disabled])').first();
    const startsAt = (await slot.getAttribute('data-starts-at')) ?? '';
    await slot.click();
    expect(await slot.getAttribute('aria-pressed')).toBe('true');
    expect(await slot.textContent()).toMatch(/剩余 \d+ 个名额/);
    await chat.getByTestId('appointment-description').fill('数电发票开具时提示额度不足，需要视频辅导操作。');
    await chat.getByTestId('appointment-submit').click();

    // the confirmation dialog summarises the choice; 确认 books it
    const dialog = chat.getByRole('dialog', { name: '请确认预约信息' });
    await dialog.waitFor();
    const text = (await chat.getByTestId('appointment-summary').textContent()) ?? '';
    expect(text).toContain('发票业务视频辅导');
    expect(text).toContain('音视频');
    expect(text).toContain('北京时间');
    await chat.getByTestId('appointment-confirm').click();
    const notice = chat.getByTestId('appointment-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('预约提示');
    expect(await notice.textContent()).toContain('取消或改约');

    // 预约成功 is in 我的消息; 我的预约 lists the booking with 取消 and 改约 (the panel stays open from here: once an
    // agent has joined, the 预约 button above the input gives way to the conversation)
    await chat.getByTestId('appointment-close').click();
    await chat.getByTestId('panel-tab-inbox').click();
    await chat.getByTestId('inbox-item').filter({ hasText: '预约成功' }).first().waitFor({ timeout: 15_000 });
    await chat.getByTestId('side-panel-close').click();
    await chat.getByRole('button', { name: '预约', exact: true }).click();
    await chat.getByTestId('appointment-tab-mine').click();
    const mine = chat.getByTestId('my-appointment').first();
    await mine.waitFor();
    expect(await mine.getByTestId('my-appointment-status').textContent()).toBe('已预约');
    expect(await mine.getByTestId('my-appointment-cancel').count()).toBe(1);
    expect(await mine.getByTestId('my-appointment-reschedule').count()).toBe(1);

    // the agent: the day's list, 开始 (the conversation opens in 会话), then 完成
    const agent = await staffPage(DEMO_STAFF[0], 'workspace');
    await agent.getByTestId('presence-switch').waitFor();
    await showDay(agent, cstDate(startsAt));
    const row = agent.getByTestId('appointment-row').filter({ hasText: enterprise.name }).first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('发票业务视频辅导');
    await row.getByTestId('appointment-start').click();
    await agent.getByTestId('appointment-start-mode').getByText('文字会话').click();
    await agent.getByTestId('appointment-dialog-ok').click();
    await agent.getByTestId('workspace-tabs').waitFor();
    await showDay(agent, cstDate(startsAt));
    const started = agent.getByTestId('appointment-row').filter({ hasText: enterprise.name }).first();
    await started.getByTestId('appointment-complete').click();
    await agent.getByTestId('appointment-note').fill('已视频辅导完成额度调整操作。');
    await agent.getByTestId('appointment-dialog-ok').click();
    await expect.poll(() => started.getByTestId('appointment-row-status').textContent()).toBe('已完成');

    // the taxpayer sees 已完成 (the list reloads each time 我的预约 is shown)
    await expect
      .poll(async () => {
        await chat.getByTestId('appointment-tab-new').click();
        await chat.getByTestId('appointment-tab-mine').click();
        return chat.getByTestId('my-appointment-status').first().textContent();
      })
      .toBe('已完成');
  });

  it('two taxpayers confirm the last place at once: exactly one gets it, the other is told clearly', async () => {
    // the administrator sets 申报问题电话回访 to one place a slot
    const admin = await staffPage(DEMO_STAFF[3], 'admin', 'appointments/services');
    const serviceRow = admin.getByTestId('service-row').filter({ hasText: '申报问题电话回访' });
    await serviceRow.waitFor();
    await serviceRow.getByRole('button', { name: '编辑申报问题电话回访' }).click();
    await admin.getByTestId('service-editor').waitFor();
    await admin.getByLabel('每时段名额').fill('1');
    await admin.getByTestId('service-save').click();
    await admin.getByTestId('services-table').waitFor();
    await admin.locator('.ant-message').getByText('预约服务已保存').waitFor();

    const [first, second] = await Promise.all([
      taxpayerChat(DEMO_TAXPAYERS[2].taxpayerNo),
      taxpayerChat(DEMO_TAXPAYERS[3].taxpayerNo),
    ]);
    // both choose the last slot of the last day (nobody has touched it)
    for (const chat of [first, second]) {
      await openAppointment(chat, '申报问题电话回访');
      await chat.getByTestId('appointment-date').last().click();
      await chat.locator('[data-testid="appointment-slot"]:not([disabled])').last().click();
      await chat.getByTestId('appointment-description').fill('季度申报时附表数据无法带出，希望电话指导。');
      await chat.getByTestId('appointment-submit').click();
      await chat.getByTestId('appointment-confirm').waitFor();
    }
    const chosen = await Promise.all(
      [first, second].map((c) =>
        c.locator('[data-testid="appointment-slot"][aria-pressed="true"]').getAttribute('data-starts-at'),
      ),
    );
    expect(chosen[0]).toBe(chosen[1]);
    await Promise.all([first, second].map((c) => c.getByTestId('appointment-confirm').click()));

    const outcome = async (chat: FrameLocator) => {
      await expect
        .poll(
          async () =>
            (await chat.getByTestId('appointment-notice').count()) +
            (await chat.getByTestId('appointment-slot-error').count()),
        )
        .toBe(1);
      return (await chat.getByTestId('appointment-notice').count()) === 1 ? 'booked' : 'full';
    };
    const results = await Promise.all([outcome(first), outcome(second)]);
    expect([...results].sort()).toEqual(['booked', 'full']);
    const loser = results[0] === 'full' ? first : second;
    expect(await loser.getByTestId('appointment-slot-error').textContent()).toBe('该时段已约满，请选择其他时段。');
    // the slots were refreshed: that slot now shows 已约满 and cannot be chosen
    const taken = loser.locator(`[data-testid="appointment-slot"][data-starts-at="${chosen[0]}"]`);
    await expect.poll(() => taken.getAttribute('data-full')).toBe('true');
    expect(await taken.isDisabled()).toBe(true);
    expect(await taken.textContent()).toContain('已约满');
  });

  it('shows the 预约设置 to administrators', async () => {
    const admin = await staffPage(DEMO_STAFF[3], 'admin', 'appointments/settings');
    const form = admin.getByTestId('appointment-settings-form');
    await form.waitFor();
    await admin.getByLabel('预约提醒').fill('30');
    await admin.getByTestId('appointment-settings-save').click();
    await admin.locator('.ant-message').getByText('预约设置已保存').waitFor();
    expect(Number(await form.getAttribute('data-version'))).toBeGreaterThan(0);
  });
});
