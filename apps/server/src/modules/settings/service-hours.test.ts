import { describe, expect, it } from 'vitest';
import { isOpen } from './service-hours.ts';

const office = {
  week: {
    mon: [
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ],
    tue: [{ start: '08:30', end: '17:30' }],
    wed: [{ start: '08:30', end: '17:30' }],
    thu: [{ start: '08:30', end: '17:30' }],
    fri: [{ start: '08:30', end: '17:30' }],
    sat: [],
    sun: [],
  },
  holidays: ['2026-10-01'],
  workdays: ['2026-10-10'],
};
// China Standard Time is UTC+8
const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('human service hours', () => {
  it('is open inside a span and closed over lunch, at night and on the weekend (Beijing time)', () => {
    expect(isOpen(office, cst('2026-11-30T09:00:00'))).toBe(true); // Monday
    expect(isOpen(office, cst('2026-11-30T12:30:00'))).toBe(false);
    expect(isOpen(office, cst('2026-11-30T17:30:00'))).toBe(false);
    expect(isOpen(office, cst('2026-12-05T10:00:00'))).toBe(false); // Saturday
  });
  it('closes on holidays and opens on make-up workdays', () => {
    expect(isOpen(office, cst('2026-10-01T10:00:00'))).toBe(false); // Thursday, National Day
    expect(isOpen(office, cst('2026-10-10T10:00:00'))).toBe(true); // Saturday worked
  });
});
