/**
 * The loader on a portal of another origin: `<script src="https://zhengna…/embed.js">` must run there. helmet's
 * default Cross-Origin-Resource-Policy (same-origin) made Chromium refuse the script on every other origin, so the
 * 征纳互动 icon never appeared on a portal that is not served by Zhengna itself (found while writing deploy/).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, startProduct } from './support.ts';

let node: NodeProcess;
let browser: Browser;
let portal: Server;
let portalUrl: string;

beforeAll(async () => {
  [node, browser] = await Promise.all([startProduct(), launchBrowser()]);
  // a portal page of its own origin (another port) that includes the loader, as the README says to
  portal = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="zh-CN"><head><title>其他门户</title></head><body><h1>其他门户</h1>` +
        `<script src="${node.url}/embed.js" data-token-endpoint="/api/portal/chat-token" defer></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
  await new Promise((resolve) => portal?.close(resolve));
});

describe('embed.js on another origin', () => {
  it('runs and shows the 征纳互动 icon', async () => {
    expect(new URL(portalUrl).origin).not.toBe(new URL(node.url).origin);
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const blocked: string[] = [];
    page.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    await page.goto(portalUrl);
    await page.getByRole('button', { name: '征纳互动' }).waitFor({ timeout: 15_000 });
    expect(blocked).toEqual([]);
    const res = await page.request.get(`${node.url}/embed.js`);
    expect(res.headers()['cross-origin-resource-policy']).toBe('cross-origin');
  });
});
