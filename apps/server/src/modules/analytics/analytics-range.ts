/**
 * China dates for 统计分析: today, a query's range of days, and that range split into the runs of days read from the
 * rollup tables and the runs computed live.
 */
import type { TAnalyticsQuery } from '@zhengna/contracts';
import { cstStartOf, shiftDate } from '../appointment/appointment-calendar.ts';
import { cstDate } from '../settings/working-days.ts';
import type { Scope } from './analytics-sql.ts';

/** Today's China date. */
export const chinaToday = (now = Date.now()) => cstDate(new Date(now));
export const addDays = shiftDate;
/** 00:00 China time of a China date. */
export const startOf = cstStartOf;

/** Every China date from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Consecutive days (sorted) as [first, last] runs, none longer than `max` days. */
export function runsOf(days: string[], max = Number.POSITIVE_INFINITY): [string, string][] {
  const runs: [string, string][] = [];
  let length = 0;
  for (const d of days) {
    const last = runs.at(-1);
    if (last && addDays(last[1], 1) === d && length < max) {
      last[1] = d;
      length += 1;
    } else {
      runs.push([d, d]);
      length = 1;
    }
  }
  return runs;
}

export type ResolvedRange = { from: string; to: string; days: string[] };

/** from/to default to the last 7 days (today included); the range covers [from 00:00, to+1 00:00) China time. */
export function resolveRange(q: TAnalyticsQuery, now = Date.now()): ResolvedRange {
  const to = q.to ?? (q.from ? addDays(q.from, 6) : chinaToday(now));
  const from = q.from ?? addDays(to, -6);
  return { from, to, days: daysBetween(from, to) };
}

/** The range's scope: its `rolled` days read from the rollup tables, the others computed live. */
export function scopeOf(
  r: ResolvedRange,
  filters: Pick<TAnalyticsQuery, 'officeId' | 'groupId'>,
  rolled: Set<string>,
): Scope {
  return {
    from: startOf(r.from),
    to: startOf(addDays(r.to, 1)),
    toDay: r.to,
    officeId: filters.officeId,
    groupId: filters.groupId,
    rolled: runsOf(r.days.filter((d) => rolled.has(d))),
    live: runsOf(r.days.filter((d) => !rolled.has(d))).map(([a, b]) => [startOf(a), startOf(addDays(b, 1))]),
  };
}
