/** Deadlines in working days on the service calendar, in China Standard Time. */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, cstDate, isWorkingDay, reminderTime } from './working-days.ts';

const none = { holidays: [], workdays: [] };
// CST moments written as UTC+8 so the tests read like a calendar
const cst = (s: string) => new Date(`${s}+08:00`);

describe('working days', () => {
  it('counts from the day after the start, and a deadline ends at 24:00 of its last working day', () => {
    // Tuesday 2026-03-10 15:00 + 1 working day → end of Wednesday
    expect(addWorkingDays(cst('2026-03-10T15:00:00'), 1, none)).toEqual(cst('2026-03-12T00:00:00'));
    // Friday + 1 → end of Monday; Friday + 3 → end of Wednesday
    expect(addWorkingDays(cst('2026-03-13T09:00:00'), 1, none)).toEqual(cst('2026-03-17T00:00:00'));
    expect(addWorkingDays(cst('2026-03-13T09:00:00'), 3, none)).toEqual(cst('2026-03-19T00:00:00'));
    // submitted on a Saturday: Monday is the first working day
    expect(addWorkingDays(cst('2026-03-14T20:00:00'), 1, none)).toEqual(cst('2026-03-17T00:00:00'));
  });

  it('uses Shanghai dates, not UTC ones: 07:30 CST is still the previous day in UTC', () => {
    expect(cstDate(cst('2026-03-10T07:30:00'))).toBe('2026-03-10');
    expect(addWorkingDays(cst('2026-03-10T07:30:00'), 1, none)).toEqual(cst('2026-03-12T00:00:00'));
  });

  it('skips holidays and counts 调休 workdays', () => {
    // 劳动节 2026: 5/1–5/5 off, Saturday 5/9 worked
    const cal = {
      holidays: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'],
      workdays: ['2026-05-09'],
    };
    expect(isWorkingDay('2026-05-04', cal)).toBe(false);
    expect(isWorkingDay('2026-05-09', cal)).toBe(true);
    // Thursday 4/30 + 1 → Wednesday 5/6
    expect(addWorkingDays(cst('2026-04-30T10:00:00'), 1, cal)).toEqual(cst('2026-05-07T00:00:00'));
    // Friday 5/8 + 1 → Saturday 5/9 (调休)
    expect(addWorkingDays(cst('2026-05-08T10:00:00'), 1, cal)).toEqual(cst('2026-05-10T00:00:00'));
  });

  it('reminds at the start of the last working days before a deadline', () => {
    const due = cst('2026-03-17T00:00:00'); // end of Monday 3/16
    expect(reminderTime(due, 1, none)).toEqual(cst('2026-03-16T00:00:00'));
    // two working days left: from the start of Friday 3/13
    expect(reminderTime(due, 2, none)).toEqual(cst('2026-03-13T00:00:00'));
    expect(reminderTime(due, 0, none)).toBeNull();
  });
});
