/**
 * Browser-suite support: Debian's Chromium driven by playwright-core (never a browser download of its own), and a
 * real Zhengna node (embedded, fresh data folder, demo seed) serving the built web app.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { DEMO_TAXPAYER_PASSWORD } from '../apps/server/src/db/seed.ts';
import { type NodeProcess, spawnNode } from '../apps/server/test/spawn-node.ts';
import { recordPeerConnections } from './rtc-stats.ts';

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

/**
 * Camera, microphone and screen for WebRTC tests (calls, 远程协助); each flag proven necessary on Chromium 156:
 * - `--use-fake-device-for-media-stream`: a synthetic camera (moving pattern), microphone (beeps) and screen
 *   (1280×720, displaySurface 'monitor'); without it getUserMedia rejects NotFoundError and getDisplayMedia
 *   NotReadableError.
 * - `--use-fake-ui-for-media-stream`: grants camera, microphone and getDisplayMedia's picker without a prompt; without
 *   it getUserMedia rejects NotAllowedError and getDisplayMedia never settles (always race it against a timeout).
 *   The granted permission also makes Chromium gather real host addresses (192.0.2.2, fd00::2) instead of mDNS
 *   `.local` names, in every page of the browser, even one that never asked for a device.
 * Not needed: `--disable-features=WebRtcHideLocalIpsWithMdns` (see above; and a second --disable-features would
 * override the list Playwright passes), `--autoplay-policy=no-user-gesture-required` (stats count with or without it),
 * `--auto-accept-this-tab-capture` and `--auto-select-desktop-capture-source` (getDisplayMedia still hangs without
 * the fake UI; nothing to add with it). Loopback is never a host candidate: two contexts connect over the machine's
 * other addresses, or through a TURN server on 127.0.0.1 (see coturn.ts).
 */
export const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** A browser whose pages have a fake camera, microphone and screen, granted without prompts (see MEDIA_ARGS). */
export async function launchMediaBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...MEDIA_ARGS, ...extraArgs],
  });
}

/** A fresh node with the demo seed; `env` adds settings (e.g. TURN_URLS and TURN_SECRET of a test coturn). */
export async function startProduct(env: Record<string, string> = {}): Promise<NodeProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zn-e2e-'));
  return spawnNode({ DATA_DIR: dataDir, SEED_DEMO: 'true', ...env });
}

/** The portal's login page, as a taxpayer types it; waits until the portal has let them in. */
export async function portalLogin(page: Page, baseUrl: string, taxpayerNo: string) {
  await page.goto(`${baseUrl}/portal/login.html`);
  await page.getByTestId('portal-login-taxpayer-no').fill(taxpayerNo);
  await page.getByTestId('portal-login-password').fill(DEMO_TAXPAYER_PASSWORD);
  await page.getByTestId('portal-login-submit').click();
  await page.waitForURL((url) => !url.pathname.endsWith('login.html'));
}

/** A workspace page in `context`, logged in as a demo staff member through the login form. */
export async function staffPage(
  context: BrowserContext,
  baseUrl: string,
  who: { username: string; password: string } | undefined,
): Promise<Page> {
  if (!who) throw new Error('no such demo staff member');
  const page = await context.newPage();
  await page.goto(`${baseUrl}/workspace/`);
  await page.getByTestId('staff-login-username').fill(who.username);
  await page.getByTestId('staff-login-password').fill(who.password);
  await page.getByTestId('staff-login-submit').click();
  await page.getByTestId('presence-switch').waitFor();
  return page;
}

/**
 * An agent online in the workspace and a taxpayer whose chat that agent now serves (转人工), the conversation open on
 * the agent's side; both contexts record their peer connections (rtc-stats.ts) for calls.
 */
export async function agentServingTaxpayer(
  browser: Browser,
  baseUrl: string,
  agent: { username: string; password: string } | undefined,
  taxpayer: { taxpayerNo: string; name: string },
) {
  const agentContext = await browser.newContext({ locale: 'zh-CN' });
  await recordPeerConnections(agentContext);
  const agentPage = await staffPage(agentContext, baseUrl, agent);
  await agentPage.getByTestId('presence-online').click();
  await agentPage.locator('[data-testid="presence-switch"][data-presence="online"]').waitFor();

  const taxpayerContext = await browser.newContext({ locale: 'zh-CN' });
  await recordPeerConnections(taxpayerContext);
  const taxpayerPage = await taxpayerContext.newPage();
  await portalLogin(taxpayerPage, baseUrl, taxpayer.taxpayerNo);
  const chat = await openChat(taxpayerPage);
  await chat.getByTestId('handoff-button').click();
  await chat.locator('[data-testid="system-notice"][data-payload-kind="agent_joined"]').waitFor();
  await agentPage.getByTestId('tab-mine').click();
  await agentPage.getByTestId('conversation-item').filter({ hasText: taxpayer.name }).first().click();
  /** The chat widget's frame, for reading its peer connections. */
  const widgetFrame = (): Frame => {
    const frame = taxpayerPage.frames().find((f) => f.url().includes('/widget/'));
    if (!frame) throw new Error('no widget frame');
    return frame;
  };
  return { agentPage, taxpayerContext, taxpayerPage, chat, widgetFrame };
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
