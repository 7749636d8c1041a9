/**
 * SQL pieces shared by the dashboard's queries (analytics.repo.ts) and the rollup (analytics-rollup.repo.ts): the
 * China date of an instant, a range split into days read from the rollup tables and days computed live from the
 * events, and percentile_cont over weighted values.
 */
import { type SQL, sql } from 'drizzle-orm';

export const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
export const n = (v: unknown) => Number(v ?? 0);
/** Seconds as the dashboard shows them: to a tenth. */
export const nn = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** A range of China dates, split into the runs of days read from the rollups and the runs computed live. */
export type Scope = {
  /** The whole range [from, to): 00:00 China time of its first day, and of the day after its last. */
  from: Date;
  to: Date;
  /** The range's last China date (rolled rows that reach past it, like held time, are cut there). */
  toDay: string;
  officeId?: string | undefined;
  groupId?: string | undefined;
  /** Runs of consecutive days computed from the events, as [start, end) instants. */
  live: [Date, Date][];
  /** Runs of consecutive days read from the rollup tables, as [first, last] China dates. */
  rolled: [string, string][];
};

/** The China date of a timestamp as text, independent of the session's time zone (China has no daylight saving). */
export const day = (col: SQL) => sql`to_char(${col} at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD')`;
/** The same, as a date. */
export const chinaDate = (col: SQL) => sql`(${col} at time zone 'UTC' + interval '8 hours')::date`;

/** The instant `col` falls in one of the live runs. */
export const liveIn = (col: SQL, s: Pick<Scope, 'live'>) =>
  sql`(${sql.join(
    s.live.map(([a, b]) => sql`(${col} >= ${a.toISOString()} and ${col} < ${b.toISOString()})`),
    sql` or `,
  )})`;

/** The rollup row's day (`r.day`) is one of the rolled runs. */
export const rolledIn = (s: Pick<Scope, 'rolled'>, col = sql`r.day`) =>
  sql`(${sql.join(
    s.rolled.map(([a, b]) => sql`${col} between ${a}::date and ${b}::date`),
    sql` or `,
  )})`;

/**
 * The rolled branch and the live branch of a query, as one relation: either may be absent (a range entirely rolled
 * up, or entirely live), never both (a range has at least one day).
 */
export function unionAll(s: Pick<Scope, 'live' | 'rolled'>, rolled: () => SQL, live: () => SQL): SQL {
  const parts = [...(s.rolled.length ? [rolled()] : []), ...(s.live.length ? [live()] : [])];
  if (parts.length === 0) throw new Error('analytics: a range without days');
  return sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  );
}

/**
 * percentile_cont of weighted values. `rel` has the columns k (the group; may be null), v (a value, float8) and n
 * (how many times v occurs in k), one row per (k, v); the result has k and p0, p1 … for `fractions`. Same arithmetic
 * as PostgreSQL's percentile_cont — the values at positions floor and ceil of p·(N−1), interpolated in float8 — so it
 * returns exactly what percentile_cont returns over the values with their repetitions.
 */
export function weightedPercentiles(rel: SQL, fractions: number[]) {
  const at = (p: number) => {
    const pos = sql`(${sql.raw(String(p))}::float8 * (max(total) - 1)::float8)`;
    const lo = sql`min(v) filter (where cum > floor(${sql.raw(String(p))}::float8 * (total - 1)::float8))`;
    const hi = sql`min(v) filter (where cum > ceil(${sql.raw(String(p))}::float8 * (total - 1)::float8))`;
    return sql`${lo} + (${hi} - ${lo}) * (${pos} - floor(${pos}))`;
  };
  return sql`
    select k, ${sql.join(
      fractions.map((p, i) => sql`${at(p)} as ${sql.raw(`p${i}`)}`),
      sql`, `,
    )}
      from (select k, v, sum(n) over (partition by k order by v) as cum, sum(n) over (partition by k) as total
              from (${rel}) w) t
     group by k`;
}
