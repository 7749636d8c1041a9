/**
 * Working-day arithmetic for deadlines (留言 SLA, 工单 statutory limits) in China Standard Time (UTC+8, no daylight
 * saving), on the service calendar: Monday–Friday, minus its holidays, plus its 调休 workdays.
 *
 * As with statutory periods, the day something starts does not count: n working days from a moment end at the end
 * (24:00) of the n-th working day after that moment's date.
 */
import type { TServiceHours } from '@zhengna/contracts';

export type WorkCalendar = Pick<TServiceHours, 'holidays' | 'workdays'>;

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** Bounds a calendar that marks every day a holiday. */
const MAX_SCAN_DAYS = 3 * 366;

/** 'YYYY-MM-DD' of a moment, in China Standard Time. */
export const cstDate = (at: Date): string => new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
/** 00:00 CST of a date, as a moment. */
const startOf = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS);
const shift = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.workdays.includes(date)) return true;
  if (cal.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The end of the n-th working day after `from`'s date (n ≥ 1). */
export function addWorkingDays(from: Date, n: number, cal: WorkCalendar): Date {
  let date = cstDate(from);
  let left = Math.max(1, Math.floor(n));
  for (let i = 0; i < MAX_SCAN_DAYS && left > 0; i++) {
    date = shift(date, 1);
    if (isWorkingDay(date, cal)) left--;
  }
  return startOf(shift(date, 1));
}

/**
 * When to remind before a deadline so that `daysBefore` working days are left: the start of the working day that
 * many working days before the deadline's end (1 → the start of the last working day). null when `daysBefore` is 0.
 */
export function reminderTime(dueAt: Date, daysBefore: number, cal: WorkCalendar): Date | null {
  if (daysBefore <= 0) return null;
  // the deadline is the end of its last day: that day is the one just before it
  let date = cstDate(new Date(dueAt.getTime() - 1));
  let left = Math.floor(daysBefore);
  for (let i = 0; i < MAX_SCAN_DAYS; i++) {
    if (isWorkingDay(date, cal)) {
      left--;
      if (left === 0) return startOf(date);
    }
    date = shift(date, -1);
  }
  return startOf(date);
}
