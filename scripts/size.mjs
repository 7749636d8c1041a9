#!/usr/bin/env node
/**
 * Size budgets (npm run size; builds nothing — run `npm run build` first). Fails when
 *   - dist/embed.js (the loader on every portal page) is over 5 KB gzip, or
 *   - the widget page's initial JavaScript (its module script and modulepreload links) is over 300 KB gzip.
 * Each file is gzipped on its own, as a browser would fetch it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/dist');
const BUDGETS = { embedKb: 5, widgetInitialKb: 300 };

if (!existsSync(path.join(dist, 'widget/index.html'))) {
  console.error(`size: ${dist} has no build; run \`npm run build\` first.`);
  process.exit(1);
}

const gzKb = (file) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;

/** The JavaScript a page fetches before it can run: module scripts and modulepreload links. */
export function initialScripts(html) {
  const files = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith('<script') && /type="module"/.test(tag);
    const isPreload = tag.startsWith('<link') && /rel="modulepreload"/.test(tag);
    const src = tag.match(/(?:src|href)="([^"]+\.js)"/)?.[1];
    if ((isScript || isPreload) && src) files.add(src.replace(/^\//, ''));
  }
  return [...files];
}

const embedKb = gzKb('embed.js');
const widgetFiles = initialScripts(readFileSync(path.join(dist, 'widget/index.html'), 'utf8'));
const perFile = widgetFiles.map((f) => ({ file: f, kb: gzKb(f) })).sort((a, b) => b.kb - a.kb);
const widgetInitialKb = perFile.reduce((sum, f) => sum + f.kb, 0);

const row = (name, kb, budget) =>
  `${kb <= budget ? 'ok  ' : 'OVER'} ${name.padEnd(28)} ${kb.toFixed(1).padStart(7)} KB gzip  (budget ${budget} KB)`;
console.log(row('embed.js', embedKb, BUDGETS.embedKb));
console.log(row('widget initial JavaScript', widgetInitialKb, BUDGETS.widgetInitialKb));
for (const f of perFile) console.log(`       ${f.file.padEnd(44)} ${f.kb.toFixed(1).padStart(6)} KB`);

const over = embedKb > BUDGETS.embedKb || widgetInitialKb > BUDGETS.widgetInitialKb;
if (over) {
  console.error('size: over budget');
  process.exit(1);
}
