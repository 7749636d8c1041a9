/**
 * The 预约服务 editor's values and how they become the contracts' ZAppointmentServiceInput (the weekly table is the
 * service-hours editor's draft), plus the server's field errors by field. Pure: the page and the tests share it.
 */
import {
  type TAppointmentSchedule,
  type TAppointmentService,
  type TAppointmentServiceInput,
  WEEKDAYS,
  ZAppointmentServiceInput,
} from '@zhengna/contracts';
import { type WeekDraft, weekDraftOf, weekErrors, weekOf } from '../settings/service-hours.ts';

export type ServiceFormValues = Omit<TAppointmentServiceInput, 'schedule' | 'closedDates'>;

/** A new service: weekdays 09:00–11:30 and 13:30–17:00, 30-minute slots, 2 places, bookable 1–14 days ahead. */
export function newServiceValues(taxOfficeId = ''): { values: ServiceFormValues; schedule: TAppointmentSchedule } {
  const day = [
    { start: '09:00', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ];
  const schedule = Object.fromEntries(
    WEEKDAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : day]),
  ) as TAppointmentSchedule;
  return {
    values: {
      name: '',
      taxOfficeId,
      business: 'general',
      channel: 'text',
      slotMinutes: 30,
      capacity: 2,
      minDaysAhead: 1,
      maxDaysAhead: 14,
      cutoffMinutes: 60,
      cancelMinutes: 120,
    },
    schedule,
  };
}

export function valuesOf(service: TAppointmentService): ServiceFormValues {
  const { name, taxOfficeId, business, channel, slotMinutes, capacity, minDaysAhead, maxDaysAhead } = service;
  return {
    name,
    taxOfficeId,
    business,
    channel,
    slotMinutes,
    capacity,
    minDaysAhead,
    maxDaysAhead,
    cutoffMinutes: service.cutoffMinutes,
    cancelMinutes: service.cancelMinutes,
  };
}

export const scheduleDraftOf = (schedule: TAppointmentSchedule): WeekDraft =>
  weekDraftOf({ week: schedule, holidays: [], workdays: [] });

export type ServiceParse =
  | { ok: true; input: TAppointmentServiceInput }
  | { ok: false; errors: Record<string, string> };

/**
 * The whole input, checked as the server will check it: the week table's own problems (overlaps, end before start)
 * under "schedule.<day>", the rest by field name.
 */
export function toServiceInput(
  values: ServiceFormValues,
  schedule: WeekDraft,
  closedDates: readonly string[],
): ServiceParse {
  const week = weekErrors(schedule);
  const errors: Record<string, string> = {};
  for (const [day, message] of Object.entries(week)) errors[`schedule.${day}`] = message;
  if (!WEEKDAYS.some((d) => schedule[d].length > 0)) errors['schedule._'] = '请至少为一天设置可预约时段';
  const input = { ...values, schedule: weekOf(schedule), closedDates: [...closedDates] };
  const parsed = ZAppointmentServiceInput.safeParse(input);
  if (!parsed.success)
    Object.assign(
      errors,
      serviceFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]))),
    );
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input };
}

/**
 * The server's (or zod's) field errors by form field: "value.schedule.mon.0.end" → "schedule.mon",
 * "value.closedDates.3" → "closedDates", "capacity" → "capacity". The first message of a field wins.
 */
export function serviceFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const parts = path.split('.');
    if (parts[0] === 'value') parts.shift();
    const key = parts[0] === 'schedule' ? parts.slice(0, 2).join('.') : parts[0] || '_';
    out[key] ??= message;
  }
  return out;
}

/** "工作日 2 段 · 30 分钟/段 · 每段 2 人" — the list's summary of a service's schedule. */
export function scheduleSummary(service: Pick<TAppointmentService, 'schedule' | 'slotMinutes' | 'capacity'>): string {
  const days = WEEKDAYS.filter((d) => service.schedule[d].length > 0).length;
  return `每周 ${days} 天 · ${service.slotMinutes} 分钟/时段 · 每时段 ${service.capacity} 人`;
}
