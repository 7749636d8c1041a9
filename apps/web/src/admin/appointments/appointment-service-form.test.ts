import { describe, expect, it } from 'vitest';
import { newSpan } from '../settings/service-hours.ts';
import { newServiceValues, scheduleDraftOf, serviceFieldErrors, toServiceInput } from './appointment-service-form.ts';

describe('预约服务 form', () => {
  it('turns the form and the week table into the service input', () => {
    const { values, schedule } = newServiceValues('370100');
    const parsed = toServiceInput({ ...values, name: '发票业务预约' }, scheduleDraftOf(schedule), ['2027-01-01']);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.input.schedule.mon).toEqual([
      { start: '09:00', end: '11:30' },
      { start: '13:30', end: '17:00' },
    ]);
    expect(parsed.input.schedule.sun).toEqual([]);
    expect(parsed.input.closedDates).toEqual(['2027-01-01']);
  });

  it('reports overlapping spans, an empty week and bad numbers by field', () => {
    const { values, schedule } = newServiceValues('370100');
    const draft = scheduleDraftOf(schedule);
    draft.tue = [newSpan('09:00', '12:00'), newSpan('11:00', '13:00')];
    const parsed = toServiceInput({ ...values, name: '发', capacity: 0, minDaysAhead: 20, maxDaysAhead: 5 }, draft, []);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toMatchObject({
      'schedule.tue': '时段不能重叠',
      name: '服务名称至少 2 个字',
      capacity: '每个时段至少 1 个名额',
      maxDaysAhead: '最早可约天数不能晚于最晚可约天数',
    });
    const empty = scheduleDraftOf(Object.fromEntries(Object.keys(schedule).map((d) => [d, []])) as never);
    const none = toServiceInput({ ...values, name: '发票预约' }, empty, []);
    expect(none.ok ? null : none.errors['schedule._']).toBe('请至少为一天设置可预约时段');
  });

  it('maps server paths to fields', () => {
    expect(
      serviceFieldErrors({
        'value.schedule.mon.0.end': '结束时间须晚于开始时间',
        'value.closedDates.2': '日期格式应为 YYYY-MM-DD',
        slotMinutes: 'x',
      }),
    ).toEqual({
      'schedule.mon': '结束时间须晚于开始时间',
      closedDates: '日期格式应为 YYYY-MM-DD',
      slotMinutes: 'x',
    });
  });
});
