/**
 * 失约 by the job, not by anyone's browser: a taxpayer books a slot and never comes. The product is stopped and started
 * again with its clock days ahead (libfaketime on the node process: the server lives through those days as it would),
 * the pg-boss sweep marks the booking 失约 after the grace period, and 预约失约 reaches the taxpayer's 我的消息.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { type NodeProcess, spawnNode } from '../apps/server/test/spawn-node.ts';
import { launchBrowser, openChat, portalLogin } from './support.ts';

/** Debian's libfaketime (package faketime; .ci/run installs it). */
const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const DAY_MS = 86_400_000;

let node: NodeProcess | undefined;
let browser: Browser;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zn-e2e-noshow-'));

beforeAll(async () => {
  [node, browser] = await Promise.all([spawnNode({ DATA_DIR: dataDir, SEED_DEMO: 'true' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function chatOf(url: string, taxpayerNo: string): Promise<FrameLocator> {
  const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
  await portalLogin(page, url, taxpayerNo);
  return openChat(page);
}

describe('预约失约', () => {
  it('a booking nobody attends becomes 失约 by the job, and 预约失约 reaches 我的消息', {
    timeout: 300_000,
  }, async () => {
    const enterprise = DEMO_TAXPAYERS[3];
    const chat = await chatOf((node as NodeProcess).url, enterprise.taxpayerNo);
    await chat.getByRole('button', { name: '预约', exact: true }).click();
    await chat.getByTestId('appointment-service').click();
    await chat.locator('.ant-select-item-option', { hasText: '发票业务视频辅导' }).click();
    const slot = chat.locator('[data-testid="appointment-slot"]:not([disabled])').first();
    await slot.waitFor();
    const startsAt = Date.parse((await slot.getAttribute('data-starts-at')) ?? '');
    expect(startsAt).toBeGreaterThan(Date.now());
    await slot.click();
    await chat.getByTestId('appointment-description').fill('红字发票信息确认单无法提交，需要视频辅导。');
    await chat.getByTestId('appointment-submit').click();
    await chat.getByTestId('appointment-confirm').click();
    await chat.getByTestId('appointment-notice').waitFor();

    // days pass: the node runs again with its clock past the slot and its grace period
    await node?.stop();
    node = undefined;
    const days = Math.ceil((startsAt + 3600_000 - Date.now()) / DAY_MS);
    node = await spawnNode({
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LD_PRELOAD: FAKETIME,
      FAKETIME: `+${days}d`,
      // timers keep their real pace; only the wall clock moves
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    });

    const later = await chatOf(node.url, enterprise.taxpayerNo);
    await later.getByTestId('panel-tab-inbox').click();
    // the sweep runs every minute; nobody's page asks for it
    const item = later.getByTestId('inbox-item').filter({ hasText: '预约失约' }).first();
    await expect
      .poll(
        async () => {
          if ((await item.count()) > 0) return true;
          await later.getByTestId('side-panel-close').click();
          await later.getByTestId('panel-tab-inbox').click();
          return false;
        },
        { timeout: 180_000, interval: 5_000 },
      )
      .toBe(true);
    await later.getByTestId('side-panel-close').click();
    await later.getByRole('button', { name: '预约', exact: true }).click();
    await later.getByTestId('appointment-tab-mine').click();
    await expect.poll(() => later.getByTestId('my-appointment-status').first().textContent()).toBe('失约');
  });
});
