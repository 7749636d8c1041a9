/**
 * 预约: a taxpayer books a slot of a service (the last place goes to exactly one of two racers: a guarded counter in
 * the booking's transaction), sees it under 我的预约, cancels or reschedules while the service's rule allows, and checks
 * in at the slot. Notices go to 我的消息 (and SMS when chosen). Repeated 失约 restrict booking for a while.
 */

import { randomBytes } from 'node:crypto';
import {
  maskPhone,
  type TAppointment,
  type TAppointmentDays,
  type TAppointmentService,
  type TAppointmentSettings,
  type TSlot,
  type ZAppointmentBook,
} from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { appointments } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import { caseFilesRepo } from '../cases/case-files.repo.ts';
import type { CaseNotifier } from '../cases/case-notify.ts';
import { casesPolicy } from '../cases/cases.policy.ts';
import type { TaxpayerActor } from '../identity/identity.types.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { cstDate } from '../settings/working-days.ts';
import { type AppointmentRow, type AppointmentView, appointmentRepo, isUniqueViolation } from './appointment.repo.ts';
import { toService } from './appointment-admin.service.ts';
import {
  bookingWindow,
  type CalendarService,
  checkBookable,
  cstLabel,
  cstStartOf,
  isClosed,
  minutesBefore,
  shiftDate,
  slotsOfDay,
} from './appointment-calendar.ts';

const NOT_FOUND = () => new AppError('NOT_FOUND', '预约不存在。');
const SERVICE_NOT_FOUND = () => new AppError('NOT_FOUND', '预约服务不存在或已停用。');
const DAY_MS = 86_400_000;
/** At most this many days per slots request (the window is at most 90). */
const MAX_DAYS = 92;
/** 签到 opens this long before the slot. */
const ATTEND_EARLY_MINUTES = 30;

/** YY + the CST date + six random characters: readable, not a guessable sequence. */
function newNumber(now: Date): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const tail = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
  return `YY${cstDate(now).replace(/-/g, '')}${tail}`;
}

export type AppointmentDeps = {
  db: Db;
  settings: SettingsService;
  notifyTaxpayer: CaseNotifier;
  logger: Logger;
};

/** Until when (if at all) repeated 失约 keep this taxpayer from booking. */
export async function restrictionOf(
  db: Db,
  rules: TAppointmentSettings,
  taxpayerId: string,
  now: Date,
): Promise<{ noShows: number; restrictedUntil: Date | null }> {
  const since = new Date(now.getTime() - rules.noShowWindowDays * DAY_MS);
  const [stats] = await appointmentRepo.noShowStats(db, [taxpayerId], since);
  return { noShows: stats?.n ?? 0, restrictedUntil: stats ? restrictedUntil(rules, stats.n, stats.last) : null };
}

export function restrictedUntil(rules: TAppointmentSettings, noShows: number, last: Date): Date | null {
  if (rules.noShowLimit === 0 || noShows < rules.noShowLimit) return null;
  return new Date(last.getTime() + rules.restrictDays * DAY_MS);
}

export function toAppointment(v: AppointmentView, files: TAppointment['files'], now: Date): TAppointment {
  const until = minutesBefore(v.a.startsAt, v.cancelMinutes);
  return {
    id: v.a.id,
    number: v.a.number,
    serviceId: v.a.serviceId,
    serviceName: v.serviceName,
    channel: v.channel,
    taxOfficeName: v.taxOfficeName,
    startsAt: v.a.startsAt.toISOString(),
    endsAt: v.a.endsAt.toISOString(),
    maskedPhone: maskPhone(v.a.phone),
    description: v.a.description,
    receiveBy: v.a.receiveBy,
    status: v.a.status,
    changeableUntil: until.toISOString(),
    canChange: v.a.status === 'booked' && now.getTime() <= until.getTime(),
    conversationId: v.a.conversationId,
    files,
    createdAt: v.a.createdAt.toISOString(),
  };
}

