/**
 * bench:qa — answer latency of the qa-engine on a knowledge base scaled to 50,000 entries.
 *
 * The scaled KB is derived from the seed: each synthetic entry recombines the first half of one seed question with
 * the second half of another (and likewise for similar questions), under a new id, so vocabulary and posting-list
 * lengths grow like a real, larger FAQ. Queries are the seed's own similar questions, perturbed by dropping a
 * character. Prints one JSON object: {entries, buildMs, p50Ms, p99Ms, rssMb}.
 */
import { performance } from 'node:perf_hooks';
import { loadKb } from '../packages/qa-engine/src/cli-kb.ts';
import { type KbEntry, QaEngine } from '../packages/qa-engine/src/index.ts';

const TARGET = Number(process.env.QA_BENCH_ENTRIES ?? 50_000);
const seed = loadKb(process.env.QA_BENCH_KB ?? 'apps/server/src/modules/knowledge/seed-kb');

function splice(a: string, b: string): string {
  const ca = Array.from(a);
  const cb = Array.from(b);
  return ca.slice(0, Math.ceil(ca.length / 2)).join('') + cb.slice(Math.floor(cb.length / 2)).join('');
}

const entries: KbEntry[] = [...seed];
for (let i = 0; entries.length < TARGET; i++) {
  const a = seed[i % seed.length]!;
  const b = seed[(i * 7 + 13) % seed.length]!;
  entries.push({
    ...a,
    id: `SYN-${i}`,
    question: splice(a.question, b.question),
    similar: a.similar.map((s, k) => splice(s, b.similar[k % Math.max(1, b.similar.length)] ?? b.question)),
    keywords: [...a.keywords.slice(0, 2), ...b.keywords.slice(0, 2)],
  });
}

const t0 = performance.now();
const engine = QaEngine.build({ entries });
const buildMs = performance.now() - t0;

const queries: string[] = [];
for (const e of seed) for (const s of e.similar) queries.push(s.length > 4 ? s.slice(0, 2) + s.slice(3) : s);
for (const q of queries.slice(0, 50)) engine.answer(q);
const times: number[] = [];
for (const q of queries) {
  const s = performance.now();
  engine.answer(q, { profile: { taxpayerType: 'small_scale' } });
  times.push(performance.now() - s);
}
times.sort((x, y) => x - y);
const pct = (p: number) =>
  Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]! * 1000) / 1000;
console.log(
  JSON.stringify({
    entries: engine.size,
    buildMs: Math.round(buildMs),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  }),
);
