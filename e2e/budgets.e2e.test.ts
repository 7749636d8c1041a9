/** Size budgets of what a portal page pays for the chat: the loader must weigh almost nothing. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(import.meta.dirname, '../apps/web/dist');
const gz = (file: string) => gzipSync(readFileSync(file)).length;

describe('size budgets', () => {
  it('keeps the embed loader at or under 5 KB gzip', () => {
    expect(gz(path.join(dist, 'embed.js'))).toBeLessThanOrEqual(5 * 1024);
  });

  it('loads no framework in the loader', () => {
    const code = readFileSync(path.join(dist, 'embed.js'), 'utf8');
    expect(code).not.toMatch(/react|antd/i);
    // every postMessage names its target origin
    expect(code).not.toMatch(/postMessage\([^)]*["'`]\*["'`]\s*\)/);
  });

  it('keeps the whole built web app within 3 MB gzip', () => {
    const files = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
    const total = files.reduce((sum, f) => sum + gz(path.join(dist, 'assets', f)), 0);
    expect(total).toBeLessThanOrEqual(3 * 1024 * 1024);
  });
});