export function createAppointmentService(deps: AppointmentDeps) {
  const { db, settings, logger } = deps;

  async function activeService(id: string) {
    const row = await appointmentRepo.service(db, id);
    if (!row?.s.active) throw SERVICE_NOT_FOUND();
    const service = toService(row.s, row.officeName);
    return { row: { ...row.s, schedule: service.schedule }, service };
  }

  const holidays = async () => (await settings.serviceHours()).holidays;

  async function mine(actor: TaxpayerActor, id: string) {
    const v = await appointmentRepo.one(db, id);
    if (!v || !casesPolicy.taxpayerOwns(actor, v.a)) throw NOT_FOUND();
    return v;
  }

  async function view(id: string, now: Date): Promise<TAppointment> {
    const v = await appointmentRepo.one(db, id);
    if (!v) throw NOT_FOUND();
    const files = await caseFilesRepo.ofAppointments(db, [id]);
    return toAppointment(v, files.get(id) ?? [], now);
  }

  async function ensureNotRestricted(actor: TaxpayerActor, now: Date) {
    const r = await restrictionOf(db, await settings.appointmentSettings(), actor.taxpayerId, now);
    if (r.restrictedUntil && r.restrictedUntil > now) {
      throw new AppError(
        'FORBIDDEN',
        `您近期已失约 ${r.noShows} 次，${cstDate(r.restrictedUntil)} 前暂不能预约。如有需要，请通过在线咨询或留言联系我们。`,
      );
    }
  }

  /** The slot a booking wants, checked against the calendar and the clock; its row made if new. */
  async function plannedSlot(s: CalendarService & { id: string; capacity: number }, startsAt: Date, now: Date) {
    const check = checkBookable(s, await holidays(), startsAt, now);
    if (!check.ok) throw new AppError('VALIDATION_FAILED', check.reason, { startsAt: check.reason });
    return check.slot;
  }

  function changeAllowed(v: AppointmentView, now: Date) {
    if (v.a.status !== 'booked') {
      throw new AppError('VERSION_CONFLICT', '该预约已结束或已取消，不能再修改。');
    }
    const until = minutesBefore(v.a.startsAt, v.cancelMinutes);
    if (now > until) {
      throw new AppError(
        'VERSION_CONFLICT',
        `预约开始前 ${v.cancelMinutes} 分钟内不能取消或改约（截止 ${cstLabel(until)}）。`,
      );
    }
  }

  return {
    async services(_actor: TaxpayerActor): Promise<{ services: TAppointmentService[] }> {
      return { services: (await appointmentRepo.services(db, true)).map((r) => toService(r.s, r.officeName)) };
    },

    /** The service's days in the booking window (clamped to it), each slot with its places and bookability. */
    async slots(
      actor: TaxpayerActor,
      serviceId: string,
      q: { from?: string | undefined; to?: string | undefined },
      now = new Date(),
    ): Promise<TAppointmentDays> {
      const { row, service } = await activeService(serviceId);
      const window = bookingWindow(row, now);
      const from = q.from && q.from > window.from ? q.from : window.from;
      let to = q.to && q.to < window.to ? q.to : window.to;
      if (to > shiftDate(from, MAX_DAYS - 1)) to = shiftDate(from, MAX_DAYS - 1);
      if (from > to) return { service, days: [] };
      const start = cstStartOf(from);
      const end = cstStartOf(shiftDate(to, 1));
      const [rows, own, closedOn] = await Promise.all([
        appointmentRepo.slotsBetween(db, serviceId, start, end),
        appointmentRepo.ownBookedStarts(db, actor.taxpayerId, serviceId, start, end),
        holidays(),
      ]);
      const stored = new Map(rows.map((r) => [r.startsAt.getTime(), r]));
      const ownStarts = new Set(own.map((o) => o.startsAt.getTime()));
      const days: TAppointmentDays['days'] = [];
      for (let date = from; date <= to; date = shiftDate(date, 1)) {
        const closed = isClosed(date, row, closedOn);
        const slots: TSlot[] = closed
          ? []
          : slotsOfDay(row, date).map((p) => {
              const r = stored.get(p.startsAt.getTime());
              const capacity = r?.capacity ?? row.capacity;
              const booked = r?.booked ?? 0;
              const full = booked >= capacity;
              const open = now <= minutesBefore(p.startsAt, row.cutoffMinutes);
              return {
                startsAt: p.startsAt.toISOString(),
                endsAt: p.endsAt.toISOString(),
                capacity,
                booked,
                full,
                bookable: !full && open && !ownStarts.has(p.startsAt.getTime()),
              };
            });
        days.push({ date, closed: closed || slots.length === 0, slots });
      }
      return { service, days };
    },

    /**
     * Books a slot. Idempotent by (person, clientKey). The place is taken by a guarded increment inside the
     * transaction that inserts the booking, so a failed insert (the same taxpayer twice) gives the place back.
     */
    async book(
      actor: TaxpayerActor,
      input: z.output<typeof ZAppointmentBook>,
      now = new Date(),
    ): Promise<TAppointment> {
      const earlier = await appointmentRepo.byClientKey(db, actor.portalUserId, input.clientKey);
      if (earlier) return view(earlier.id, now);
      await ensureNotRestricted(actor, now);
      const { row: service } = await activeService(input.serviceId);
      const planned = await plannedSlot(service, new Date(input.startsAt), now);
      const phone = input.phone ?? (await appointmentRepo.profilePhone(db, actor.portalUserId));
      if (!/^1[3-9]\d{9}$/.test(phone)) {
        throw new AppError('VALIDATION_FAILED', '请输入正确的 11 位手机号码。', {
          phone: '请输入正确的 11 位手机号码',
        });
      }
      const slot = await appointmentRepo.ensureSlot(db, {
        serviceId: service.id,
        ...planned,
        capacity: service.capacity,
      });
      if (await appointmentRepo.bookedInSlot(db, slot.id, actor.taxpayerId)) throw new AppError('ALREADY_BOOKED');

      let created: AppointmentRow | undefined;
      try {
        created = await db.transaction(async (tx) => {
          if (!(await appointmentRepo.takePlace(tx, slot.id))) throw new AppError('SLOT_FULL');
          const row = await appointmentRepo.insertOnce(tx, {
            number: newNumber(now),
            serviceId: service.id,
            slotId: slot.id,
            taxpayerId: actor.taxpayerId,
            portalUserId: actor.portalUserId,
            startsAt: planned.startsAt,
            endsAt: planned.endsAt,
            phone,
            description: input.description,
            receiveBy: input.receiveBy,
            clientKey: input.clientKey,
          });
          if (!row) throw new AppError('INTERNAL');
          const fileIds = [...new Set(input.fileIds)];
          const bound = await caseFilesRepo.bind(tx, actor, { appointmentId: row.id }, fileIds);
          if (bound !== fileIds.length) {
            throw new AppError('VALIDATION_FAILED', '附件不存在或已被使用，请重新上传。', { fileIds: '附件无效' });
          }
          return row;
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // a concurrent double click (same key) made it, or the same taxpayer booked this slot meanwhile
        const first = await appointmentRepo.byClientKey(db, actor.portalUserId, input.clientKey);
        if (first) return view(first.id, now);
        throw new AppError('ALREADY_BOOKED');
      }
      logger.info(
        { appointmentId: created.id, serviceId: service.id, startsAt: planned.startsAt, phone: maskPhone(phone) },
        'appointment booked',
      );
      const when = cstLabel(planned.startsAt);
      await deps.notifyTaxpayer(
        created,
        {
          kind: 'appointment_success',
          title: `预约成功：${service.name}`,
          body: `您已成功预约${when}的${service.name}（预约号 ${created.number}）。请在预约时段打开征纳互动，坐席将通过${channelWords(service.channel)}为您服务。如需取消或改约，请在开始前 ${service.cancelMinutes} 分钟前于“我的预约”中办理。`,
          dedupeKey: `appointment_success:${created.id}`,
        },
        { template: 'appointment_success', vars: { time: when, service: service.name } },
      );
      return view(created.id, now);
    },

    async list(actor: TaxpayerActor, now = new Date()): Promise<{ appointments: TAppointment[] }> {
      const rows = await appointmentRepo.list(db, eq(appointments.taxpayerId, actor.taxpayerId), 'desc');
      const files = await caseFilesRepo.ofAppointments(
        db,
        rows.map((r) => r.a.id),
      );
      return { appointments: rows.map((r) => toAppointment(r, files.get(r.a.id) ?? [], now)) };
    },

    async cancel(actor: TaxpayerActor, id: string, now = new Date()): Promise<TAppointment> {
      const v = await mine(actor, id);
      changeAllowed(v, now);
      const done = await db.transaction(async (tx) => {
        const row = await appointmentRepo.transition(tx, id, { status: 'cancelled', cancelledAt: now });
        if (row) await appointmentRepo.freePlace(tx, row.slotId);
        return row;
      });
      if (!done) throw new AppError('VERSION_CONFLICT', '该预约已结束或已取消，不能再修改。');
      await deps.notifyTaxpayer(done, {
        kind: 'appointment_cancelled',
        title: `预约已取消：${v.serviceName}`,
        body: `您预约的${cstLabel(done.startsAt)}${v.serviceName}（预约号 ${done.number}）已取消，名额已释放。`,
        dedupeKey: `appointment_cancelled:${done.id}`,
      });
      return view(id, now);
    },

    /** Moves the booking to another slot of its service: the new place taken and the old one given back at once. */
    async reschedule(actor: TaxpayerActor, id: string, input: { startsAt: string }, now = new Date()) {
      const v = await mine(actor, id);
      changeAllowed(v, now);
      const { row: service } = await activeService(v.a.serviceId);
      const planned = await plannedSlot(service, new Date(input.startsAt), now);
      if (planned.startsAt.getTime() === v.a.startsAt.getTime()) {
        throw new AppError('VALIDATION_FAILED', '新时段与原预约时段相同，请选择其他时段。');
      }
      const slot = await appointmentRepo.ensureSlot(db, {
        serviceId: service.id,
        ...planned,
        capacity: service.capacity,
      });
      if (await appointmentRepo.bookedInSlot(db, slot.id, actor.taxpayerId)) throw new AppError('ALREADY_BOOKED');
      try {
        await db.transaction(async (tx) => {
          if (!(await appointmentRepo.takePlace(tx, slot.id))) throw new AppError('SLOT_FULL');
          const moved = await appointmentRepo.move(tx, id, v.a.slotId, { slotId: slot.id, ...planned });
          if (!moved) throw new AppError('VERSION_CONFLICT', '该预约已被修改，请刷新后再试。');
          await appointmentRepo.freePlace(tx, v.a.slotId);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('ALREADY_BOOKED');
        throw err;
      }
      await deps.notifyTaxpayer(
        { ...v.a },
        {
          kind: 'appointment_success',
          title: `改约成功：${v.serviceName}`,
          body: `您的预约（预约号 ${v.a.number}）已由${cstLabel(v.a.startsAt)}改至${cstLabel(planned.startsAt)}。`,
          dedupeKey: `appointment_moved:${id}:${planned.startsAt.getTime()}`,
        },
        { template: 'appointment_success', vars: { time: cstLabel(planned.startsAt), service: v.serviceName } },
      );
      return view(id, now);
    },

    /** 签到: the taxpayer is here for the slot (from a little before it until it ends). */
    async attend(actor: TaxpayerActor, id: string, now = new Date()): Promise<TAppointment> {
      const v = await mine(actor, id);
      if (v.a.status !== 'booked') throw new AppError('VERSION_CONFLICT', '该预约已结束或已取消。');
      if (now < minutesBefore(v.a.startsAt, ATTEND_EARLY_MINUTES) || now > v.a.endsAt) {
        throw new AppError(
          'VALIDATION_FAILED',
          `请在预约时段内签到（${cstLabel(minutesBefore(v.a.startsAt, ATTEND_EARLY_MINUTES))} 起）。`,
        );
      }
      if (!v.a.attendedAt) await appointmentRepo.transition(db, id, { attendedAt: now });
      return view(id, now);
    },

    /** The taxpayer wrote in the conversation an agent started from their booking: they came. */
    attendByMessage: (conversationId: string, at: Date) => appointmentRepo.attendByConversation(db, conversationId, at),
  };
}

export const channelWords = (c: 'text' | 'av' | 'phone') =>
  c === 'av' ? '音视频' : c === 'phone' ? '电话回访' : '在线文字';

export type AppointmentService = ReturnType<typeof createAppointmentService>;
