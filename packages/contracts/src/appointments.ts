/**
 * @module appointments
 * 预约互动: services with weekly schedules and slots, booking with confirmation, 我的预约 (cancel, reschedule),
 * staff's day list, start and completion, reminders and 失约 by jobs. Times travel as ISO instants; the faces show them
 * in China Standard Time (Asia/Shanghai), and dates (YYYY-MM-DD) are China Standard Time dates.
 *
 * HTTP routes (guards in brackets):
 * - [taxpayer] GET  /api/chat/appointments/services               → { services: TAppointmentService[] } (active)
 * - [taxpayer] GET  /api/chat/appointments/services/:id/slots?from=&to= → TAppointmentDays (window-limited)
 * - [taxpayer] POST /api/chat/appointments/files                  multipart → TCaseFile (bound on booking)
 * - [taxpayer] POST /api/chat/appointments                        ZAppointmentBook → TAppointment
 *                   409 SLOT_FULL "该时段已约满，请选择其他时段"; 409 when already booked in that slot; 403 when
 *                   booking is restricted after repeated no-shows (with the date it ends)
 * - [taxpayer] GET  /api/chat/appointments                        → { appointments: TAppointment[] } (我的预约)
 * - [taxpayer] POST /api/chat/appointments/:id/cancel             → TAppointment (while the rules allow)
 * - [taxpayer] POST /api/chat/appointments/:id/reschedule         ZAppointmentReschedule → TAppointment
 * - [taxpayer] POST /api/chat/appointments/:id/attend             → TAppointment (the taxpayer is here, at the slot)
 * - [agent]    GET  /api/workspace/appointments?date=&scope=mine|office → { appointments: TAppointmentStaff[] }
 * - [agent]    POST /api/workspace/appointments/:id/start         ZAppointmentStart → TAppointmentStaff
 * - [agent]    POST /api/workspace/appointments/:id/complete      ZAppointmentComplete → TAppointmentStaff
 * - [agent]    GET  /api/workspace/appointments/no-shows          → { taxpayers: TNoShowCount[] } (supervisors)
 * - [supervisor reads, admin writes] GET/POST /api/admin/appointment-services, PUT/DELETE …/:id
 *                   (PUT names the version it was based on; DELETE deactivates)
 * - [supervisor reads, admin saves] GET/PUT /api/admin/settings/appointments ZVersioned(ZAppointmentSettings)
 */
import { z } from 'zod';
import { ZCaseFile, ZMobile, ZReceiveBy } from './cases.ts';
import { WEEKDAYS } from './settings.ts';

const ZDate = z.iso.date('日期格式应为 YYYY-MM-DD');
const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:mm');
const ZSpan = z.object({ start: ZTime, end: ZTime }).refine((s) => s.start < s.end, '结束时间须晚于开始时间');

export const ZAppointmentChannel = z.enum(['text', 'av', 'phone']);
export type TAppointmentChannel = z.infer<typeof ZAppointmentChannel>;
export const APPOINTMENT_CHANNEL_LABELS: Record<TAppointmentChannel, string> = {
  text: '在线文字',
  av: '音视频',
  phone: '电话回访',
};

export const ZAppointmentSchedule = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(ZSpan).max(4)])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodArray<typeof ZSpan>
  >,
);
export type TAppointmentSchedule = z.infer<typeof ZAppointmentSchedule>;

// ── admin: services and settings ────────────────────────────────────────

export const ZAppointmentServiceInput = z
  .object({
    name: z.string().trim().min(2, '服务名称至少 2 个字').max(30, '服务名称最多 30 个字'),
    taxOfficeId: z.string().min(1, '请选择税务机关').max(32),
    business: z.enum(['invoice', 'filing', 'registration', 'general']),
    channel: ZAppointmentChannel,
    schedule: ZAppointmentSchedule,
    slotMinutes: z.number().int().min(10, '时段长度至少 10 分钟').max(240, '时段长度最多 240 分钟'),
    capacity: z.number().int().min(1, '每个时段至少 1 个名额').max(100, '每个时段最多 100 个名额'),
    minDaysAhead: z.number().int().min(0).max(30),
    maxDaysAhead: z.number().int().min(1, '可预约天数至少 1 天').max(90, '最多可提前 90 天预约'),
    cutoffMinutes: z.number().int().min(0).max(2880),
    cancelMinutes: z.number().int().min(0).max(2880),
    closedDates: z.array(ZDate).max(200).default([]),
  })
  .refine((s) => s.minDaysAhead <= s.maxDaysAhead, {
    message: '最早可约天数不能晚于最晚可约天数',
    path: ['maxDaysAhead'],
  });
export type TAppointmentServiceInput = z.input<typeof ZAppointmentServiceInput>;

