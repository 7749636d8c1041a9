/**
 * @module
 * Evaluation CLI — the only part of the package that reads files. Prints exactly one JSON object on stdout.
 *
 *   npm run -s qa -- eval --kb <dir> --cases <file.jsonl>
 *   npm run -s qa -- dialogues --kb <dir> --cases <file.jsonl>
 *   npm run -s qa -- ask --kb <dir> "问题"        (one question, full outcome; for curators)
 */
import { performance } from 'node:perf_hooks';
import { loadKb, readJsonl } from './cli-kb.ts';
import { QaEngine } from './engine.ts';
import { type HandoffReason, initialDialogueState, stepDialogue } from './signals.ts';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 1000) / 1000;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

type EvalCase = { q: string; expected: string | null; kind?: string };

export function evaluate(engine: QaEngine, cases: EvalCase[], verbose = false) {
  // Warm up the JIT so the timings describe steady state, as in the server.
  for (const c of cases.slice(0, 20)) engine.answer(c.q);
  let answerable = 0;
  let nulls = 0;
  let top1 = 0;
  let top3 = 0;
  let answered = 0;
  let refusedCorrectly = 0;
  let refusedWrongly = 0;
  let clarify = 0;
  const times: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const o = engine.answer(c.q);
    times.push(performance.now() - t0);
    if (o.kind === 'answer') answered++;
    if (o.kind === 'clarify') clarify++;
    if (c.expected === null) {
      nulls++;
      const ok = o.kind === 'no_answer' || o.kind === 'smalltalk';
      if (ok) refusedCorrectly++;
      else if (verbose)
        console.error(`FALSE-ANSWER ${c.q} → ${o.kind} ${o.candidates[0]?.entryId} ${o.candidates[0]?.score}`);
      continue;
    }
    answerable++;
    const offered = o.kind === 'answer' || o.kind === 'clarify' ? o.candidates : [];
    if (offered[0]?.entryId === c.expected) top1++;
    if (offered.slice(0, 3).some((x) => x.entryId === c.expected)) top3++;
    if (o.kind === 'no_answer' || o.kind === 'smalltalk') refusedWrongly++;
    if (verbose && offered[0]?.entryId !== c.expected) {
      const rank = o.candidates.findIndex((x) => x.entryId === c.expected);
      console.error(
        `MISS ${c.q} → ${o.kind} ${o.candidates
          .slice(0, 3)
          .map((x) => `${x.entryId}:${x.score}`)
          .join(' ')} (want ${c.expected} rank ${rank}) [${o.terms.join(' ')}]`,
      );
    }
  }
  times.sort((a, b) => a - b);
  return {
    cases: cases.length,
    top1: round(top1 / Math.max(1, answerable)),
    top3: round(top3 / Math.max(1, answerable)),
    answered: round(answered / Math.max(1, cases.length)),
    refusedCorrectly: round(refusedCorrectly / Math.max(1, nulls)),
    refusedWrongly: round(refusedWrongly / Math.max(1, answerable)),
    clarifyRate: round(clarify / Math.max(1, cases.length)),
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };
}

type DialogueCase = { turns: string[]; expectHandoff: boolean; reason: HandoffReason | 'none'; atTurn: number | null };

export function evaluateDialogues(engine: QaEngine, cases: DialogueCase[], verbose = false) {
  let correct = 0;
  let falseHandoffs = 0;
  let missedHandoffs = 0;
  let wrongReason = 0;
  let wrongTurn = 0;
  for (const c of cases) {
    let state = initialDialogueState();
    let fired: { reason: HandoffReason; turn: number } | null = null;
    const trace: string[] = [];
    for (let i = 0; i < c.turns.length; i++) {
      const text = c.turns[i]!;
      const o = engine.answer(text, {
        context: { previousQuery: state.previousQuery, previousEntryId: state.previousEntryId },
      });
      const step = stepDialogue(state, { type: 'message', text, outcome: o.kind, entryId: o.entryId });
      state = step.state;
      trace.push(`${o.kind}${o.entryId ? `:${o.entryId}` : ''}`);
      if (step.handoff) {
        fired = { reason: step.handoff.reason, turn: i };
        break;
      }
    }
    let ok = false;
    if (!c.expectHandoff) {
      if (fired) falseHandoffs++;
      else ok = true;
    } else if (!fired) missedHandoffs++;
    else if (fired.reason !== c.reason) wrongReason++;
    else if (fired.turn !== c.atTurn) wrongTurn++;
    else ok = true;
    if (ok) correct++;
    else if (verbose)
      console.error(
        `DIALOGUE ${JSON.stringify(c.turns)} want ${c.reason}@${c.atTurn} got ${JSON.stringify(fired)} [${trace.join(', ')}]`,
      );
  }
  return {
    cases: cases.length,
    accuracy: round(correct / Math.max(1, cases.length)),
    falseHandoffs,
    missedHandoffs,
    wrongReason,
    wrongTurn,
  };
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('--')) {
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.set(a.slice(2), next);
        i++;
      } else flags.set(a.slice(2), 'true');
    } else positional.push(a);
  }
  const kb = flags.get('kb');
  if (!command || !kb) {
    console.error('usage: qa <eval|dialogues|ask> --kb <dir> [--cases <file.jsonl>] [--verbose] [question]');
    process.exitCode = 2;
    return;
  }
  const engine = QaEngine.build({ entries: loadKb(kb) });
  const verbose = flags.get('verbose') === 'true';
  if (command === 'ask') {
    console.log(JSON.stringify(engine.answer(positional.join(' '))));
    return;
  }
  const casesFile = flags.get('cases');
  if (!casesFile) {
    console.error('--cases <file.jsonl> is required');
    process.exitCode = 2;
    return;
  }
  if (command === 'eval') console.log(JSON.stringify(evaluate(engine, readJsonl<EvalCase>(casesFile), verbose)));
  else if (command === 'dialogues')
    console.log(JSON.stringify(evaluateDialogues(engine, readJsonl<DialogueCase>(casesFile), verbose)));
  else {
    console.error(`unknown command ${command}`);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2));
