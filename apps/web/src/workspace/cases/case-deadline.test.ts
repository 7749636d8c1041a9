import { describe, expect, it } from 'vitest';
import { deadlineText, deadlineTone } from './case-deadline.ts';

const NOW = Date.parse('2026-03-02T08:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const H = 3_600_000;

describe('case deadline', () => {
  it('counts down in days and hours, then hours and minutes', () => {
    expect(deadlineText(at(2 * 24 * H + 3 * H + 10 * 60_000), NOW)).toBe('剩余 2 天 3 小时');
    expect(deadlineText(at(5 * 24 * H), NOW)).toBe('剩余 5 天');
    expect(deadlineText(at(3 * H + 20 * 60_000), NOW)).toBe('剩余 3 小时 20 分钟');
    expect(deadlineText(at(45 * 60_000), NOW)).toBe('剩余 45 分钟');
    expect(deadlineText(at(10_000), NOW)).toBe('剩余 1 分钟');
  });

  it('says how long it is overdue', () => {
    expect(deadlineText(at(-(26 * H)), NOW)).toBe('已超期 1 天 2 小时');
    expect(deadlineText(at(0), NOW)).toBe('已超期 1 分钟');
  });

  it('is orange within a day and red once overdue', () => {
    expect(deadlineTone(at(30 * H), NOW)).toBe('normal');
    expect(deadlineTone(at(5 * H), NOW)).toBe('soon');
    expect(deadlineTone(at(0), NOW)).toBe('overdue');
    expect(deadlineTone(at(-H), NOW)).toBe('overdue');
  });

  it('shows nothing for a date it cannot read', () => {
    expect(deadlineText('not a date', NOW)).toBe('');
  });
});
