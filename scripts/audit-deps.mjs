#!/usr/bin/env node
/**
 * `npm run audit:deps` — the dependency audit CI runs (issue #11).
 *
 * Asks the registry's advisory endpoint (`npm audit --json`). High or critical advisories in production dependencies
 * fail; everything found is listed, development tools included.
 *
 * Exit 0: clean. Exit 1: a high or critical advisory in production. Exit 2: the advisory endpoint could not be asked (the registry mirror
 * on the development and CI machines answers 405 Method Not Allowed) — reported, not counted as a pass.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

// ── advisories ──────────────────────────────────────────────────────────────────────────────────────────────────
const audit = (args) =>
  new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--json', ...args],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (err, stdout) => {
        try {
          resolve(JSON.parse(stdout));
        } catch {
          resolve({ error: { summary: err?.message ?? 'no answer' } });
        }
      },
    );
  });

const prod = await audit(['--omit=dev']);
if (!prod.metadata) {
  // npm prints the failed request as JSON ({ message, statusCode }) or { error: { summary } }
  const why = String(prod.message ?? prod.error?.summary ?? 'no answer').split('\n')[0];
  console.log(`dependency audit unavailable: ${why}`);
  process.exit(2);
}
const all = await audit([]);
const line = (label, report) => {
  const v = report.metadata?.vulnerabilities ?? {};
  console.log(
    `advisories (${label}): critical ${v.critical ?? 0}, high ${v.high ?? 0}, moderate ${v.moderate ?? 0}, low ${v.low ?? 0}`,
  );
  for (const [name, vuln] of Object.entries(report.vulnerabilities ?? {})) {
    const via = (vuln.via ?? []).map((x) => (typeof x === 'string' ? x : x.title)).join('; ');
    console.log(
      `  ${vuln.severity.padEnd(8)} ${name} ${vuln.range ?? ''} — ${via}${vuln.fixAvailable ? ' (fix available)' : ''}`,
    );
  }
  return (v.critical ?? 0) + (v.high ?? 0);
};
const serious = line('production', prod);
if (all.metadata) line('all, with development tools', all);
process.exit(serious > 0 ? 1 : 0);
