/** Whether human service is open at a moment, in China Standard Time (UTC+8, no daylight saving). */
import { type TServiceHours, WEEKDAYS } from '@zhengna/contracts';

const CST_OFFSET_MS = 8 * 3600_000;

export const ALWAYS_OPEN: TServiceHours = {
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as TServiceHours['week'],
  holidays: [],
  workdays: [],
};

export function isOpen(hours: TServiceHours, at: Date = new Date()): boolean {
  const local = new Date(at.getTime() + CST_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  if (hours.holidays.includes(date)) return false;
  // getUTCDay: 0 = Sunday
  const weekday = WEEKDAYS[(local.getUTCDay() + 6) % 7] ?? 'mon';
  const spans = hours.workdays.includes(date) ? hours.week.mon : hours.week[weekday];
  const hhmm = local.toISOString().slice(11, 16);
  return spans.some((s) => s.start <= hhmm && hhmm < s.end);
}

/** "周一至周五 08:30–17:30" style summary for messages to taxpayers. */
export function describeHours(hours: TServiceHours): string {
  const labels = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
  const parts: string[] = [];
  WEEKDAYS.forEach((d, i) => {
    const spans = hours.week[d].map((s) => `${s.start}–${s.end}`).join('、');
    if (spans) parts.push(`${labels[i]} ${spans}`);
  });
  return parts.join('；') || '暂无人工服务时间';
}
