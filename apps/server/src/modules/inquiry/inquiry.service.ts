/**
 * 留言: a taxpayer leaves a question for a tax office (during bot or queue time, or after hours); it becomes a to-do
 * of that office's agents with a deadline in working days; an agent replies (in 我的消息, by SMS if chosen, and in
 * the chat if it is open) or converts it into a 工单. Overdue to-dos are escalated by the deadline sweep.
 */
import {
  maskPhone,
  type TCaseNotice,
  type TCaseSettings,
  type TInquiry,
  type TInquiryOptions,
  type TInquiryStaff,
  type TWorkOrder,
  type ZInquiryConvert,
  type ZInquirySubmit,
} from '@zhengna/contracts';
import { and, eq, isNotNull, lt, or, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { inquiries } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { caseFilesRepo } from '../cases/case-files.repo.ts';
import { type CaseNotifier, excerpt } from '../cases/case-notify.ts';
import { casesPolicy } from '../cases/cases.policy.ts';
import { businessOfCaseType, casesRepo } from '../cases/cases.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { addWorkingDays } from '../settings/working-days.ts';
import type { WorkOrderService } from '../work-order/work-order.service.ts';
import { type InquiryRow, inquiryRepo } from './inquiry.repo.ts';

const NOT_FOUND = () => new AppError('NOT_FOUND', '留言不存在。');
const typeName = (s: TCaseSettings, id: string) => s.inquiryTypes.find((t) => t.id === id)?.name ?? id;

export type InquiryDeps = {
  db: Db;
  bus: EventBus;
  settings: SettingsService;
  conversations: ConversationService;
  workOrders: WorkOrderService;
  notifyTaxpayer: CaseNotifier;
  logger: Logger;
};

export function createInquiryService(deps: InquiryDeps) {
  const { db, bus, settings, logger } = deps;

  async function toInquiries(rows: { i: InquiryRow; officeName: string }[]): Promise<TInquiry[]> {
    const cs = await settings.caseSettings();
    const files = await caseFilesRepo.ofInquiries(
      db,
      rows.map((r) => r.i.id),
    );
    return rows.map(({ i, officeName }) => ({
      id: i.id,
      taxOfficeId: i.taxOfficeId,
      taxOfficeName: officeName,
      type: i.type,
      typeName: typeName(cs, i.type),
      // stored as typed; clients render it as text
      content: i.content,
      maskedPhone: maskPhone(i.phone),
      remind: i.remind,
      receiveBy: i.receiveBy,
      status: i.status,
      reply: i.reply,
      repliedAt: i.repliedAt?.toISOString() ?? null,
      workOrderId: i.workOrderId,
      files: files.get(i.id) ?? [],
      createdAt: i.createdAt.toISOString(),
      dueAt: i.dueAt.toISOString(),
    }));
  }

  async function toStaff(
    rows: Awaited<ReturnType<typeof inquiryRepo.staffList>>,
    now = new Date(),
  ): Promise<TInquiryStaff[]> {
    const base = await toInquiries(rows);
    return rows.map((r, n) => ({
      ...(base[n] as TInquiry),
      taxpayerName: r.taxpayerName,
      taxpayerNo: r.taxpayerNo,
      assigneeStaffId: r.i.assigneeStaffId,
      assigneeName: r.assigneeName,
      overdue: r.i.status === 'pending' && (r.i.dueAt < now || r.i.escalatedAt !== null),
      escalated: r.i.escalatedAt !== null,
    }));
  }

  /** The 留言 an agent may act on (as the staff view), or why not. */
  async function staffInquiry(actor: StaffActor, id: string) {
    const row = await inquiryRepo.staffOne(db, id);
    if (!row) throw NOT_FOUND();
    const scope = await casesRepo.staffScope(db, actor);
    if (!casesPolicy.staffMayAct(scope, row.i)) throw new AppError('FORBIDDEN', '该留言不属于您所在的机构或技能组。');
    return row;
  }

  const noticeOf = (i: InquiryRow, taxpayerName: string, cs: TCaseSettings): TCaseNotice => ({
    caseKind: 'inquiry',
    id: i.id,
    title: `${typeName(cs, i.type)}：${excerpt(i.content, 30)}`,
    taxpayerName,
    dueAt: i.dueAt.toISOString(),
  });

  return {
    async options(actor: TaxpayerActor): Promise<TInquiryOptions> {
      const [cs, offices, phone, ownOffice] = await Promise.all([
        settings.caseSettings(),
        casesRepo.offices(db),
        inquiryRepo.profilePhone(db, actor.portalUserId),
        casesRepo.taxpayerOffice(db, actor.taxpayerId),
      ]);
      return {
        offices,
        defaultOfficeId: ownOffice,
        types: cs.inquiryTypes,
        contentMaxLength: cs.contentMaxLength,
        maskedPhone: maskPhone(phone),
      };
    },

    /**
     * Leaves a 留言. Idempotent by (person, clientKey): a double click or a retry returns the first one. Only the
     * form's fields are read (status, assignee, deadline are the server's).
     */
    async submit(actor: TaxpayerActor, input: z.infer<typeof ZInquirySubmit>, now = new Date()): Promise<TInquiry> {
      const earlier = await inquiryRepo.byClientKey(db, actor.portalUserId, input.clientKey);
      if (earlier) return this.get(actor, earlier.id);

      const cs = await settings.caseSettings();
      if (!cs.inquiryTypes.some((t) => t.id === input.type)) {
        throw new AppError('VALIDATION_FAILED', '请选择有效的留言类型。', { type: '请选择有效的留言类型' });
      }
      if (input.content.length > cs.contentMaxLength) {
        const msg = `留言内容最多 ${cs.contentMaxLength} 个字，请精简后再提交`;
        throw new AppError('VALIDATION_FAILED', `${msg}。`, { content: msg });
      }
      const office = await casesRepo.office(db, input.taxOfficeId);
      if (!office) throw new AppError('VALIDATION_FAILED', '请选择有效的留言机构。', { taxOfficeId: '请选择留言机构' });
      const phone = input.phone ?? (await inquiryRepo.profilePhone(db, actor.portalUserId));
      if (!/^1[3-9]\d{9}$/.test(phone)) {
        throw new AppError('VALIDATION_FAILED', '请输入正确的 11 位手机号码。', {
          phone: '请输入正确的 11 位手机号码',
        });
      }
      if (input.conversationId) {
        const owner = await inquiryRepo.conversationOwner(db, input.conversationId);
        if (!owner || owner.portalUserId !== actor.portalUserId || owner.taxpayerId !== actor.taxpayerId) {
          throw new AppError('NOT_FOUND', '会话不存在。');
        }
      }

      const calendar = await settings.serviceHours();
      const target = await casesRepo.route(db, office.id, businessOfCaseType(input.type));
      const created = await db.transaction(async (tx) => {
        const row = await inquiryRepo.insertOnce(tx, {
          taxpayerId: actor.taxpayerId,
          portalUserId: actor.portalUserId,
          conversationId: input.conversationId ?? null,
          taxOfficeId: office.id,
          type: input.type,
          content: input.content,
          phone,
          remind: input.remind,
          receiveBy: input.receiveBy,
          groupId: target.groupId,
          assigneeStaffId: target.staffId,
          dueAt: addWorkingDays(now, cs.inquirySlaDays, calendar),
          clientKey: input.clientKey,
        });
        // a concurrent double click: the other request made it
        if (!row) return undefined;
        const fileIds = [...new Set(input.fileIds)];
        const bound = await caseFilesRepo.bind(tx, actor, { inquiryId: row.id }, fileIds);
        if (bound !== fileIds.length) {
          throw new AppError('VALIDATION_FAILED', '附件不存在或已被使用，请重新上传。', { fileIds: '附件无效' });
        }
        return row;
      });
      if (!created) {
        const first = await inquiryRepo.byClientKey(db, actor.portalUserId, input.clientKey);
        if (!first) throw new AppError('INTERNAL');
        return this.get(actor, first.id);
      }
      logger.info(
        { inquiryId: created.id, office: office.id, phone: maskPhone(phone), assignee: created.assigneeStaffId },
        'inquiry submitted',
      );
      if (created.assigneeStaffId) {
        const name = await inquiryRepo.taxpayerName(db, created.taxpayerId);
        bus.publish('case.assigned', { staffId: created.assigneeStaffId, notice: noticeOf(created, name, cs) });
      }
      return this.get(actor, created.id);
    },

    async list(actor: TaxpayerActor): Promise<{ inquiries: TInquiry[] }> {
      return { inquiries: await toInquiries(await inquiryRepo.ownList(db, actor.taxpayerId)) };
    },

    async get(actor: TaxpayerActor, id: string): Promise<TInquiry> {
      const row = await inquiryRepo.byId(db, id);
      if (!row || !casesPolicy.taxpayerOwns(actor, row)) throw NOT_FOUND();
      const office = await casesRepo.office(db, row.taxOfficeId);
      const [out] = await toInquiries([{ i: row, officeName: office?.name ?? '' }]);
      return out as TInquiry;
    },

    async staffList(
      actor: StaffActor,
      scope: 'mine' | 'office' | 'overdue',
      now = new Date(),
    ): Promise<{ inquiries: TInquiryStaff[] }> {
      const s = await casesRepo.staffScope(db, actor);
      const visible = casesRepo.scopeFilter(s, inquiries);
      let where: SQL | undefined;
      if (scope === 'mine') where = eq(inquiries.assigneeStaffId, actor.staffId);
      else if (scope === 'office') where = visible;
      // escalated ones too: the sweep's clock, not the reader's, decided they were overdue
      else
        where = and(
          visible,
          eq(inquiries.status, 'pending'),
          or(lt(inquiries.dueAt, now), isNotNull(inquiries.escalatedAt)),
        );
      return { inquiries: await toStaff(await inquiryRepo.staffList(db, where), now) };
    },

    /** Answers a pending 留言: 我的消息 (and SMS if chosen), and the taxpayer's open chat if there is one. */
    async reply(actor: StaffActor, id: string, input: { reply: string }): Promise<TInquiryStaff> {
      const current = await staffInquiry(actor, id);
      const row = await inquiryRepo.reply(db, id, input.reply, actor.staffId);
      if (!row) {
        throw new AppError(
          'VERSION_CONFLICT',
          `该留言已${current.i.status === 'converted' ? '转为工单' : '处理'}，请刷新后查看。`,
        );
      }
      const officeName = current.officeName;
      await deps.notifyTaxpayer(
        row,
        {
          kind: 'inquiry_reply',
          title: `${officeName}回复了您的留言`,
          body: input.reply,
          dedupeKey: `inquiry_reply:${row.id}`,
        },
        { template: 'inquiry_reply', vars: { office: officeName, reply: excerpt(input.reply) } },
      );
      const chat =
        (row.conversationId && (await inquiryRepo.openConversation(db, row))?.id === row.conversationId
          ? { id: row.conversationId }
          : undefined) ?? (await inquiryRepo.openConversation(db, row));
      if (chat) {
        await deps.conversations
          .postAsBot(chat.id, {
            clientId: `inquiry-reply-${row.id}`,
            body: `${officeName}回复了您的留言：\n${input.reply}`,
            payload: { kind: 'inquiry_reply', inquiryId: row.id, officeName },
            senderType: 'system',
          })
          .catch((err) => logger.warn({ err, inquiryId: row.id }, 'reply could not be shown in the chat'));
      }
      const [out] = await toStaff([{ ...current, i: row }]);
      return out as TInquiryStaff;
    },

    /** Turns a pending 留言 into a 工单 (its files go with it); the taxpayer who asked for reminders is told. */
    async convert(actor: StaffActor, id: string, input: z.infer<typeof ZInquiryConvert>): Promise<TWorkOrder> {
      const current = await staffInquiry(actor, id);
      if (current.i.status !== 'pending') throw new AppError('VERSION_CONFLICT', '该留言已处理，请刷新后查看。');
      const workOrder = await deps.workOrders.createFromInquiry(actor, current.i, input);
      if (current.i.remind) {
        await deps.notifyTaxpayer(current.i, {
          kind: 'system',
          title: '您的留言已转为工单办理',
          body: `您于 ${current.i.createdAt.toISOString().slice(0, 10)} 提交的留言已转为工单 ${workOrder.number}，由${workOrder.taxOfficeName}办理，办理时限至 ${workOrder.dueAt.slice(0, 10)}。办理结果将通过您选择的方式通知您。`,
          dedupeKey: `inquiry_converted:${current.i.id}`,
        });
      }
      return workOrder;
    },

    /** The deadline sweep's part: overdue to-dos go to the supervisors, each once across all nodes. */
    async escalateOverdue(now: Date): Promise<number> {
      const claimed = await inquiryRepo.claimOverdue(db, now);
      if (claimed.length === 0) return 0;
      const cs = await settings.caseSettings();
      for (const i of claimed) {
        const name = await inquiryRepo.taxpayerName(db, i.taxpayerId);
        logger.warn({ inquiryId: i.id, dueAt: i.dueAt, assignee: i.assigneeStaffId }, 'inquiry overdue: escalated');
        bus.publish('case.alert', {
          staffIds: i.assigneeStaffId ? [i.assigneeStaffId] : [],
          supervisors: true,
          notice: { ...noticeOf(i, name, cs), alert: 'escalate' },
        });
      }
      return claimed.length;
    },
  };
}

export type InquiryService = ReturnType<typeof createInquiryService>;
