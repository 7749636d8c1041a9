/**
 * 工单: 待受理 → 处理中 → 已办结, or 退回 with a reason; 转派 moves it to another office (and back to 待受理 there).
 * Every step is recorded (who, when, what); every change names the version it was based on, so two agents acting at
 * once cannot both win. Deadlines are statutory working days; the sweep reminds before and escalates after.
 */
import { randomBytes } from 'node:crypto';
import {
  type TCaseNotice,
  type TCaseSettings,
  type TWorkOrder,
  type TWorkOrderAction,
  type TWorkOrderDetail,
  type TWorkOrderOptions,
  type TWorkOrderPublic,
  WORK_ORDER_ACTION_LABELS,
  type ZInquiryConvert,
} from '@zhengna/contracts';
import { and, eq, inArray, isNotNull, lt, or, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { match } from 'ts-pattern';
import type { z } from 'zod';
import { type inquiries, workOrders } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { caseFilesRepo } from '../cases/case-files.repo.ts';
import { type CaseNotifier, excerpt } from '../cases/case-notify.ts';
import { casesPolicy } from '../cases/cases.policy.ts';
import { businessOfCaseType, casesRepo } from '../cases/cases.repo.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { inquiryRepo } from '../inquiry/inquiry.repo.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { addWorkingDays, cstDate, reminderTime } from '../settings/working-days.ts';
import { OPEN_STATUSES, type StepInsert, type WorkOrderRow, workOrderRepo } from './work-order.repo.ts';

type InquiryRow = typeof inquiries.$inferSelect;
type StaffRow = Awaited<ReturnType<typeof workOrderRepo.staffList>>[number];

const NOT_FOUND = () => new AppError('NOT_FOUND', '工单不存在。');
const CONFLICT = () => new AppError('VERSION_CONFLICT', '该工单已被他人更新，请刷新后再操作。');
const typeName = (s: TCaseSettings, id: string) => s.workOrderTypes.find((t) => t.id === id)?.name ?? id;

/** GD + the CST date + six random characters: readable, not a guessable sequence. */
function newNumber(now: Date): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const tail = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
  return `GD${cstDate(now).replace(/-/g, '')}${tail}`;
}

