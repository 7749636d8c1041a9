/**
 * @module
 * Development aid: raw ranking quality and score distributions on a case file, to calibrate thresholds.
 * `npx tsx packages/qa-engine/benchmarks/tune.ts <kbDir> <cases.jsonl>`
 */
import { readFileSync } from 'node:fs';
import { loadKb } from '../src/cli-kb.ts';
import { QaEngine } from '../src/engine.ts';

const [dir = '', file = ''] = process.argv.slice(2);
const engine = QaEngine.build(
  { entries: loadKb(dir) },
  { noAnswerThreshold: 0, answerThreshold: 9, sureThreshold: 9, charWeight: Number(process.env.CW ?? 0.4) },
);
const cases = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { q: string; expected: string | null; kind?: string });
let r1 = 0;
let r3 = 0;
let n = 0;
const pos: number[] = [];
const neg: number[] = [];
const margins: string[] = [];
for (const c of cases) {
  const o = engine.answer(c.q);
  const s = o.candidates[0]?.score ?? 0;
  if (c.expected === null) {
    if (o.kind !== 'smalltalk') neg.push(s);
    continue;
  }
  n++;
  if (o.candidates[0]?.entryId === c.expected) {
    r1++;
    pos.push(s);
    margins.push(((o.candidates[1]?.score ?? 0) / s).toFixed(2));
  }
  if (o.candidates.slice(0, 3).some((x) => x.entryId === c.expected)) r3++;
}
const q = (a: number[], p: number) => a.sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]?.toFixed(3);
console.log(
  JSON.stringify({
    rank1: r1 / n,
    rank3: r3 / n,
    pos: [0.05, 0.1, 0.25, 0.5].map((p) => q(pos, p)),
    neg: [0.5, 0.75, 0.9, 1].map((p) => q(neg, p)),
    negAll: neg.map((x) => x.toFixed(2)).join(' '),
  }),
);
