import type { TAppointmentStaff } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { actionsFor, groupByStaff, startModesFor } from './appointment-day.ts';

const base = {
  status: 'booked',
  startsAt: '2026-12-01T01:00:00.000Z',
  endsAt: '2026-12-01T01:30:00.000Z',
  startedMode: null,
  attended: false,
  taxpayerName: '甲',
  staffName: null,
} as unknown as TAppointmentStaff;

describe('staff day list', () => {
  it('offers the channel’s way of starting first', () => {
    expect(startModesFor('av')).toEqual(['av', 'chat', 'phone']);
    expect(startModesFor('phone')[0]).toBe('phone');
  });

  it('offers 开始 (due from shortly before the slot) and 完成 after starting', () => {
    expect(actionsFor(base, new Date('2026-12-01T00:00:00.000Z'))).toEqual({
      start: true,
      due: false,
      complete: false,
    });
    expect(actionsFor(base, new Date('2026-12-01T00:45:00.000Z'))).toEqual({ start: true, due: true, complete: false });
    expect(actionsFor({ ...base, startedMode: 'chat' }, new Date('2026-12-01T01:05:00.000Z'))).toEqual({
      start: false,
      due: false,
      complete: true,
    });
    expect(actionsFor({ ...base, status: 'completed' }, new Date('2026-12-01T01:05:00.000Z')).complete).toBe(false);
  });

  it('groups by agent in time order, unassigned last', () => {
    const list = [
      { ...base, staffName: '张敏', startsAt: '2026-12-01T02:00:00.000Z' },
      { ...base, staffName: null },
      { ...base, staffName: '张敏', startsAt: '2026-12-01T01:00:00.000Z' },
    ] as TAppointmentStaff[];
    const groups = groupByStaff(list);
    expect(groups.map((g) => g.staff)).toEqual(['张敏', '未分配']);
    expect(groups[0]?.items.map((a) => a.startsAt)).toEqual(['2026-12-01T01:00:00.000Z', '2026-12-01T02:00:00.000Z']);
  });
});
