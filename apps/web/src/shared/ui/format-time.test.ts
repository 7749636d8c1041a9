import { describe, expect, it } from 'vitest';
import { formatMessageTime } from './format-time.ts';

describe('formatMessageTime', () => {
  const now = new Date(2026, 4, 20, 15, 0, 0);
  it('shows only the time for today', () => {
    expect(formatMessageTime(new Date(2026, 4, 20, 9, 5).toISOString(), now)).toBe('09:05');
  });
  it('adds month and day within the year', () => {
    expect(formatMessageTime(new Date(2026, 2, 5, 9, 30).toISOString(), now)).toBe('3月5日 09:30');
  });
  it('adds the year for older messages', () => {
    expect(formatMessageTime(new Date(2025, 11, 31, 23, 59).toISOString(), now)).toBe('2025年12月31日 23:59');
  });
  it('returns an empty string for garbage', () => {
    expect(formatMessageTime('not a date', now)).toBe('');
  });
});
