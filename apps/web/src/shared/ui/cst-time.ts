/**
 * Dates and times in China Standard Time (Asia/Shanghai), whatever zone the browser is in: appointment slots are
 * bureau times, so a taxpayer abroad or a machine set to UTC must still see 09:00 for a 09:00 slot. Dates are
 * "YYYY-MM-DD" strings of the CST calendar (as the contracts send them).
 */
const TZ = 'Asia/Shanghai';
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

const dateParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const toDate = (instant: Date | string): Date => (typeof instant === 'string' ? new Date(instant) : instant);

/** The CST calendar date of an instant: "2026-12-01". */
export function cstDate(instant: Date | string): string {
  const parts = Object.fromEntries(dateParts.formatToParts(toDate(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The CST clock time of an instant: "09:30". */
export function cstTime(instant: Date | string): string {
  const parts = Object.fromEntries(timeParts.formatToParts(toDate(instant)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

/** Today in CST. */
export const cstToday = (now: Date = new Date()): string => cstDate(now);

/** A CST date moved by whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "周二" for a CST date. */
export function weekdayOf(date: string): string {
  return WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '';
}

/** "12月1日 周二" — a tab of the date strip. */
export function shortDateLabel(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日 ${weekdayOf(date)}`;
}

/** "2026年12月1日（周二）" */
export function longDateLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日（${weekdayOf(date)}）`;
}

/** "09:00–09:30" */
export function slotTimeLabel(startsAt: string, endsAt: string): string {
  return `${cstTime(startsAt)}–${cstTime(endsAt)}`;
}

/** "2026年12月1日（周二）09:00–09:30" — how a booking's time is shown and read out. */
export function appointmentTimeLabel(startsAt: string, endsAt: string): string {
  return `${longDateLabel(cstDate(startsAt))}${slotTimeLabel(startsAt, endsAt)}`;
}
