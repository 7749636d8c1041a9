import { type TServiceHours, WEEKDAYS } from '@zhengna/contracts';

export type Weekday = (typeof WEEKDAYS)[number];

/** One row of the weekly table being edited; `key` only keeps React's list stable. */
export interface SpanDraft {
  key: number;
  start: string;
  end: string;
}
export type WeekDraft = Record<Weekday, SpanDraft[]>;

/** The contract allows up to four spans a day. */
export const MAX_SPANS_PER_DAY = 4;

let nextKey = 1;
export const newSpan = (start = '09:00', end = '17:00'): SpanDraft => ({ key: nextKey++, start, end });

export function weekDraftOf(hours: TServiceHours): WeekDraft {
  return Object.fromEntries(
    WEEKDAYS.map((day) => [day, hours.week[day].map((s) => newSpan(s.start, s.end))]),
  ) as WeekDraft;
}

/** The table as the contract's week, each day's spans in time order. */
export function weekOf(draft: WeekDraft): TServiceHours['week'] {
  return Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      [...draft[day]].sort((a, b) => a.start.localeCompare(b.start)).map(({ start, end }) => ({ start, end })),
    ]),
  ) as TServiceHours['week'];
}

export function serviceHoursOf(
  draft: WeekDraft,
  holidays: readonly string[],
  workdays: readonly string[],
): TServiceHours {
  return { week: weekOf(draft), holidays: [...holidays], workdays: [...workdays] };
}

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const toTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * A span to add to a day that does not overlap the others: 09:00–17:00 on an empty day, otherwise (up to four hours
 * of) the free time after the last span, else before the first one, else in between; null when the day is full.
 */
export function suggestSpan(spans: readonly SpanDraft[]): { start: string; end: string } | null {
  if (spans.length === 0) return { start: '09:00', end: '17:00' };
  const sorted = [...spans].sort((a, b) => a.start.localeCompare(b.start));
  const gaps: [number, number][] = [];
  let cursor = 0;
  for (const s of sorted) {
    if (toMinutes(s.start) > cursor) gaps.push([cursor, toMinutes(s.start)]);
    cursor = Math.max(cursor, toMinutes(s.end));
  }
  const after: [number, number] | undefined = cursor < 24 * 60 ? [cursor, 24 * 60] : undefined;
  const before = gaps[0]?.[0] === 0 ? gaps[0] : undefined;
  const between = gaps.filter((g) => g !== before);
  const gap = [after, before, ...between].find((g) => g && g[1] - g[0] >= 30);
  if (!gap) return null;
  // after the last span: start right after it; before the first one: end right before it
  const [from, to] =
    gap === before ? [Math.max(gap[0], gap[1] - 240), gap[1]] : [gap[0], Math.min(gap[1], gap[0] + 240)];
  return { start: toTime(from), end: toTime(to) };
}

/** Problems of each day ("mon" → message): an end not after its start, or spans that overlap. */
export function weekErrors(draft: WeekDraft): Partial<Record<Weekday, string>> {
  const out: Partial<Record<Weekday, string>> = {};
  for (const day of WEEKDAYS) {
    const spans = [...draft[day]].sort((a, b) => a.start.localeCompare(b.start));
    if (spans.some((s) => s.start >= s.end)) out[day] = '结束时间须晚于开始时间';
    else if (spans.some((s, i) => i > 0 && s.start < (spans[i - 1]?.end ?? ''))) out[day] = '时段不能重叠';
    else if (spans.length > MAX_SPANS_PER_DAY) out[day] = `每天最多 ${MAX_SPANS_PER_DAY} 个时段`;
  }
  return out;
}

/** Times offered in the pickers: every half hour from 00:00 to 24:00, plus any odd time already saved. */
export function timeOptions(extra: readonly string[] = []): string[] {
  const all = new Set<string>();
  for (let m = 0; m <= 24 * 60; m += 30) all.add(toTime(m));
  for (const t of extra) all.add(t);
  return [...all].sort();
}

/** A date added to a holiday or 调休 list: kept unique and in order. */
export function addDate(list: readonly string[], date: string): string[] {
  return [...new Set([...list, date])].sort();
}
