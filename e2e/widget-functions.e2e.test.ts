/**
 * The taxpayer chat's functions in Chromium (manual §1–2, 3.2): panels (热点推荐, 问答套餐, 我的消息, 我的收藏,
 * 快捷入口), emoji, images by button and by pasting a screenshot, a rejected file, 清屏 → 加载记录, 语音, and
 * screenshots of the widget at desktop and phone width (e2e/artifacts/, kept by CI, not committed).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');

/** A standard question of the demo knowledge base: the bot answers it for sure. */
const KB_QUESTION = '数电发票在电子税务局里怎么开具？';
/** A real 1×1 PNG (the server re-encodes images, so it must decode). */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Runs in the widget's frame (kept as source text: the suite is type-checked without DOM types): draws a 120×60
 * picture and pastes it into the input the way a browser delivers a screenshot.
 */
const PASTE_SCREENSHOT = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 120;
  canvas.height = 60;
  const g = canvas.getContext('2d');
  g.fillStyle = '#1456c7';
  g.fillRect(0, 0, 120, 60);
  g.fillStyle = '#fff';
  g.fillText('截图', 40, 35);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const data = new DataTransfer();
  data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
  const textarea = document.querySelector('[data-testid="widget-input"]');
  textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
})()`;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function loggedIn(taxpayerNo: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport })).newPage();
  await page.goto(`${node.url}/portal/login.html`);
  await page.getByTestId('portal-login-taxpayer-no').fill(taxpayerNo);
  await page.getByTestId('portal-login-password').fill(DEMO_TAXPAYER_PASSWORD);
  await page.getByTestId('portal-login-submit').click();
  await page.waitForURL((url) => !url.pathname.endsWith('login.html'));
  return page;
}

async function openChat(page: Page, pagePath = '/portal/account.html'): Promise<FrameLocator> {
  if (!page.url().endsWith(pagePath)) await page.goto(`${node.url}${pagePath}`);
  await page.getByRole('button', { name: '征纳互动' }).click();
  const chat = page.frameLocator('iframe[title="征纳互动"]');
  await chat.getByTestId('widget-input').waitFor();
  await expect.poll(() => chat.getByTestId('widget-input').isEnabled()).toBe(true);
  return chat;
}

const bubbles = (chat: FrameLocator, sender: 'taxpayer' | 'bot' | 'agent') =>
  chat.locator(`[data-testid="message-bubble"][data-sender-type="${sender}"]`);

async function ask(chat: FrameLocator, text: string) {
  await chat.getByTestId('widget-input').fill(text);
  await chat.getByRole('button', { name: '发送', exact: true }).click();
  await expect
    .poll(() => bubbles(chat, 'taxpayer').filter({ hasText: text }).last().getAttribute('data-delivery'))
    .toBe('sent');
}

async function panelTexts(chat: FrameLocator, testId: string): Promise<string[]> {
  await chat.getByTestId(testId).first().waitFor();
  return chat.getByTestId(testId).allTextContents();
}

describe('taxpayer chat functions', () => {
  it('热点推荐: two taxpayers see different lists; a question is answered in the conversation', async () => {
    const listFor = async (taxpayerNo: string) => {
      const page = await loggedIn(taxpayerNo);
      const chat = await openChat(page, '/portal/invoice.html');
      await chat.getByRole('button', { name: '热点推荐' }).click();
      const questions = await panelTexts(chat, 'hot-question');
      return { page, chat, questions };
    };
    const first = await listFor(DEMO_TAXPAYERS[2].taxpayerNo);
    const second = await listFor(DEMO_TAXPAYERS[4].taxpayerNo);
    expect(first.questions.length).toBeGreaterThan(0);
    expect(second.questions.length).toBeGreaterThan(0);
    expect(first.questions).not.toEqual(second.questions);

    const question = first.questions[0] ?? '';
    await first.chat.getByTestId('hot-question').first().click();
    await bubbles(first.chat, 'taxpayer').filter({ hasText: question }).waitFor();
    await first.chat
      .locator('[data-testid="message-bubble"][data-sender-type="bot"][data-payload-kind="answer"]')
      .first()
      .waitFor();
    await first.page.context().close();
    await second.page.context().close();
  });

  it('问答套餐: a topic offers its questions; choosing one gets its answer', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[3].taxpayerNo);
    const chat = await openChat(page);
    await chat.getByRole('button', { name: '问答套餐' }).click();
    const topics = await panelTexts(chat, 'qa-package');
    expect(topics.length).toBeGreaterThan(0);
    await chat.getByTestId('qa-package').first().click();

    const menu = chat.getByTestId('bot-topic-menu').last();
    await menu.waitFor();
    const option = menu.getByTestId('clarify-option').first();
    const question = (await option.textContent()) ?? '';
    await option.click();
    await bubbles(chat, 'taxpayer').filter({ hasText: question }).waitFor();
    await chat.locator('[data-testid="message-bubble"][data-payload-kind="answer"]').last().waitFor();
    await page.context().close();
  });

  it('我的消息: unread count on the tab and on the launcher icon; opening a message marks it read', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[5].taxpayerNo);
    const chat = await openChat(page);
    await expect.poll(() => chat.getByTestId('inbox-unread-badge').textContent()).toBe('2');
    const launcher = page.getByTestId('zn-embed-button');
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('征纳互动，2 条未读消息');
    expect(await page.getByTestId('zn-embed-unread').textContent()).toBe('2');

    await chat.getByRole('button', { name: '我的消息' }).click();
    const item = chat.getByTestId('inbox-item').filter({ hasText: '数电发票开具提醒' });
    await item.getByText('精准推送').waitFor();
    await item.getByRole('button').first().click();
    await item.getByTestId('inbox-detail').waitFor();
    expect(await item.getByTestId('inbox-detail').textContent()).toContain('蓝字发票开具');
    await expect.poll(() => item.getAttribute('data-read')).toBe('true');
    await expect.poll(() => chat.getByTestId('inbox-unread-badge').textContent()).toBe('1');
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('征纳互动，1 条未读消息');
    await page.context().close();
  });

  it('我的收藏: star an answer, find it in 我的收藏, remove it', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[0].taxpayerNo);
    const chat = await openChat(page);
    await ask(chat, KB_QUESTION);
    const answer = chat.locator('[data-testid="message-bubble"][data-payload-kind="answer"]').last();
    await answer.waitFor();
    await answer.getByRole('button', { name: '收藏', exact: true }).click();
    await answer.getByRole('button', { name: '已收藏' }).waitFor();

    await chat.getByRole('button', { name: '我的收藏' }).click();
    const item = chat.getByTestId('favorite-item').first();
    await item.waitFor();
    const title = (await item.getByTestId('favorite-open').textContent()) ?? '';
    expect(title.length).toBeGreaterThan(2);
    const count = await chat.getByTestId('favorite-item').count();
    await item.getByTestId('favorite-remove').click();
    await expect.poll(() => chat.getByTestId('favorite-item').count()).toBe(count - 1);
    await page.context().close();
  });

  it('快捷入口: choose, order and remove entries; the choice survives a reload', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[1].taxpayerNo);
    let chat = await openChat(page);
    await chat.getByRole('button', { name: '快捷入口' }).click();
    await chat.getByTestId('shortcut-catalog').waitFor();
    const mine = () => chat.getByTestId('my-shortcut').allTextContents();
    const addButtons = chat.getByTestId('shortcut-catalog').getByRole('button', { name: /^添加 / });
    // make sure there are at least three of my own
    while ((await chat.getByTestId('my-shortcut').count()) < 3) {
      const before = await chat.getByTestId('my-shortcut').count();
      await addButtons.first().click();
      await expect.poll(() => chat.getByTestId('my-shortcut').count()).toBe(before + 1);
    }
    const ids = async () =>
      chat.getByTestId('my-shortcut').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const [a, b, c] = await ids();
    // move the second up, then remove the (new) last one
    await chat.getByTestId('my-shortcut').nth(1).getByRole('button', { name: /^上移/ }).click();
    await expect.poll(ids).toEqual(expect.arrayContaining([b, a, c]));
    await expect.poll(async () => (await ids()).slice(0, 3)).toEqual([b, a, c]);
    const count = await chat.getByTestId('my-shortcut').count();
    await chat
      .getByTestId('my-shortcut')
      .nth(count - 1)
      .getByRole('button', { name: /^移除/ })
      .click();
    await expect.poll(() => chat.getByTestId('my-shortcut').count()).toBe(count - 1);
    const saved = await ids();
    const savedNames = await mine();

    await page.reload();
    chat = await openChat(page);
    await chat.getByRole('button', { name: '快捷入口' }).click();
    await chat.getByTestId('my-shortcut').first().waitFor();
    expect(await ids()).toEqual(saved);
    expect(await mine()).toEqual(savedNames);
    await page.context().close();
  });

  it('表情: a chosen emoji lands in the input', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[1].taxpayerNo);
    const chat = await openChat(page);
    await chat.getByTestId('widget-input').fill('谢谢');
    await chat.getByRole('button', { name: '表情' }).click();
    await chat.getByRole('button', { name: '赞', exact: true }).click();
    await expect.poll(() => chat.getByTestId('widget-input').inputValue()).toBe('谢谢👍');
    await page.context().close();
  });

  it('图片/文件: an image picked with the button is shown in the conversation', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[2].taxpayerNo);
    const chat = await openChat(page);
    await chat
      .getByTestId('file-input')
      .setInputFiles({ name: '发票样张.png', mimeType: 'image/png', buffer: PNG_1PX });
    await expect.poll(() => chat.getByTestId('upload-item').getAttribute('data-status')).toBe('done');
    await chat.getByRole('button', { name: '发送', exact: true }).click();
    const mine = bubbles(chat, 'taxpayer').filter({ hasText: '发票样张.png' }).last();
    const image = mine.locator('img[alt="发票样张.png"]');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await page.context().close();
  });

  it('粘贴截图: a screenshot pasted from the clipboard arrives as an image', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[3].taxpayerNo);
    const chat = await openChat(page);
    const input = chat.getByTestId('widget-input');
    await input.click();
    // What a browser hands over for a pasted screenshot: an unnamed image/png file in clipboardData.
    const frame = page.frame({ url: /\/widget\// });
    if (!frame) throw new Error('widget frame missing');
    await frame.evaluate(PASTE_SCREENSHOT);
    await expect.poll(() => chat.getByTestId('upload-item').getAttribute('data-status')).toBe('done');
    await input.press('Enter');
    const image = bubbles(chat, 'taxpayer').last().locator('[data-testid="message-attachments"] img');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    // the picture itself came through (re-encoded by the server, same size)
    const lastImageWidth = `(() => {
      const images = document.querySelectorAll('[data-testid="message-attachments"] img');
      const last = images[images.length - 1];
      return last ? last.naturalWidth : 0;
    })()`;
    await expect.poll(() => frame.evaluate(lastImageWidth)).toBe(120);
    await page.context().close();
  });

  it('a file the server refuses shows its Chinese reason', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[4].taxpayerNo);
    const chat = await openChat(page);
    await chat.getByTestId('file-input').setInputFiles({
      name: '看起来像图片.png',
      mimeType: 'image/png',
      buffer: Buffer.from('这其实是一段文字，不是图片。'),
    });
    const error = chat.getByTestId('upload-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('不支持该文件类型');
    await chat.getByTestId('file-input').setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'),
    });
    await expect.poll(() => chat.getByTestId('upload-error').count()).toBe(2);
    expect(await chat.getByTestId('upload-error').nth(1).textContent()).toContain('仅支持图片');
    await page.context().close();
  });

  it('清屏 hides the conversation, 加载记录 brings the history back', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[5].taxpayerNo);
    const chat = await openChat(page);
    const text = `清屏测试 ${Date.now()}`;
    await ask(chat, text);
    await chat.getByRole('button', { name: '清屏' }).click();
    await chat.getByTestId('cleared-notice').waitFor();
    expect(await chat.getByTestId('message-bubble').count()).toBe(0);
    await chat.getByRole('button', { name: '加载记录' }).click();
    await bubbles(chat, 'taxpayer').filter({ hasText: text }).waitFor();
    expect(await chat.getByTestId('cleared-notice').count()).toBe(0);
    await page.context().close();
  });

  it('语音 explains that voice input is not enabled when no recogniser is configured', async () => {
    const page = await loggedIn(DEMO_TAXPAYERS[0].taxpayerNo);
    const chat = await openChat(page);
    await chat.getByRole('button', { name: '语音' }).click();
    const notice = chat.getByTestId('voice-unavailable');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('暂未开通语音输入');
    await page.context().close();
  });

  it('keeps screenshots of the widget at desktop and phone width', async () => {
    const desktop = await loggedIn(DEMO_TAXPAYERS[0].taxpayerNo);
    let chat = await openChat(desktop);
    await ask(chat, KB_QUESTION);
    await chat.locator('[data-testid="message-bubble"][data-payload-kind="answer"]').last().waitFor();
    await desktop.screenshot({ path: path.join(ARTIFACTS, 'widget-desktop.png') });
    await chat.getByRole('button', { name: '热点推荐' }).click();
    await chat.getByTestId('hot-question').first().waitFor();
    await desktop.screenshot({ path: path.join(ARTIFACTS, 'widget-desktop-panel.png') });
    await desktop.context().close();

    const phone = await loggedIn(DEMO_TAXPAYERS[0].taxpayerNo, { width: 390, height: 844 });
    chat = await openChat(phone);
    await chat.locator('[data-testid="message-bubble"]').first().waitFor();
    // the chat fills the phone screen and every panel is reachable
    const frame = await phone.locator('iframe[title="征纳互动"]').boundingBox();
    expect(frame?.width).toBe(390);
    for (const name of ['热点推荐', '问答套餐', '我的消息', '我的收藏', '快捷入口']) {
      expect(await chat.getByRole('button', { name, exact: true }).isVisible()).toBe(true);
    }
    await phone.screenshot({ path: path.join(ARTIFACTS, 'widget-phone.png') });
    await chat.getByRole('button', { name: '我的消息' }).click();
    await chat.getByTestId('inbox-item').first().waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'widget-phone-inbox.png') });
    await phone.context().close();
  });
});
