/**
 * Browser-suite support: Debian's Chromium driven by playwright-core (never a browser download of its own), and a
 * real Zhengna node (embedded, fresh data folder, demo seed) serving the built web app.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
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
