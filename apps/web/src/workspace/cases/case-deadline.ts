/**
 * Deadlines of 留言 and 工单 as the lists show them: a countdown ("剩余 2 天 3 小时"), or how long it is overdue.
 * Pure, so the lists re-render it from one ticking `now`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type DeadlineTone = 'overdue' | 'soon' | 'normal';

/** Less than this left: shown in orange. */
export const SOON_MS = DAY;

function span(ms: number): string {
  if (ms >= DAY) {
    const days = Math.floor(ms / DAY);
    const hours = Math.floor((ms % DAY) / HOUR);
    return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  }
  if (ms >= HOUR) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes > 0 ? `${hours} 小时 ${minutes} 分钟` : `${hours} 小时`;
  }
  return `${Math.max(1, Math.floor(ms / MINUTE))} 分钟`;
}

export function deadlineTone(dueAt: string, now: number): DeadlineTone {
  const left = Date.parse(dueAt) - now;
  if (left <= 0) return 'overdue';
  return left < SOON_MS ? 'soon' : 'normal';
}

/** "剩余 3 小时 20 分钟" before the deadline, "已超期 1 天 2 小时" after it. */
export function deadlineText(dueAt: string, now: number): string {
  const left = Date.parse(dueAt) - now;
  if (Number.isNaN(left)) return '';
  return left > 0 ? `剩余 ${span(left)}` : `已超期 ${span(-left)}`;
}
