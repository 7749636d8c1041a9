/**
 * npm run bench:widget — how long a taxpayer waits for the chat: a product node (embedded, demo seed) serving the
 * built web app, Debian's Chromium; log in on the portal, open 税务数字账户, click the floating icon and time until
 * the chat's input box is interactive (visible and enabled). Prints one JSON object:
 * {msToInteractive, initialJsKbGzip} — the median of a few runs, and the widget page's initial JavaScript.
 * Run `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_TAXPAYER_PASSWORD, DEMO_TAXPAYERS } from '../apps/server/src/db/seed.ts';
import { launchBrowser, startProduct } from '../e2e/support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dist = path.resolve(import.meta.dirname, '../apps/web/dist');

function initialJsKbGzip(): number {
  const html = readFileSync(path.join(dist, 'widget/index.html'), 'utf8');
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const wanted = (tag.startsWith('<script') && tag.includes('type="module"')) || tag.includes('rel="modulepreload"');
    const src = tag.match(/(?:src|href)="([^"]+\.js)"/)?.[1];
    if (wanted && src) files.add(src.replace(/^\//, ''));
  }
  const bytes = [...files].reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
  return Math.round((bytes / 1024) * 10) / 10;
}

const node = await startProduct();
const browser = await launchBrowser();
try {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh context each run: nothing cached from the previous one (a first visit).
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${node.url}/portal/login.html`);
    const taxpayer = DEMO_TAXPAYERS[run % DEMO_TAXPAYERS.length] ?? DEMO_TAXPAYERS[0];
    await page.getByTestId('portal-login-taxpayer-no').fill(taxpayer.taxpayerNo);
    await page.getByTestId('portal-login-password').fill(DEMO_TAXPAYER_PASSWORD);
    await page.getByTestId('portal-login-submit').click();
    await page.waitForURL((url) => !url.pathname.endsWith('login.html'));
    await page.goto(`${node.url}/portal/account.html`);
    const icon = page.getByRole('button', { name: '征纳互动' });
    await icon.waitFor();

    const started = performance.now();
    await icon.click();
    const input = page.frameLocator('iframe[title="征纳互动"]').getByTestId('widget-input');
    await input.waitFor({ state: 'visible' });
    // Interactive: the input exists and is enabled (it is disabled until the chat's socket is up).
    await page.waitForFunction(`(() => {
      const frame = document.querySelector('iframe[title="征纳互动"]');
      const box = frame && frame.contentDocument && frame.contentDocument.querySelector('[data-testid="widget-input"]');
      return Boolean(box && !box.disabled);
    })()`);
    times.push(performance.now() - started);
    await context.close();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(JSON.stringify({ msToInteractive: Math.round(median), initialJsKbGzip: initialJsKbGzip() }));
} finally {
  await browser.close();
  await node.stop();
}
