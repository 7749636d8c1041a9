/**
 * The analytics.rollup job — why 统计分析 stays fast on a year of data.
 *
 * The dashboard's figures are sums, top lists and percentiles over China (UTC+8) days. Computed from the events, a
 * year means millions of messages and a lateral lookup per no-answer (seconds per query at a million conversations).
 * So complete past days are kept in daily rollup tables (schema.ts, "统计分析 rollups"), keyed by the China day of
 * the event and the dimensions the filters need: the taxpayer's tax office, the skill group the conversation queued
 * in, the agent, the knowledge entry, the trimmed question text. analytics.repo.ts reads the rolled days from them
 * and everything else — today, and any day not rolled up yet — from the events with the original SQL, in one query
 * (rolled rows UNION ALL live rows, then the same grouping), so the figures never depend on what was rolled up.
 *
 * Percentiles (queue wait p50/p90, first response p50) are exact, not approximated: the rollups keep each distinct
 * value with its count (a histogram whose buckets are the values themselves: at most one row per taken handoff or
 * first reply, fewer where values repeat; 15 k rows for the bench's year) and weightedPercentiles() interpolates as
 * percentile_cont does, to the same float8 result. Averages are kept as numeric sums and counts, so they are exact
 * too; the dashboard shows all of them to 0.1 s as before.
 *
 * Each run recomputes every complete day not rolled up yet and the last RECOMPUTE_DAYS days again, for what arrives
 * late: feedback and ratings after the answer, a handoff taken after midnight, a conversation that ends the next day,
 * a 留言 or appointment within a day of an unserved handoff. A day is final after that: a change to its events more
 * than RECOMPUTE_DAYS days later (a rating given days after, a conversation held open for days, a taxpayer moved to
 * another office) is not reflected, and an agent's conversation still open when its day is last rolled up counts as
 * held until then rather than until now. Days are rewritten in chunks of CHUNK_DAYS, each a delete + insert in one
 * transaction under an advisory lock: idempotent, and two nodes running it at once take turns.
 */
import type { Db } from '../../platform/db.ts';
import { analyticsRepo } from './analytics.repo.ts';
import { addDays, chinaToday, daysBetween, runsOf } from './analytics-range.ts';
import { analyticsRollupRepo } from './analytics-rollup.repo.ts';

/** Complete days recomputed on every run besides the new ones: yesterday and the day before. */
const RECOMPUTE_DAYS = 2;
/** Days rewritten per transaction: short enough for the pool's statement timeout at a million conversations a year. */
const CHUNK_DAYS = 7;

/** Rolls up the complete days that need it; returns how many days were written. */
export async function rollupAnalytics(db: Db, now = new Date()): Promise<{ days: number }> {
  const today = chinaToday(now.getTime());
  const yesterday = addDays(today, -1);
  const first = await analyticsRollupRepo.firstDay(db);
  if (!first || first > yesterday) return { days: 0 };
  const rolled = await analyticsRepo.rolledDays(db, first, yesterday);
  const again = addDays(today, -RECOMPUTE_DAYS);
  const due = daysBetween(first, yesterday).filter((d) => d >= again || !rolled.has(d));
  for (const [from, to] of runsOf(due, CHUNK_DAYS)) {
    await db.transaction(async (tx) => {
      await analyticsRollupRepo.lock(tx);
      await analyticsRollupRepo.writeDays(tx, from, to);
    });
  }
  // autovacuum would get there too, a minute or so later
  if (due.length > CHUNK_DAYS) await analyticsRollupRepo.analyze(db);
  return { days: due.length };
}
