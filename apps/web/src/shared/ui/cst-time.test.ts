import { describe, expect, it } from 'vitest';
import {
  addDays,
  appointmentTimeLabel,
  cstDate,
  cstTime,
  cstToday,
  shortDateLabel,
  slotTimeLabel,
} from './cst-time.ts';

describe('China Standard Time formatting', () => {
  it('shows the Shanghai date and time of an instant, not the machine zone', () => {
    // 2026-11-30T17:30Z is already 1 December, 01:30 in Shanghai
    expect(cstDate('2026-11-30T17:30:00.000Z')).toBe('2026-12-01');
    expect(cstTime('2026-11-30T17:30:00.000Z')).toBe('01:30');
    expect(cstToday(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
    expect(cstTime('2026-12-01T16:00:00.000Z')).toBe('00:00');
  });

  it('labels slots and dates in Chinese', () => {
    expect(slotTimeLabel('2026-12-01T01:00:00.000Z', '2026-12-01T01:30:00.000Z')).toBe('09:00–09:30');
    expect(shortDateLabel('2026-12-01')).toBe('12月1日 周二');
    expect(appointmentTimeLabel('2026-12-01T06:00:00.000Z', '2026-12-01T06:30:00.000Z')).toBe(
      '2026年12月1日（周二）14:00–14:30',
    );
  });

  it('moves dates across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
