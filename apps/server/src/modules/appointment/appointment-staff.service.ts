/**
 * 预约 for staff: the day's bookings per office and agent, starting the interaction from a booking (a conversation
 * with the taxpayer, an A/V invitation due in it, or a phone call-back record), 已完成, supervisors' 失约 counts — and
 * the sweep (reminders before the slot, 失约 after the grace period), each row claimed by one atomic update so that
 * any number of nodes act on it once.
 */
import type { TAppointmentStaff, TNoShowCount } from '@zhengna/contracts';
import { and, eq, gte, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appointmentServices, appointments } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { caseFilesRepo } from '../cases/case-files.repo.ts';
import type { CaseNotifier } from '../cases/case-notify.ts';
import { casesPolicy } from '../cases/cases.policy.ts';
import { casesRepo } from '../cases/cases.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { cstDate } from '../settings/working-days.ts';
import { type AppointmentView, appointmentRepo } from './appointment.repo.ts';
import { channelWords, restrictedUntil, toAppointment } from './appointment.service.ts';
import { cstLabel, cstStartOf, shiftDate } from './appointment-calendar.ts';

const DAY_MS = 86_400_000;
const NOT_FOUND = () => new AppError('NOT_FOUND', '预约不存在。');

export function createAppointmentStaffService(deps: {
  db: Db;
  bus: EventBus;
  settings: SettingsService;
  conversations: ConversationService;
  notifyTaxpayer: CaseNotifier;
  logger: Logger;
}) {
  const { db, bus, settings, conversations, logger } = deps;

  async function toStaff(rows: AppointmentView[], now: Date): Promise<TAppointmentStaff[]> {
    const rules = await settings.appointmentSettings();
    const since = new Date(now.getTime() - rules.noShowWindowDays * DAY_MS);
    const ids = [...new Set(rows.map((r) => r.a.taxpayerId))];
    const [files, stats] = await Promise.all([
      caseFilesRepo.ofAppointments(
        db,
        rows.map((r) => r.a.id),
      ),
      ids.length ? appointmentRepo.noShowStats(db, ids, since) : Promise.resolve([]),
    ]);
    const noShows = new Map(stats.map((s) => [s.taxpayerId, s.n]));
    return rows.map((r) => ({
      ...toAppointment(r, files.get(r.a.id) ?? [], now),
      taxpayerName: r.taxpayerName,
      taxpayerNo: r.taxpayerNo,
      staffId: r.a.staffId,
      staffName: r.staffName,
      startedMode: r.a.startedMode,
      attended: r.a.attendedAt !== null,
      noShows: noShows.get(r.a.taxpayerId) ?? 0,
    }));
  }

  /** The booking an agent may act on: their office's service, or theirs; supervisors any. */
  async function mayAct(actor: StaffActor, id: string) {
    const v = await appointmentRepo.one(db, id);
    if (!v) throw NOT_FOUND();
    const scope = await casesRepo.staffScope(db, actor);
    const ok = casesPolicy.staffMayAct(scope, {
      taxpayerId: v.a.taxpayerId,
      taxOfficeId: v.taxOfficeId,
      groupId: null,
      assigneeStaffId: v.a.staffId,
    });
    if (!ok) throw new AppError('FORBIDDEN', '该预约不属于您所在的税务机关。');
    return v;
  }

  const one = async (id: string, now: Date) => {
    const v = await appointmentRepo.one(db, id);
    if (!v) throw NOT_FOUND();
    return (await toStaff([v], now))[0] as TAppointmentStaff;
  };

  /** Only the agent who took it (or a supervisor) continues a started booking. */
  const notOthers = (actor: StaffActor): SQL | undefined =>
    actor.role === 'agent' ? or(eq(appointments.staffId, actor.staffId), isNull(appointments.staffId)) : undefined;

  /** Opens (or reuses) the taxpayer's conversation, gives it to the agent and tells the taxpayer who serves them. */
  async function openChat(actor: StaffActor, v: AppointmentView, mode: 'chat' | 'av', note: string) {
    const who = { portalUserId: v.a.portalUserId, taxpayerId: v.a.taxpayerId };
    const conv =
      (await appointmentRepo.openConversation(db, who)) ??
      (await appointmentRepo.createConversation(db, who)) ??
      (await appointmentRepo.openConversation(db, who));
    if (!conv) throw new AppError('INTERNAL');
    if (!(await appointmentRepo.takeConversation(db, conv.id, actor.staffId))) {
      throw new AppError('VERSION_CONFLICT', '该纳税人正在与其他坐席会话，请稍后再开始。');
    }
    const av = mode === 'av' ? '坐席将向您发起音视频邀请，请留意接听。' : '请在此与坐席沟通。';
    await conversations.postAsBot(
      conv.id,
      {
        clientId: `appointment-start-${v.a.id}`,
        body: `您预约的${v.serviceName}服务已开始，坐席${actor.name}为您服务。${av}`,
        payload: { kind: 'agent_joined', agentName: actor.name },
        senderType: 'system',
      },
      { id: conv.id, ...who },
    );
    if (mode === 'av' || note) {
      // the A/V invitation itself comes with the call feature; the agent's timeline records that it is due
      await conversations.send(actor, {
        conversationId: conv.id,
        clientId: `appointment-note-${v.a.id}`,
        body: `【预约 ${v.a.number}】${mode === 'av' ? '待发起音视频邀请。' : ''}${note}`,
        attachmentIds: [],
        private: true,
      });
    }
    bus.publish('conversation.assigned', {
      staffId: actor.staffId,
      conversationId: conv.id,
      taxpayerName: v.taxpayerName,
      reason: null,
    });
    return conv.id;
  }

  return {
    /** The day's bookings (CST date): the agent's own, or their office's (supervisors: all offices). */
    async day(
      actor: StaffActor,
      q: { date?: string | undefined; scope: 'mine' | 'office' },
      now = new Date(),
    ): Promise<{ appointments: TAppointmentStaff[] }> {
      const date = q.date ?? cstDate(now);
      const inDay = and(
        gte(appointments.startsAt, cstStartOf(date)),
        lt(appointments.startsAt, cstStartOf(shiftDate(date, 1))),
      );
      let who: SQL | undefined;
      if (q.scope === 'mine') who = eq(appointments.staffId, actor.staffId);
      else if (actor.role === 'agent') {
        const office = await appointmentRepo.staffOffice(db, actor.staffId);
        who = or(eq(appointmentServices.taxOfficeId, office), eq(appointments.staffId, actor.staffId));
      }
      return { appointments: await toStaff(await appointmentRepo.list(db, and(inDay, who)), now) };
    },

    async start(
      actor: StaffActor,
      id: string,
      input: { mode: 'chat' | 'av' | 'phone'; note: string },
      now = new Date(),
    ): Promise<TAppointmentStaff> {
      const v = await mayAct(actor, id);
      if (v.a.status !== 'booked') throw new AppError('VERSION_CONFLICT', '该预约已结束或已取消。');
      if (actor.role === 'agent' && v.a.staffId && v.a.staffId !== actor.staffId) {
        throw new AppError('VERSION_CONFLICT', `该预约已由坐席${v.staffName ?? ''}接待。`);
      }
      // claim first, so two agents pressing 开始 at once do not both open chats
      const claimed = await appointmentRepo.transition(
        db,
        id,
        { staffId: actor.staffId, startedAt: v.a.startedAt ?? now, startedMode: input.mode },
        notOthers(actor),
      );
      if (!claimed) throw new AppError('VERSION_CONFLICT', '该预约已被其他坐席接待，请刷新后查看。');
      if (input.mode !== 'phone') {
        let conversationId: string;
        try {
          conversationId = await openChat(actor, v, input.mode, input.note);
        } catch (err) {
          // the chat could not be opened (another agent serves the taxpayer): the booking is as it was before
          await appointmentRepo.transition(db, id, {
            staffId: v.a.staffId,
            startedAt: v.a.startedAt,
            startedMode: v.a.startedMode,
          });
          throw err;
        }
        await appointmentRepo.transition(db, id, { conversationId });
      } else if (input.note) {
        await appointmentRepo.transition(db, id, { completedNote: `电话回访：${input.note}` });
      }
      logger.info({ appointmentId: id, staffId: actor.staffId, mode: input.mode }, 'appointment started');
      return one(id, now);
    },

    async complete(actor: StaffActor, id: string, input: { note: string }, now = new Date()) {
      const v = await mayAct(actor, id);
      if (v.a.status !== 'booked') throw new AppError('VERSION_CONFLICT', '该预约已结束或已取消。');
      if (!v.a.startedAt) throw new AppError('VALIDATION_FAILED', '请先开始服务，再标记已完成。');
      const note = [v.a.completedNote, input.note].filter(Boolean).join('\n');
      const done = await appointmentRepo.transition(
        db,
        id,
        {
          status: 'completed',
          completedAt: now,
          completedNote: note,
          // a phone call-back that was completed reached the taxpayer
          ...(v.a.startedMode === 'phone' && !v.a.attendedAt ? { attendedAt: now } : {}),
        },
        notOthers(actor),
      );
      if (!done) throw new AppError('VERSION_CONFLICT', '该预约已被他人处理，请刷新后查看。');
      return one(id, now);
    },

    /** Supervisors: taxpayers with 失约 in the window, and until when they are restricted. */
    async noShows(actor: StaffActor, now = new Date()): Promise<{ taxpayers: TNoShowCount[] }> {
      if (!casesPolicy.seesAll(actor)) throw new AppError('FORBIDDEN', '只有班长和管理员可以查看失约统计。');
      const rules = await settings.appointmentSettings();
      const since = new Date(now.getTime() - rules.noShowWindowDays * DAY_MS);
      const stats = await appointmentRepo.noShowStats(db, null, since);
      return {
        taxpayers: stats.map((s) => {
          const until = restrictedUntil(rules, s.n, s.last);
          return {
            taxpayerName: s.taxpayerName,
            taxpayerNo: s.taxpayerNo,
            noShows: s.n,
            restrictedUntil: until && until > now ? until.toISOString() : null,
          };
        }),
      };
    },

    /** The sweep's part: 预约提醒 before the slot, 失约 after the grace period. */
    async sweep(now: Date = new Date()): Promise<{ reminded: number; noShows: number }> {
      const rules = await settings.appointmentSettings();
      const reminded = await appointmentRepo.claimReminders(db, now, rules.remindMinutesBefore);
      for (const a of reminded) {
        const v = await appointmentRepo.one(db, a.id);
        if (!v) continue;
        await deps.notifyTaxpayer(a, {
          kind: 'appointment_reminder',
          title: `预约提醒：${v.serviceName}`,
          body: `您预约的${v.serviceName}将于${cstLabel(a.startsAt)}开始（预约号 ${a.number}），请届时打开征纳互动，坐席将通过${channelWords(v.channel)}为您服务。`,
          dedupeKey: `appointment_reminder:${a.id}:${a.startsAt.getTime()}`,
        });
      }
      const missed = await appointmentRepo.claimNoShows(db, now, rules.graceMinutes);
      const since = new Date(now.getTime() - rules.noShowWindowDays * DAY_MS);
      for (const a of missed) {
        const v = await appointmentRepo.one(db, a.id);
        if (!v) continue;
        const [stats] = await appointmentRepo.noShowStats(db, [a.taxpayerId], since);
        const until = stats ? restrictedUntil(rules, stats.n, stats.last) : null;
        const restriction = until
          ? `您近 ${rules.noShowWindowDays} 天内已失约 ${stats?.n} 次，${cstDate(until)} 前将暂停预约服务。`
          : '';
        logger.info({ appointmentId: a.id, taxpayerId: a.taxpayerId }, 'appointment no-show');
        await deps.notifyTaxpayer(a, {
          kind: 'appointment_no_show',
          title: `预约失约：${v.serviceName}`,
          body: `您预约的${cstLabel(a.startsAt)}${v.serviceName}（预约号 ${a.number}）未按时参加，已记为失约。${restriction}如仍需办理，请重新预约。`,
          dedupeKey: `appointment_no_show:${a.id}`,
        });
      }
      return { reminded: reminded.length, noShows: missed.length };
    },
  };
}

export type AppointmentStaffService = ReturnType<typeof createAppointmentStaffService>;
