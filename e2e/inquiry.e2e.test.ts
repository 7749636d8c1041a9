/**
 * 留言 and 工单 end to end (manual 3.5), across the three faces: a taxpayer leaves a 留言 with an attachment (a field
 * error in Chinese first, the draft surviving a reload, a double click making one), an agent answers it in the
 * workspace and the answer reaches 我的消息 and the open chat; a second 留言 (result by 短信) becomes a 工单 that is
 * accepted and completed, its result reaches 我的消息 and the taxpayer's progress view, and the SMS is in the admin
 * console's 短信发件箱.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, openChat, portalLogin, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;

/** A real 1×1 PNG (the server re-encodes images, so it must decode). */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function staffPage(who: (typeof DEMO_STAFF)[number], face: 'workspace' | 'admin', hash = ''): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${node.url}/${face}/${hash ? `#${hash}` : ''}`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  return page;
}

/** Opens the 留言 panel from the button above the input box and waits for the form. */
async function openInquiry(chat: FrameLocator) {
  await chat.getByRole('button', { name: '留言', exact: true }).click();
  await chat.getByTestId('inquiry-form').waitFor();
}

/** The workspace's 留言工单 view, 本机构 list of the given kind. */
async function casesOf(page: Page, kind: 'inquiry' | 'work-order') {
  await page.getByTestId('view-cases').click();
  await page.getByTestId(`cases-kind-${kind}`).click();
  await page.getByTestId('cases-scope-office').click();
}

describe('留言 and 工单 in the browser', () => {
  it('留言 with a file → agent replies → 我的消息 and the chat; 留言 → 工单 → 办结 → 我的消息 and an SMS', async () => {
    const enterprise = DEMO_TAXPAYERS[0];
    const agent = DEMO_STAFF[0];
    const supervisor = DEMO_STAFF[2];
    const admin = DEMO_STAFF[3];

    const taxpayer = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await portalLogin(taxpayer, node.url, enterprise.taxpayerNo);
    let chat = await openChat(taxpayer);
    await openInquiry(chat);

    // the office defaults to the taxpayer's own; a too-short text is refused beside the field, in Chinese
    await chat.getByTestId('inquiry-content').fill('你好');
    await chat.getByTestId('inquiry-submit').click();
    const contentError = chat.getByRole('alert').filter({ hasText: '留言内容至少 5 个字' });
    await contentError.waitFor();

    // a file and the full text; then the page is reloaded and the draft is still there
    const text = '我公司上月开具的数电发票抬头有误，请问如何红冲后重新开具？';
    await chat.getByTestId('inquiry-content').fill(text);
    await chat
      .getByTestId('inquiry-file-input')
      .setInputFiles({ name: '发票样张.png', mimeType: 'image/png', buffer: PNG_1PX });
    await expect.poll(() => chat.getByTestId('inquiry-file').getAttribute('data-status')).toBe('done');
    expect(await contentError.count()).toBe(0);

    await taxpayer.reload();
    chat = await openChat(taxpayer);
    await openInquiry(chat);
    expect(await chat.getByTestId('inquiry-content').inputValue()).toBe(text);
    expect(await chat.getByTestId('inquiry-file').getAttribute('data-status')).toBe('done');
    expect(await chat.getByTestId('inquiry-file').textContent()).toContain('发票样张.png');

    // a double click makes one 留言
    await chat.getByTestId('inquiry-submit').dblclick();
    await chat.getByTestId('inquiry-sent').waitFor();
    await chat.getByTestId('inquiry-show-mine').click();
    await chat.getByTestId('my-inquiry').first().waitFor();
    expect(await chat.getByTestId('my-inquiry').count()).toBe(1);
    expect(await chat.getByTestId('my-inquiry-status').textContent()).toBe('待处理');

    // the agent finds the to-do, with its deadline, and answers it
    const agentPage = await staffPage(agent, 'workspace');
    await agentPage.getByTestId('presence-switch').waitFor();
    await casesOf(agentPage, 'inquiry');
    const row = agentPage.getByTestId('case-row').filter({ hasText: enterprise.name }).first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('case-deadline').textContent()).toMatch(/^剩余 /);
    await row.click();
    await agentPage.getByTestId('inquiry-detail').waitFor();
    expect(await agentPage.getByTestId('inquiry-detail-content').textContent()).toBe(text);
    expect(await agentPage.getByTestId('inquiry-detail-file').textContent()).toBe('发票样张.png');
    await agentPage.getByTestId('inquiry-reply-send').click();
    await agentPage.getByRole('alert').filter({ hasText: '请填写回复内容' }).waitFor();
    const answer = '您好，数电发票开具有误的，可在电子发票服务平台开具红字发票后重新开具。';
    await agentPage.getByTestId('inquiry-reply-input').fill(answer);
    await agentPage.getByTestId('inquiry-reply-send').click();
    await expect.poll(() => agentPage.getByTestId('inquiry-detail-status').textContent()).toBe('已回复');

    // the taxpayer sees it live in the chat, in 我的消息 and in 我的留言
    await chat.getByTestId('inquiry-close').click();
    const inChat = chat.locator('[data-testid="system-notice"][data-payload-kind="inquiry_reply"]');
    await inChat.waitFor({ timeout: 15_000 });
    expect(await inChat.textContent()).toContain(answer);
    await chat.getByTestId('panel-tab-inbox').click();
    const replyItem = chat.getByTestId('inbox-item').filter({ hasText: '回复了您的留言' }).first();
    await replyItem.waitFor();
    await replyItem.getByRole('button').first().click();
    expect(await chat.getByTestId('inbox-detail').textContent()).toContain(answer);
    await chat.getByTestId('side-panel-close').click();
    await openInquiry(chat);
    await chat.getByTestId('inquiry-tab-mine').click();
    await expect.poll(() => chat.getByTestId('my-inquiry-reply').first().textContent()).toContain(answer);

    // a second 留言, result by 短信 to a number typed here
    await chat.getByTestId('inquiry-tab-new').click();
    await chat.getByTestId('inquiry-content').fill('我公司跨区迁移后，原主管税务机关的未办结事项如何处理？');
    await chat.getByTestId('inquiry-receive-by').getByText('短信', { exact: true }).click();
    await chat.getByTestId('inquiry-phone').fill('1381234567');
    await chat.getByTestId('inquiry-submit').click();
    await chat.getByRole('alert').filter({ hasText: '请输入正确的 11 位手机号码' }).waitFor();
    await chat.getByTestId('inquiry-phone').fill('13812345678');
    await chat.getByTestId('inquiry-submit').click();
    await chat.getByTestId('inquiry-sent').waitFor();

    // the supervisor turns it into a 工单 (the 工单类型 come from the settings supervisors read)
    const supervisorPage = await staffPage(supervisor, 'workspace');
    await supervisorPage.getByTestId('presence-switch').waitFor();
    await casesOf(supervisorPage, 'inquiry');
    await supervisorPage.getByTestId('case-row').filter({ hasText: '待处理' }).first().click();
    await supervisorPage.getByTestId('inquiry-convert').click();
    await supervisorPage.getByTestId('convert-type').click();
    await supervisorPage.locator('.ant-select-item-option', { hasText: '业务办理类' }).click();
    await supervisorPage.getByTestId('convert-title').fill('跨区迁移未办结事项');
    await supervisorPage.getByTestId('convert-submit').click();
    await supervisorPage.getByTestId('work-order-detail').waitFor();
    await expect.poll(() => supervisorPage.getByTestId('work-order-detail-status').textContent()).toBe('待受理');

    // the agent accepts and completes it; a stale version is refused with our words
    await casesOf(agentPage, 'work-order');
    await agentPage.getByTestId('case-row').filter({ hasText: '跨区迁移未办结事项' }).first().click();
    await agentPage.getByTestId('work-order-accept').click();
    await expect.poll(() => agentPage.getByTestId('work-order-detail-status').textContent()).toBe('处理中');
    await agentPage.getByTestId('work-order-complete').click();
    const result = '已联系迁入地主管税务机关，原未办结事项已转至迁入地继续办理。';
    await agentPage.getByTestId('work-order-text').fill(result);
    await agentPage.getByTestId('work-order-dialog-ok').click();
    await expect.poll(() => agentPage.getByTestId('work-order-detail-status').textContent()).toBe('已办结');
    const steps = agentPage.getByTestId('work-order-step');
    expect(await steps.evaluateAll((list) => list.map((s) => s.getAttribute('data-action')))).toEqual([
      'create',
      'accept',
      'complete',
    ]);
    // the supervisor's page still shows version 1: 受理 there is a conflict
    await supervisorPage.getByTestId('work-order-accept').click();
    await supervisorPage
      .getByTestId('work-order-error')
      .filter({ hasText: '该工单已被他人更新，请刷新后重试' })
      .waitFor();

    // the taxpayer: the result in 我的消息 and in the 工单's progress
    await chat.getByTestId('inquiry-close').click();
    await chat.getByTestId('panel-tab-inbox').click();
    await chat.getByTestId('inbox-item').filter({ hasText: '已办结' }).first().waitFor({ timeout: 15_000 });
    await chat.getByTestId('side-panel-close').click();
    await openInquiry(chat);
    await chat.getByTestId('inquiry-tab-mine').click();
    const converted = chat.getByTestId('my-inquiry').filter({ hasText: '跨区迁移' });
    await expect.poll(() => converted.getByTestId('my-inquiry-status').textContent()).toBe('已转工单');
    await converted.getByTestId('my-inquiry-order').click();
    await expect.poll(() => chat.getByTestId('work-order-result').textContent()).toContain(result);
    expect(await chat.getByTestId('work-order-status').textContent()).toBe('已办结');

    // the SMS, masked, in the admin console's outbox
    const adminPage = await staffPage(admin, 'admin', 'sms/outbox');
    const sms = adminPage.locator('[data-testid="sms-row"][data-template="work_order_result"]').first();
    await sms.waitFor({ timeout: 15_000 });
    expect(await sms.textContent()).toContain('138****5678');
    expect(await sms.textContent()).not.toContain('13812345678');
  });
});
