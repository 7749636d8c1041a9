/**
 * The 预约 form's values, how they become the contracts' ZAppointmentBook, what a refused booking means for the
 * taxpayer, and when 我的预约 offers 进入. Pure: the panel and the tests share it.
 */
import {
  ERRORS,
  type TAppointment,
  type TAppointmentBook,
  type TCaseFile,
  type TReceiveBy,
  type TSlot,
} from '@zhengna/contracts';
import { ApiError, errorMessage } from '../../shared/api/api-error.ts';

export interface AppointmentFormValues {
  /** Empty: the number in the taxpayer's profile. */
  phone: string;
  description: string;
  receiveBy: TReceiveBy;
}

export type AppointmentField = keyof AppointmentFormValues | 'files' | 'slot';

/** The server's own words for a lost race (one text for the whole product). */
export const SLOT_FULL_MESSAGE = ERRORS.SLOT_FULL.message;

export const defaultAppointmentValues = (): AppointmentFormValues => ({
  phone: '',
  description: '',
  receiveBy: 'inbox',
});

/** The request body: trimmed text, the phone only when one was typed, the uploaded files' ids. */
export function toBookBody(
  values: AppointmentFormValues,
  choice: { serviceId: string; startsAt: string },
  files: readonly TCaseFile[],
  clientKey: string,
): TAppointmentBook {
  const phone = values.phone.trim();
  return {
    clientKey,
    serviceId: choice.serviceId,
    startsAt: choice.startsAt,
    ...(phone ? { phone } : {}),
    description: values.description.trim(),
    receiveBy: values.receiveBy,
    fileIds: files.map((f) => f.id),
  };
}

const FIELD_OF_PATH: Record<string, AppointmentField> = {
  phone: 'phone',
  description: 'description',
  receiveBy: 'receiveBy',
  fileIds: 'files',
  serviceId: 'slot',
  startsAt: 'slot',
};

/** The server's field errors by form field; what belongs to none goes under `_`. The first message wins. */
export function appointmentFieldErrors(
  fields: Record<string, string> | undefined,
): Partial<Record<AppointmentField | '_', string>> {
  const out: Partial<Record<AppointmentField | '_', string>> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const field = FIELD_OF_PATH[path.split('.')[0] ?? ''] ?? '_';
    out[field] ??= message;
  }
  return out;
}

export type BookingFailure =
  /** someone took the last place: choose again (the slots are reloaded) */
  | { kind: 'slot_full'; message: string }
  /** 失约 restriction and the like: the server's words, with the date it ends */
  | { kind: 'refused'; message: string }
  | { kind: 'fields'; fields: Partial<Record<AppointmentField | '_', string>> }
  | { kind: 'other'; message: string };

/** What a failed 确认 means for the form. */
export function bookingFailure(error: unknown): BookingFailure {
  if (error instanceof ApiError) {
    // SLOT_FULL is the server's code for a slot taken meanwhile (compared as text: older contracts lack it)
    if ((error.code as string) === 'SLOT_FULL') return { kind: 'slot_full', message: SLOT_FULL_MESSAGE };
    if (error.status === 403 || error.status === 409) return { kind: 'refused', message: error.message };
    if (error.fields && Object.keys(error.fields).length > 0)
      return { kind: 'fields', fields: appointmentFieldErrors(error.fields) };
  }
  return { kind: 'other', message: errorMessage(error, '预约失败，请稍后再试。') };
}

/** "剩余 2 个名额" / "已约满" / "不可预约" — the visible text under a slot's time. */
export function slotStateLabel(slot: TSlot): string {
  if (slot.full) return '已约满';
  if (!slot.bookable) return '不可预约';
  return `剩余 ${Math.max(0, slot.capacity - slot.booked)} 个名额`;
}

/** How long before the slot 进入 appears (text and A/V bookings only). */
export const ATTEND_EARLY_MINUTES = 15;

/** 我已到达/进入: a booked text or A/V appointment, from a little before its start until its end. */
export function canAttend(appointment: TAppointment, now: Date): boolean {
  if (appointment.status !== 'booked' || appointment.channel === 'phone') return false;
  const t = now.getTime();
  return (
    t >= new Date(appointment.startsAt).getTime() - ATTEND_EARLY_MINUTES * 60_000 &&
    t <= new Date(appointment.endsAt).getTime()
  );
}

/** What happens next, in the 预约提示 notice, by channel. */
export function nextStepsOf(appointment: Pick<TAppointment, 'channel' | 'maskedPhone'>, remindMinutes?: number) {
  const contact =
    appointment.channel === 'phone'
      ? `到预约时间，工作人员将拨打您的手机 ${appointment.maskedPhone} 进行回访，请保持电话畅通。`
      : appointment.channel === 'av'
        ? '到预约时间，请打开征纳互动，在“我的预约”中点击“进入”，工作人员将向您发起音视频邀请。'
        : '到预约时间，请打开征纳互动，在“我的预约”中点击“进入”，工作人员将在会话中为您服务。';
  return [
    `预约前${remindMinutes ? ` ${remindMinutes} 分钟` : ''}，我们会通过“我的消息”提醒您。`,
    contact,
    '如需取消或改约，请在“我的预约”中操作（须在规定时间前）。未按时参加将记为失约，多次失约将暂停预约。',
  ];
}

/** The date the strip opens on: the first with a place left, else the first open one, else the first. */
export function firstOpenDate(days: readonly { date: string; closed: boolean; slots: readonly TSlot[] }[]) {
  return (
    days.find((d) => !d.closed && d.slots.some((s) => s.bookable))?.date ??
    days.find((d) => !d.closed)?.date ??
    days[0]?.date ??
    null
  );
}