export function createWorkOrderService(deps: {
  db: Db;
  bus: EventBus;
  settings: SettingsService;
  notifyTaxpayer: CaseNotifier;
  logger: Logger;
}) {
  const { db, bus, settings, logger } = deps;

  async function toWorkOrders(rows: StaffRow[], now = new Date()): Promise<TWorkOrder[]> {
    const cs = await settings.caseSettings();
    return rows.map(({ w, ...r }) => ({
      id: w.id,
      number: w.number,
      type: w.type,
      typeName: typeName(cs, w.type),
      title: w.title,
      content: w.content,
      status: w.status,
      taxOfficeId: w.taxOfficeId,
      taxOfficeName: r.officeName,
      taxpayerName: r.taxpayerName,
      taxpayerNo: r.taxpayerNo,
      assigneeStaffId: w.assigneeStaffId,
      assigneeName: r.assigneeName,
      inquiryId: w.inquiryId,
      dueAt: w.dueAt.toISOString(),
      overdue: (OPEN_STATUSES as readonly string[]).includes(w.status) && (w.dueAt < now || w.escalatedAt !== null),
      escalated: w.escalatedAt !== null,
      result: w.result,
      version: w.version,
      createdAt: w.createdAt.toISOString(),
      updatedAt: w.updatedAt.toISOString(),
    }));
  }

  async function detailOf(row: StaffRow): Promise<TWorkOrderDetail> {
    const [base] = await toWorkOrders([row]);
    const steps = await workOrderRepo.steps(db, row.w.id);
    const offices = await casesRepo.officeNames(
      db,
      steps.flatMap(({ s }) => [s.fromOfficeId, s.toOfficeId].filter((x): x is string => !!x)),
    );
    return {
      ...(base as TWorkOrder),
      steps: steps.map(({ s, staffName }) => ({
        id: s.id,
        action: s.action,
        staffName,
        fromStatus: s.fromStatus,
        toStatus: s.toStatus,
        fromOfficeName: s.fromOfficeId ? (offices.get(s.fromOfficeId) ?? s.fromOfficeId) : null,
        toOfficeName: s.toOfficeId ? (offices.get(s.toOfficeId) ?? s.toOfficeId) : null,
        note: s.note,
        createdAt: s.createdAt.toISOString(),
      })),
      files: await caseFilesRepo.ofWorkOrder(db, row.w.id),
    };
  }

  async function staffOrder(actor: StaffActor, id: string) {
    const row = await workOrderRepo.staffOne(db, id);
    if (!row) throw NOT_FOUND();
    const scope = await casesRepo.staffScope(db, actor);
    if (!casesPolicy.staffMayAct(scope, row.w)) throw new AppError('FORBIDDEN', '该工单不属于您所在的机构或技能组。');
    return row;
  }

  const noticeOf = (w: WorkOrderRow, taxpayerName: string): TCaseNotice => ({
    caseKind: 'work_order',
    id: w.id,
    title: `${w.number} ${w.title}`,
    taxpayerName,
    dueAt: w.dueAt.toISOString(),
  });

  async function announceAssignment(w: WorkOrderRow) {
    if (!w.assigneeStaffId) return;
    const name = await workOrderRepo.taxpayerName(db, w.taxpayerId);
    bus.publish('case.assigned', { staffId: w.assigneeStaffId, notice: noticeOf(w, name) });
  }

  return {
    /** Called by 留言's convert: the order, its first step and the 留言's files, in one transaction. */
    async createFromInquiry(
      actor: StaffActor,
      inquiry: InquiryRow,
      input: z.infer<typeof ZInquiryConvert>,
      now = new Date(),
    ): Promise<TWorkOrder> {
      const cs = await settings.caseSettings();
      const type = cs.workOrderTypes.find((t) => t.id === input.type);
      if (!type) throw new AppError('VALIDATION_FAILED', '请选择有效的工单类型。', { type: '请选择有效的工单类型' });
      const target = await casesRepo.route(db, inquiry.taxOfficeId, businessOfCaseType(inquiry.type));
      const dueAt = addWorkingDays(now, type.limitDays, await settings.serviceHours());
      const created = await db.transaction(async (tx) => {
        const w = await workOrderRepo.insert(tx, {
          number: newNumber(now),
          taxpayerId: inquiry.taxpayerId,
          portalUserId: inquiry.portalUserId,
          inquiryId: inquiry.id,
          type: type.id,
          title: input.title,
          content: inquiry.content,
          phone: inquiry.phone,
          receiveBy: inquiry.receiveBy,
          taxOfficeId: inquiry.taxOfficeId,
          groupId: target.groupId,
          assigneeStaffId: target.staffId,
          dueAt,
          createdBy: actor.staffId,
        });
        if (!(await inquiryRepo.markConverted(tx, inquiry.id, w.id))) {
          throw new AppError('VERSION_CONFLICT', '该留言已处理，请刷新后查看。');
        }
        await caseFilesRepo.shareWithWorkOrder(tx, inquiry.id, w.id);
        await workOrderRepo.insertStep(tx, {
          workOrderId: w.id,
          staffId: actor.staffId,
          action: 'create',
          toStatus: 'pending',
          toOfficeId: w.taxOfficeId,
          note: input.note || `由留言转为工单（${type.name}，时限 ${type.limitDays} 个工作日）`,
        });
        return w;
      });
      logger.info({ workOrderId: created.id, number: created.number, inquiryId: inquiry.id }, 'work order created');
      await announceAssignment(created);
      const row = await workOrderRepo.staffOne(db, created.id);
      return (await toWorkOrders([row as StaffRow]))[0] as TWorkOrder;
    },

    /** Types for 转为工单 and the org tree for 转派: every agent needs them, not only those who edit the settings. */
    async options(): Promise<TWorkOrderOptions> {
      const cs = await settings.caseSettings();
      return { types: cs.workOrderTypes, offices: await casesRepo.offices(db) };
    },

    /** What the taxpayer sees: progress and result, not the staff's notes or names. */
    async getPublic(actor: TaxpayerActor, id: string): Promise<TWorkOrderPublic> {
      const row = await workOrderRepo.staffOne(db, id);
      if (!row || !casesPolicy.taxpayerOwns(actor, row.w)) throw NOT_FOUND();
      const cs = await settings.caseSettings();
      const steps = await workOrderRepo.steps(db, id);
      return {
        id: row.w.id,
        number: row.w.number,
        typeName: typeName(cs, row.w.type),
        title: row.w.title,
        status: row.w.status,
        taxOfficeName: row.officeName,
        dueAt: row.w.dueAt.toISOString(),
        result: row.w.result,
        progress: steps
          .filter(({ s }) => s.action !== 'note' && s.action !== 'remind' && s.action !== 'escalate')
          .map(({ s }) => ({
            action: s.action,
            label: WORK_ORDER_ACTION_LABELS[s.action],
            createdAt: s.createdAt.toISOString(),
          })),
      };
    },

    async staffList(actor: StaffActor, scope: 'mine' | 'office' | 'overdue', now = new Date()) {
      const s = await casesRepo.staffScope(db, actor);
      const visible = casesRepo.scopeFilter(s, workOrders);
      let where: SQL | undefined;
      if (scope === 'mine') where = eq(workOrders.assigneeStaffId, actor.staffId);
      else if (scope === 'office') where = visible;
      // escalated ones too: the sweep's clock, not the reader's, decided they were overdue
      else
        where = and(
          visible,
          inArray(workOrders.status, [...OPEN_STATUSES]),
          or(lt(workOrders.dueAt, now), isNotNull(workOrders.escalatedAt)),
        );
      return { workOrders: await toWorkOrders(await workOrderRepo.staffList(db, where), now) };
    },

    async detail(actor: StaffActor, id: string): Promise<TWorkOrderDetail> {
      return detailOf(await staffOrder(actor, id));
    },

    /** One step of the order's life, based on `version`; a stale version is a conflict. */
    async act(actor: StaffActor, id: string, action: TWorkOrderAction): Promise<TWorkOrderDetail> {
      const current = await staffOrder(actor, id);
      const w = current.w;
      if (w.version !== action.version) throw CONFLICT();
      const step: Omit<StepInsert, 'workOrderId'> = { staffId: actor.staffId, action: action.action };
      const invalid = (msg: string) => new AppError('VALIDATION_FAILED', msg);

      const plan = await match(action)
        .with({ action: 'accept' }, () => {
          if (w.status !== 'pending') throw invalid('只有待受理的工单可以受理。');
          return { set: { status: 'processing' as const, assigneeStaffId: actor.staffId }, note: '' };
        })
        .with({ action: 'note' }, (a) => {
          if (w.status === 'done') throw invalid('工单已办结，不能再添加备注。');
          return { set: {}, note: a.note };
        })
        .with({ action: 'complete' }, (a) => {
          if (w.status !== 'processing') throw invalid('请先受理该工单，再办结。');
          return { set: { status: 'done' as const, result: a.result, doneAt: new Date() }, note: a.result };
        })
        .with({ action: 'return' }, (a) => {
          if (w.status !== 'pending' && w.status !== 'processing') throw invalid('该工单当前不能退回。');
          return { set: { status: 'returned' as const, assigneeStaffId: null }, note: a.reason };
        })
        .with({ action: 'reassign' }, async (a) => {
          if (w.status === 'done') throw invalid('已办结的工单不能转派。');
          if (a.toOfficeId === w.taxOfficeId) throw invalid('请选择其他机构转派。');
          const office = await casesRepo.office(db, a.toOfficeId);
          if (!office) throw invalid('请选择有效的转派机构。');
          const target = await casesRepo.route(db, office.id, businessOfCaseType(w.type));
          step.fromOfficeId = w.taxOfficeId;
          step.toOfficeId = office.id;
          return {
            set: {
              status: 'pending' as const,
              taxOfficeId: office.id,
              groupId: target.groupId,
              assigneeStaffId: target.staffId,
            },
            note: a.reason,
          };
        })
        .exhaustive();

      const updated = await db.transaction(async (tx) => {
        const row = await workOrderRepo.updateVersioned(tx, id, action.version, plan.set);
        if (!row) throw CONFLICT();
        await workOrderRepo.insertStep(tx, {
          ...step,
          workOrderId: id,
          fromStatus: w.status,
          toStatus: row.status,
          note: plan.note,
        });
        return row;
      });
      logger.info({ workOrderId: id, action: action.action, staffId: actor.staffId }, 'work order step');

      if (action.action === 'reassign') await announceAssignment(updated);
      if (action.action === 'complete') {
        await deps.notifyTaxpayer(
          updated,
          {
            kind: 'work_order_result',
            title: `工单 ${updated.number} 已办结`,
            body: `${updated.title}\n办理结果：${updated.result ?? ''}`,
            dedupeKey: `work_order_result:${updated.id}`,
          },
          {
            template: 'work_order_result',
            vars: { number: updated.number, title: excerpt(updated.title, 20), result: excerpt(updated.result ?? '') },
          },
        );
      }
      return detailOf((await workOrderRepo.staffOne(db, id)) as StaffRow);
    },

    /**
     * The deadline sweep's part: a reminder to the assignee when `remindDaysBefore` working days are left, and an
     * escalation to the supervisors once the deadline has passed — each claimed by an atomic update, so it happens
     * once however many sweeps (nodes) run, and recorded as a step.
     */
    async remindAndEscalate(now: Date): Promise<{ reminded: number; escalated: number }> {
      const cs = await settings.caseSettings();
      const calendar = await settings.serviceHours();
      let reminded = 0;
      for (const w of await workOrderRepo.remindCandidates(db, now)) {
        const at = reminderTime(w.dueAt, cs.remindDaysBefore, calendar);
        if (!at || at > now) continue;
        const claimed = await db.transaction(async (tx) => {
          const row = await workOrderRepo.claimReminder(tx, w.id, now);
          if (row) {
            await workOrderRepo.insertStep(tx, {
              workOrderId: w.id,
              action: 'remind',
              note: `距办理时限不足 ${cs.remindDaysBefore} 个工作日（${cstDate(new Date(w.dueAt.getTime() - 1))} 到期）`,
            });
          }
          return row;
        });
        if (!claimed) continue;
        reminded++;
        const name = await workOrderRepo.taxpayerName(db, w.taxpayerId);
        bus.publish('case.alert', {
          staffIds: claimed.assigneeStaffId ? [claimed.assigneeStaffId] : [],
          supervisors: !claimed.assigneeStaffId,
          notice: { ...noticeOf(claimed, name), alert: 'remind' },
        });
      }

      const escalated = await db.transaction(async (tx) => {
        const rows = await workOrderRepo.claimOverdue(tx, now);
        for (const w of rows) {
          await workOrderRepo.insertStep(tx, {
            workOrderId: w.id,
            action: 'escalate',
            fromStatus: w.status,
            toStatus: w.status,
            note: '已超过办理时限，已提交班长督办',
          });
        }
        return rows;
      });
      for (const w of escalated) {
        logger.warn({ workOrderId: w.id, number: w.number, dueAt: w.dueAt }, 'work order overdue: escalated');
        const name = await workOrderRepo.taxpayerName(db, w.taxpayerId);
        bus.publish('case.alert', {
          staffIds: w.assigneeStaffId ? [w.assigneeStaffId] : [],
          supervisors: true,
          notice: { ...noticeOf(w, name), alert: 'escalate' },
        });
      }
      return { reminded, escalated: escalated.length };
    },
  };
}

export type WorkOrderService = ReturnType<typeof createWorkOrderService>;
