/**
 * The slots of an appointment service, in China Standard Time (UTC+8, no daylight saving) whatever the server's TZ:
 * cut from the weekly schedule, closed on the service calendar's holidays and the service's own closed dates, open to
 * booking from `minDaysAhead` to `maxDaysAhead` days after today (CST) and until `cutoffMinutes` before a slot.
 * Pure: the service reads what is booked and decides the rest here.
 */
import type { TAppointmentSchedule } from '@zhengna/contracts';
import { cstDate } from '../settings/working-days.ts';

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export type CalendarService = {
  schedule: TAppointmentSchedule;
  slotMinutes: number;
  minDaysAhead: number;
  maxDaysAhead: number;
  cutoffMinutes: number;
  closedDates: string[];
};
export type PlannedSlot = { startsAt: Date; endsAt: Date };

export const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** 00:00 CST of a date, as a moment. */
export const cstStartOf = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS);
const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** "2026年3月5日 09:30" in CST, for notices and SMS. */
export function cstLabel(at: Date): string {
  const iso = new Date(at.getTime() + CST_OFFSET_MS).toISOString();
  return `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日 ${iso.slice(11, 16)}`;
}

/** The first and last date (CST) a taxpayer may book on now. */
export function bookingWindow(s: Pick<CalendarService, 'minDaysAhead' | 'maxDaysAhead'>, now: Date) {
  const today = cstDate(now);
  return { from: shiftDate(today, s.minDaysAhead), to: shiftDate(today, s.maxDaysAhead) };
}

export const isClosed = (date: string, s: Pick<CalendarService, 'closedDates'>, holidays: string[]) =>
  holidays.includes(date) || s.closedDates.includes(date);

/** The day's slots by the weekly schedule (a closing date is the caller's concern): whole slots only. */
export function slotsOfDay(s: Pick<CalendarService, 'schedule' | 'slotMinutes'>, date: string): PlannedSlot[] {
  const weekday = WEEKDAY_KEYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as keyof TAppointmentSchedule;
  const midnight = cstStartOf(date).getTime();
  const out: PlannedSlot[] = [];
  for (const span of [...(s.schedule[weekday] ?? [])].sort((a, b) => a.start.localeCompare(b.start))) {
    const end = minutesOf(span.end);
    for (let m = minutesOf(span.start); m + s.slotMinutes <= end; m += s.slotMinutes) {
      out.push({
        startsAt: new Date(midnight + m * MINUTE_MS),
        endsAt: new Date(midnight + (m + s.slotMinutes) * MINUTE_MS),
      });
    }
  }
  return out;
}

/** Whether a booking for this moment can be taken now; the reason in Chinese when not. */
export function checkBookable(
  s: CalendarService,
  holidays: string[],
  startsAt: Date,
  now: Date,
): { ok: true; slot: PlannedSlot } | { ok: false; reason: string } {
  const date = cstDate(startsAt);
  const window = bookingWindow(s, now);
  if (date < window.from || date > window.to) {
    return { ok: false, reason: `只能预约 ${window.from} 至 ${window.to} 的时段，请重新选择。` };
  }
  if (isClosed(date, s, holidays)) return { ok: false, reason: `${date} 不提供预约服务，请选择其他日期。` };
  const slot = slotsOfDay(s, date).find((x) => x.startsAt.getTime() === startsAt.getTime());
  if (!slot) return { ok: false, reason: '所选时段不在服务时间内，请重新选择。' };
  if (now.getTime() > slot.startsAt.getTime() - s.cutoffMinutes * MINUTE_MS) {
    return { ok: false, reason: `该时段已截止预约（须在开始前 ${s.cutoffMinutes} 分钟预约），请选择其他时段。` };
  }
  return { ok: true, slot };
}

export const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * MINUTE_MS);
