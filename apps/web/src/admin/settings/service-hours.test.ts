import { type TServiceHours, ZServiceHours } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import {
  addDate,
  newSpan,
  serviceHoursOf,
  suggestSpan,
  timeOptions,
  type WeekDraft,
  weekDraftOf,
  weekErrors,
} from './service-hours.ts';

const HOURS: TServiceHours = {
  week: {
    mon: [
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '17:00' },
    ],
    tue: [{ start: '08:30', end: '17:00' }],
    wed: [],
    thu: [],
    fri: [{ start: '20:00', end: '24:00' }],
    sat: [],
    sun: [],
  },
  holidays: ['2026-10-01'],
  workdays: ['2026-09-27'],
};

const draftWith = (patch: Partial<WeekDraft>): WeekDraft => ({ ...weekDraftOf(HOURS), ...patch });

describe('week table ⇄ TServiceHours', () => {
  it('round-trips and passes the contract', () => {
    const out = serviceHoursOf(weekDraftOf(HOURS), HOURS.holidays, HOURS.workdays);
    expect(out).toEqual(HOURS);
    expect(ZServiceHours.safeParse(out).success).toBe(true);
  });

  it('sorts each day by start time and drops the row keys', () => {
    const draft = draftWith({ wed: [newSpan('14:00', '18:00'), newSpan('09:00', '12:00')] });
    expect(serviceHoursOf(draft, [], []).week.wed).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]);
  });

  it('gives each row a distinct key', () => {
    const keys = weekDraftOf(HOURS).mon.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('weekErrors', () => {
  it('is empty for a valid week', () => {
    expect(weekErrors(weekDraftOf(HOURS))).toEqual({});
  });

  it('flags an end not after its start, and overlapping spans', () => {
    expect(weekErrors(draftWith({ thu: [newSpan('12:00', '12:00')] }))).toEqual({ thu: '结束时间须晚于开始时间' });
    expect(weekErrors(draftWith({ sat: [newSpan('13:00', '17:00'), newSpan('09:00', '13:30')] }))).toEqual({
      sat: '时段不能重叠',
    });
    // touching spans are fine
    expect(weekErrors(draftWith({ sat: [newSpan('09:00', '12:00'), newSpan('12:00', '13:00')] }))).toEqual({});
  });

  it('flags more than four spans a day', () => {
    const five = ['08', '10', '12', '14', '16'].map((h) => newSpan(`${h}:00`, `${h}:30`));
    expect(weekErrors(draftWith({ sun: five }))).toEqual({ sun: '每天最多 4 个时段' });
  });
});

describe('timeOptions', () => {
  it('offers every half hour up to 24:00, plus odd saved times', () => {
    const all = timeOptions();
    expect(all[0]).toBe('00:00');
    expect(all.at(-1)).toBe('24:00');
    expect(all).toHaveLength(49);
    expect(timeOptions(['08:45'])).toContain('08:45');
  });
});

describe('addDate', () => {
  it('keeps dates unique and in order', () => {
    expect(addDate(['2026-10-03', '2026-10-01'], '2026-10-02')).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
    expect(addDate(['2026-10-01'], '2026-10-01')).toEqual(['2026-10-01']);
  });
});

describe('suggestSpan', () => {
  const spans = (...pairs: [string, string][]) => pairs.map(([a, b]) => newSpan(a, b));
  it('offers office hours on an empty day', () => {
    expect(suggestSpan([])).toEqual({ start: '09:00', end: '17:00' });
  });
  it('prefers the time after the last span, up to four hours', () => {
    expect(suggestSpan(spans(['08:30', '12:00'], ['13:30', '17:00']))).toEqual({ start: '17:00', end: '21:00' });
    expect(suggestSpan(spans(['08:00', '22:30']))).toEqual({ start: '22:30', end: '24:00' });
  });
  it('then before the first, then in between; nothing on a full day', () => {
    expect(suggestSpan(spans(['06:00', '24:00']))).toEqual({ start: '02:00', end: '06:00' });
    expect(suggestSpan(spans(['00:00', '12:00'], ['13:00', '24:00']))).toEqual({ start: '12:00', end: '13:00' });
    expect(suggestSpan(spans(['00:00', '24:00']))).toBeNull();
    expect(suggestSpan(spans(['00:00', '12:00'], ['12:10', '24:00']))).toBeNull();
  });
  it('never overlaps what is there', () => {
    const day = spans(['08:30', '12:00'], ['13:30', '17:00']);
    const s = suggestSpan(day);
    if (!s) throw new Error('no suggestion');
    expect(weekErrors({ ...weekDraftOf(HOURS), mon: [...day, newSpan(s.start, s.end)] })).toEqual({});
  });
});
