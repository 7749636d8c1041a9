import dayjs from 'dayjs';

/** 今天 09:30 → "09:30"; this year → "3月5日 09:30"; older → "2025年3月5日 09:30". */
export function formatMessageTime(iso: string, now: Date = new Date()): string {
  const time = dayjs(iso);
  if (!time.isValid()) return '';
  if (time.isSame(now, 'day')) return time.format('HH:mm');
  if (time.isSame(now, 'year')) return time.format('M月D日 HH:mm');
  return time.format('YYYY年M月D日 HH:mm');
}

/** Full date-time for a `title`/`dateTime` attribute. */
export function formatFullTime(iso: string): string {
  const time = dayjs(iso);
  return time.isValid() ? time.format('YYYY年M月D日 HH:mm:ss') : '';
}
