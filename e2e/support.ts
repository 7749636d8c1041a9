/**
 * Browser-suite support: Debian's Chromium driven by playwright-core (never a browser download of its own), and a
 * real Zhengna node (embedded, fresh data folder, demo seed) serving the built web app.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { DEMO_TAXPAYER_PASSWORD } from '../apps/server/src/db/seed.ts';
import { type NodeProcess, spawnNode } from '../apps/server/test/spawn-node.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export async function startProduct(): Promise<NodeProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zn-e2e-'));
  return spawnNode({ DATA_DIR: dataDir, SEED_DEMO: 'true' });
}

/** The portal's login page, as a taxpayer types it; waits until the portal has let them in. */
export async function portalLogin(page: Page, baseUrl: string, taxpayerNo: string) {
  await page.goto(`${baseUrl}/portal/login.html`);
  await page.getByTestId('portal-login-taxpayer-no').fill(taxpayerNo);
  await page.getByTestId('portal-login-password').fill(DEMO_TAXPAYER_PASSWORD);
  await page.getByTestId('portal-login-submit').click();
  await page.waitForURL((url) => !url.pathname.endsWith('login.html'));
}

/** Clicks the floating 征纳互动 icon and waits for the chat to be ready. */
export async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: '征纳互动' }).click();
  const chat = page.frameLocator('iframe[title="征纳互动"]');
  await chat.getByTestId('widget-input').waitFor();
  return chat;
}

/** A fresh browser context logged in to the portal with the chat open. */
export async function chatAs(
  browser: Browser,
  baseUrl: string,
  taxpayerNo: string,
): Promise<{ page: Page; chat: FrameLocator }> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await portalLogin(page, baseUrl, taxpayerNo);
  return { page, chat: await openChat(page) };
}

/** Types a message in the chat and sends it with Enter. */
export async function say(chat: FrameLocator, text: string) {
  await chat.getByTestId('widget-input').fill(text);
  await chat.getByTestId('widget-input').press('Enter');
}