export const ZAppointmentService = z.object({
  id: z.uuid(),
  name: z.string(),
  taxOfficeId: z.string(),
  taxOfficeName: z.string(),
  business: z.enum(['invoice', 'filing', 'registration', 'general']),
  channel: ZAppointmentChannel,
  schedule: ZAppointmentSchedule,
  slotMinutes: z.number().int(),
  capacity: z.number().int(),
  minDaysAhead: z.number().int(),
  maxDaysAhead: z.number().int(),
  cutoffMinutes: z.number().int(),
  cancelMinutes: z.number().int(),
  closedDates: z.array(z.string()),
  active: z.boolean(),
  version: z.number().int(),
});
export type TAppointmentService = z.infer<typeof ZAppointmentService>;
export const ZAppointmentServiceUpdate = z.object({
  value: ZAppointmentServiceInput,
  version: z.number().int(),
});

export const ZAppointmentSettings = z.object({
  /** 预约提醒 this many minutes before the slot. */
  remindMinutesBefore: z.number().int().min(5).max(2880),
  /** A booking nobody attended this many minutes after its start becomes 失约. */
  graceMinutes: z.number().int().min(5).max(240),
  /** After this many 失约 within noShowWindowDays, booking is refused for restrictDays (0 = never restrict). */
  noShowLimit: z.number().int().min(0).max(20),
  noShowWindowDays: z.number().int().min(1).max(365),
  restrictDays: z.number().int().min(1).max(365),
});
export type TAppointmentSettings = z.infer<typeof ZAppointmentSettings>;

// ── taxpayer: slots, booking, 我的预约 ───────────────────────────────────

export const ZSlotsQuery = z.object({ from: ZDate.optional(), to: ZDate.optional() });
export const ZSlot = z.object({
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  capacity: z.number().int(),
  booked: z.number().int(),
  /** 已约满 */
  full: z.boolean(),
  /** false when full, past the cut-off, or already booked by this taxpayer */
  bookable: z.boolean(),
});
export type TSlot = z.infer<typeof ZSlot>;
export const ZAppointmentDays = z.object({
  service: ZAppointmentService,
  days: z.array(z.object({ date: z.string(), closed: z.boolean(), slots: z.array(ZSlot) })),
});
export type TAppointmentDays = z.infer<typeof ZAppointmentDays>;

export const ZAppointmentBook = z.object({
  /** Chosen once per booking form: a double click or a retry books once. */
  clientKey: z.string().min(8).max(64),
  serviceId: z.uuid('请选择预约服务'),
  startsAt: z.iso.datetime('请选择预约时段'),
  /** Omitted: the profile's number. */
  phone: ZMobile.optional(),
  description: z.string().trim().min(5, '问题描述至少 5 个字').max(500, '问题描述最多 500 个字'),
  receiveBy: ZReceiveBy.default('inbox'),
  fileIds: z.array(z.uuid()).max(5, '最多上传 5 个附件').default([]),
});
export type TAppointmentBook = z.input<typeof ZAppointmentBook>;
export const ZAppointmentReschedule = z.object({ startsAt: z.iso.datetime('请选择新的预约时段') });

export const ZAppointmentStatus = z.enum(['booked', 'cancelled', 'completed', 'no_show']);
export type TAppointmentStatus = z.infer<typeof ZAppointmentStatus>;
export const APPOINTMENT_STATUS_LABELS: Record<TAppointmentStatus, string> = {
  booked: '已预约',
  cancelled: '已取消',
  completed: '已完成',
  no_show: '失约',
};

export const ZAppointment = z.object({
  id: z.uuid(),
  number: z.string(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  channel: ZAppointmentChannel,
  taxOfficeName: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  maskedPhone: z.string(),
  description: z.string(),
  receiveBy: ZReceiveBy,
  status: ZAppointmentStatus,
  /** Cancel and reschedule are allowed until this moment (the service's cancellation rule). */
  changeableUntil: z.iso.datetime(),
  canChange: z.boolean(),
  conversationId: z.uuid().nullable(),
  files: z.array(ZCaseFile),
  createdAt: z.iso.datetime(),
});
export type TAppointment = z.infer<typeof ZAppointment>;

// ── staff ──────────────────────────────────────────────────────────────

export const ZAppointmentStaffQuery = z.object({
  date: ZDate.optional(),
  scope: z.enum(['mine', 'office']).default('office'),
});
export const ZAppointmentStaff = ZAppointment.extend({
  taxpayerName: z.string(),
  taxpayerNo: z.string(),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  startedMode: z.enum(['chat', 'av', 'phone']).nullable(),
  attended: z.boolean(),
  /** How many 失约 this taxpayer has in the configured window. */
  noShows: z.number().int(),
});
export type TAppointmentStaff = z.infer<typeof ZAppointmentStaff>;
export const ZAppointmentStart = z.object({
  /** chat: a conversation with the taxpayer; av: the same, to invite to a call; phone: a call-back record. */
  mode: z.enum(['chat', 'av', 'phone']),
  note: z.string().trim().max(500).default(''),
});
export const ZAppointmentComplete = z.object({ note: z.string().trim().max(1000).default('') });
export const ZNoShowCount = z.object({
  taxpayerName: z.string(),
  taxpayerNo: z.string(),
  noShows: z.number().int(),
  restrictedUntil: z.iso.datetime().nullable(),
});
export type TNoShowCount = z.infer<typeof ZNoShowCount>;
