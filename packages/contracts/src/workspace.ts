/**
 * @module workspace
 * The agent workspace beyond the chat itself: queue and board, assignment and transfer, ending with a rating,
 * private notes, canned replies, knowledge search and the taxpayer card.
 */
import { z } from 'zod';
import { ZHandoffReason } from './assistant.ts';
import { ZPresence, ZStaffRole, ZTaxpayerProfile } from './identity.ts';

export const ZQueuedConversation = z.object({
  conversationId: z.uuid(),
  groupId: z.string(),
  groupName: z.string(),
  taxpayerName: z.string(),
  personName: z.string(),
  reason: ZHandoffReason.nullable(),
  queuedAt: z.iso.datetime(),
  waitingSeconds: z.number().int(),
});
export type TQueuedConversation = z.infer<typeof ZQueuedConversation>;
export const ZQueue = z.object({ queued: z.array(ZQueuedConversation) });

export const ZAgentLoad = z.object({
  staffId: z.uuid(),
  name: z.string(),
  role: ZStaffRole,
  presence: ZPresence,
  load: z.number().int(),
  maxConcurrent: z.number().int(),
});
export const ZBoard = z.object({
  groups: z.array(
    z.object({
      groupId: z.string(),
      name: z.string(),
      waiting: z.number().int(),
      longestWaitSeconds: z.number().int(),
      agentsOnline: z.number().int(),
    }),
  ),
  agents: z.array(ZAgentLoad),
});
export type TBoard = z.infer<typeof ZBoard>;

/** Supervisor: give a conversation to an agent (or take it over: staffId = self). */
export const ZAssignRequest = z.object({ staffId: z.uuid('请选择坐席') });

/** Hand the conversation to a colleague or back to a group's queue, with a note for whoever takes it. */
export const ZTransferRequest = z
  .object({
    toStaffId: z.uuid().optional(),
    toGroupId: z.string().max(64).optional(),
    note: z.string().trim().max(500, '转接说明不超过 500 字').default(''),
  })
  .refine((v) => Boolean(v.toStaffId) !== Boolean(v.toGroupId), '请选择转接给一位坐席或一个技能组');

export const ZEndConversationRequest = z.object({ note: z.string().max(500).default('') });

/** 满意度: 1–5 and an optional comment, once per conversation. */
export const ZRatingRequest = z.object({
  score: z.number().int().min(1, '请选择 1 到 5 分').max(5, '请选择 1 到 5 分'),
  comment: z.string().trim().max(500, '评价内容不超过 500 字').default(''),
});

export const ZCannedReply = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  /** Personal replies belong to one agent; shared ones (null) to everyone. */
  shared: z.boolean(),
});
export type TCannedReply = z.infer<typeof ZCannedReply>;
export const ZCannedReplyInput = z.object({
  title: z.string().trim().min(1, '请填写标题').max(40, '标题不超过 40 字'),
  body: z.string().trim().min(1, '请填写内容').max(2000, '内容不超过 2000 字'),
  /** Only supervisors and admins may create shared replies. */
  shared: z.boolean().default(false),
});

export const ZKnowledgeSearchQuery = z.object({ q: z.string().trim().min(1, '请输入要搜索的问题').max(200) });
export const ZKnowledgeHit = z.object({
  entryId: z.string(),
  question: z.string(),
  answer: z.string(),
  score: z.number(),
});

export const ZTaxpayerCard = z.object({
  profile: ZTaxpayerProfile,
  personName: z.string(),
  /** masked */
  phone: z.string(),
  /** The portal page the chat was opened from. */
  page: z.string().nullable(),
  handoffReason: ZHandoffReason.nullable(),
  earlier: z.array(
    z.object({
      conversationId: z.uuid(),
      createdAt: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
      rating: z.number().int().nullable(),
    }),
  ),
});
export type TTaxpayerCard = z.infer<typeof ZTaxpayerCard>;

// ── admin: skill groups (routing) ────────────────────────────────────────
export const ZBusiness = z.enum(['invoice', 'filing', 'registration', 'general']);
export const BUSINESS_LABELS: Record<z.infer<typeof ZBusiness>, string> = {
  invoice: '发票业务',
  filing: '申报业务',
  registration: '登记业务',
  general: '综合咨询',
};
export const ZSkillGroupInput = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, '编号只能包含小写字母、数字和连字符'),
  name: z.string().trim().min(1, '请填写名称').max(40, '名称不超过 40 字'),
  business: ZBusiness,
  /** null: the whole province. */
  taxOfficeId: z.string().max(32).nullable(),
  fallbackGroupId: z.string().max(64).nullable(),
  overflowAfterSeconds: z.number().int().min(30, '溢出等待时间至少 30 秒').max(3600, '溢出等待时间不超过 1 小时'),
});
export const ZSkillGroup = ZSkillGroupInput.extend({
  members: z.array(z.object({ staffId: z.uuid(), name: z.string() })),
});
export type TSkillGroup = z.infer<typeof ZSkillGroup>;
export const ZSetMembersRequest = z.object({ staffIds: z.array(z.uuid()).max(500) });
export const ZSetCapacityRequest = z.object({
  maxConcurrent: z.number().int().min(0, '同时服务上限不能小于 0').max(50, '同时服务上限不超过 50'),
});
export const ZTaxOffice = z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() });

/** The answer to the 转人工 button: where the request stands now. */
export const ZHandoffResponse = z.object({
  ok: z.literal(true),
  status: z.enum(['queued', 'assigned', 'unavailable', 'closed', 'recorded']),
});
