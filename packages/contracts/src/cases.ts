/**
 * @module cases
 * 留言 (a question left for a tax office), 工单 (a work order with a statutory time limit), the SMS outbox and
 * 精准推送 (precise push). The server validates with these schemas; the widget, the workspace and the admin console
 * parse with them.
 *
 * HTTP routes (guards in brackets):
 * - [taxpayer] GET  /api/chat/inquiries/options            → TInquiryOptions (offices, types, prefilled masked phone)
 * - [taxpayer] POST /api/chat/inquiries/files              multipart → TCaseFile (bound on submit)
 * - [taxpayer] POST /api/chat/inquiries                    ZInquirySubmit → TInquiry (idempotent by clientKey)
 * - [taxpayer] GET  /api/chat/inquiries                    → { inquiries: TInquiry[] } (own enterprise, newest first)
 * - [taxpayer] GET  /api/chat/inquiries/:id                → TInquiry
 * - [taxpayer] GET  /api/chat/work-orders/:id              → TWorkOrderPublic (progress and result)
 * - [taxpayer] GET  /api/chat/case-files/:id               the file (own cases only)
 * - [agent]    GET  /api/workspace/inquiries?scope=mine|office|overdue → { inquiries: TInquiryStaff[] }
 * - [agent]    POST /api/workspace/inquiries/:id/reply     ZInquiryReply → TInquiryStaff
 * - [agent]    POST /api/workspace/inquiries/:id/convert   ZInquiryConvert → TWorkOrder
 * - [agent]    GET  /api/workspace/work-orders?scope=mine|office|overdue → { workOrders: TWorkOrder[] }
 * - [agent]    GET  /api/workspace/work-orders/options     → TWorkOrderOptions (types for 转为工单, offices for 转派)
 * - [agent]    GET  /api/workspace/work-orders/:id         → TWorkOrderDetail (with steps and files)
 * - [agent]    POST /api/workspace/work-orders/:id/actions ZWorkOrderAction → TWorkOrderDetail (version-checked)
 * - [agent]    GET  /api/workspace/case-files/:id          the file
 * - [supervisor reads, admin saves] GET/PUT /api/admin/settings/cases ZVersioned(ZCaseSettings)
 * - [admin]    GET  /api/admin/sms/outbox                  → { messages: TSmsOutboxItem[] } (phones masked)
 * - [admin]    GET/POST /api/admin/pushes, POST /api/admin/pushes/preview, POST /api/admin/pushes/:id/send,
 *              POST /api/admin/pushes/:id/cancel, GET /api/admin/pushes/:id
 * - [admin]    GET  /api/admin/pushes/options              → TPushOptions (values for the audience rules)
 */
import { z } from 'zod';

// ── shared pieces ───────────────────────────────────────────────────────

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const ZMobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请输入正确的 11 位手机号码');
export const ZReceiveBy = z.enum(['inbox', 'sms', 'both']);
export type TReceiveBy = z.infer<typeof ZReceiveBy>;
export const RECEIVE_BY_LABELS: Record<TReceiveBy, string> = {
  inbox: '站内消息',
  sms: '短信',
  both: '站内消息和短信',
};

export const ZCaseFile = z.object({
  id: z.uuid(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
});
export type TCaseFile = z.infer<typeof ZCaseFile>;

const ZId = z.uuid('编号格式不正确');
export const ZCaseIdParam = z.object({ id: ZId });

// ── settings: 留言类型, SLA, 工单类型 and time limits, SMS templates ───────────

export const ZCaseType = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,32}$/, '类型编号只能包含小写字母、数字、下划线和连字符'),
  name: z.string().trim().min(1, '请填写类型名称').max(20, '类型名称最多 20 个字'),
});
export const ZWorkOrderType = ZCaseType.extend({
  /** Statutory time limit in working days (weekends and holidays of the service calendar do not count). */
  limitDays: z.number().int().min(1, '办理时限至少 1 个工作日').max(60, '办理时限最多 60 个工作日'),
});
export const ZSmsTemplate = z.object({
  /** `{name}` placeholders are filled from the sender's variables. */
  text: z.string().trim().min(1, '请填写短信内容').max(200, '短信内容最多 200 个字'),
  /** The provider's template code (real drivers); empty for the outbox driver. */
  providerCode: z.string().max(64).default(''),
});
export const SMS_TEMPLATE_KEYS = ['inquiry_reply', 'work_order_result', 'push', 'appointment_success'] as const;
export type TSmsTemplateKey = (typeof SMS_TEMPLATE_KEYS)[number];

export const ZCaseSettings = z.object({
  inquiryTypes: z.array(ZCaseType).min(1, '至少保留一个留言类型').max(30),
  /** 留言 must be answered within this many working days, else it is escalated to the supervisor. */
  inquirySlaDays: z.number().int().min(1).max(30),
  contentMaxLength: z.number().int().min(50).max(2000),
  workOrderTypes: z.array(ZWorkOrderType).min(1, '至少保留一个工单类型').max(30),
  /** A reminder goes to the assignee this many working days before the deadline. */
  remindDaysBefore: z.number().int().min(0).max(10),
  smsTemplates: z.object(
    Object.fromEntries(SMS_TEMPLATE_KEYS.map((k) => [k, ZSmsTemplate])) as Record<TSmsTemplateKey, typeof ZSmsTemplate>,
  ),
});
export type TCaseSettings = z.infer<typeof ZCaseSettings>;

// ── 留言 (taxpayer) ───────────────────────────────────────────────────────

export const ZInquiryStatus = z.enum(['pending', 'replied', 'converted', 'closed']);
export type TInquiryStatus = z.infer<typeof ZInquiryStatus>;
export const INQUIRY_STATUS_LABELS: Record<TInquiryStatus, string> = {
  pending: '待处理',
  replied: '已回复',
  converted: '已转工单',
  closed: '已关闭',
};

export const ZInquiryOptions = z.object({
  offices: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })),
  defaultOfficeId: z.string(),
  types: z.array(ZCaseType),
  contentMaxLength: z.number().int(),
  /** The profile's mobile, masked; submitting without `phone` uses the profile's number. */
  maskedPhone: z.string(),
});
export type TInquiryOptions = z.infer<typeof ZInquiryOptions>;

export const ZInquirySubmit = z.object({
  /** Chosen by the client once per form: a double click or a retry makes one 留言. */
  clientKey: z.string().min(8).max(64),
  taxOfficeId: z.string().min(1, '请选择留言机构').max(32),
  type: z.string().min(1, '请选择留言类型').max(32),
  content: z.string().trim().min(5, '留言内容至少 5 个字'),
  /** Omitted: the profile's number. */
  phone: ZMobile.optional(),
  remind: z.boolean().default(false),
  receiveBy: ZReceiveBy,
  fileIds: z.array(ZId).max(5, '最多上传 5 个附件').default([]),
  conversationId: ZId.optional(),
});
export type TInquirySubmit = z.input<typeof ZInquirySubmit>;

export const ZInquiry = z.object({
  id: z.uuid(),
  taxOfficeId: z.string(),
  taxOfficeName: z.string(),
  type: z.string(),
  typeName: z.string(),
  content: z.string(),
  /** Always masked when shown back. */
  maskedPhone: z.string(),
  remind: z.boolean(),
  receiveBy: ZReceiveBy,
  status: ZInquiryStatus,
  reply: z.string().nullable(),
  repliedAt: z.iso.datetime().nullable(),
  workOrderId: z.uuid().nullable(),
  files: z.array(ZCaseFile),
  createdAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
});
export type TInquiry = z.infer<typeof ZInquiry>;

// ── 留言 (staff) ──────────────────────────────────────────────────────────

export const ZInquiryStaff = ZInquiry.extend({
  taxpayerName: z.string(),
  taxpayerNo: z.string(),
  assigneeStaffId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  overdue: z.boolean(),
  escalated: z.boolean(),
});
export type TInquiryStaff = z.infer<typeof ZInquiryStaff>;
export const ZCaseListQuery = z.object({ scope: z.enum(['mine', 'office', 'overdue']).default('mine') });
export const ZInquiryReply = z.object({
  reply: z.string().trim().min(1, '请填写回复内容').max(2000, '回复最多 2000 字'),
});
export const ZInquiryConvert = z.object({
  type: z.string().min(1, '请选择工单类型').max(32),
  title: z.string().trim().min(1, '请填写工单标题').max(60, '工单标题最多 60 字'),
  note: z.string().trim().max(500).default(''),
});

// ── 工单 ────────────────────────────────────────────────────────────────

export const ZWorkOrderStatus = z.enum(['pending', 'processing', 'done', 'returned']);
export type TWorkOrderStatus = z.infer<typeof ZWorkOrderStatus>;
export const WORK_ORDER_STATUS_LABELS: Record<TWorkOrderStatus, string> = {
  pending: '待受理',
  processing: '处理中',
  done: '已办结',
  returned: '已退回',
};
export const ZWorkOrderStepAction = z.enum([
  'create',
  'accept',
  'process',
  'complete',
  'return',
  'reassign',
  'remind',
  'escalate',
  'note',
]);
export const WORK_ORDER_ACTION_LABELS: Record<z.infer<typeof ZWorkOrderStepAction>, string> = {
  create: '创建工单',
  accept: '受理',
  process: '办理',
  complete: '办结',
  return: '退回',
  reassign: '转派',
  remind: '到期提醒',
  escalate: '超期升级',
  note: '备注',
};

export const ZWorkOrder = z.object({
  id: z.uuid(),
  number: z.string(),
  type: z.string(),
  typeName: z.string(),
  title: z.string(),
  content: z.string(),
  status: ZWorkOrderStatus,
  taxOfficeId: z.string(),
  taxOfficeName: z.string(),
  taxpayerName: z.string(),
  taxpayerNo: z.string(),
  assigneeStaffId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  inquiryId: z.uuid().nullable(),
  dueAt: z.iso.datetime(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  result: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TWorkOrder = z.infer<typeof ZWorkOrder>;

/** What an agent needs to create (转为工单) or reassign (转派) a work order. */
export const ZWorkOrderOptions = z.object({
  types: z.array(ZWorkOrderType),
  offices: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })),
});
export type TWorkOrderOptions = z.infer<typeof ZWorkOrderOptions>;

export const ZWorkOrderStep = z.object({
  id: z.uuid(),
  action: ZWorkOrderStepAction,
  staffName: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  fromOfficeName: z.string().nullable(),
  toOfficeName: z.string().nullable(),
  note: z.string(),
  createdAt: z.iso.datetime(),
});
export const ZWorkOrderDetail = ZWorkOrder.extend({ steps: z.array(ZWorkOrderStep), files: z.array(ZCaseFile) });
export type TWorkOrderDetail = z.infer<typeof ZWorkOrderDetail>;

/** What the taxpayer sees of a work order: its progress and result, not the staff's notes. */
export const ZWorkOrderPublic = z.object({
  id: z.uuid(),
  number: z.string(),
  typeName: z.string(),
  title: z.string(),
  status: ZWorkOrderStatus,
  taxOfficeName: z.string(),
  dueAt: z.iso.datetime(),
  result: z.string().nullable(),
  progress: z.array(z.object({ action: ZWorkOrderStepAction, label: z.string(), createdAt: z.iso.datetime() })),
});
export type TWorkOrderPublic = z.infer<typeof ZWorkOrderPublic>;

const ZReason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(500, '原因最多 500 字');
export const ZWorkOrderAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), version: z.number().int() }),
  z.object({ action: z.literal('note'), version: z.number().int(), note: z.string().trim().min(1).max(500) }),
  z.object({
    action: z.literal('complete'),
    version: z.number().int(),
    result: z.string().trim().min(2, '请填写办理结果').max(2000, '办理结果最多 2000 字'),
  }),
  z.object({ action: z.literal('return'), version: z.number().int(), reason: ZReason }),
  z.object({
    action: z.literal('reassign'),
    version: z.number().int(),
    toOfficeId: z.string().min(1, '请选择转派机构').max(32),
    reason: ZReason,
  }),
]);
export type TWorkOrderAction = z.infer<typeof ZWorkOrderAction>;

// ── SMS outbox ──────────────────────────────────────────────────────────

export const ZSmsOutboxItem = z.object({
  id: z.uuid(),
  maskedPhone: z.string(),
  template: z.string(),
  content: z.string(),
  driver: z.string(),
  status: z.enum(['stored', 'sent', 'failed']),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type TSmsOutboxItem = z.infer<typeof ZSmsOutboxItem>;

// ── 精准推送 ─────────────────────────────────────────────────────────────

export const ZPushAudience = z.union([
  z.object({
    kind: z.literal('rules'),
    /** Each list empty = any. A taxpayer matches when every non-empty list contains its value. */
    types: z
      .array(z.enum(['general', 'small_scale', 'individual']))
      .max(3)
      .default([]),
    industries: z.array(z.string().max(40)).max(50).default([]),
    regions: z.array(z.string().max(40)).max(50).default([]),
    taxOfficeIds: z.array(z.string().max(32)).max(200).default([]),
    creditGrades: z
      .array(z.enum(['A', 'B', 'M', 'C', 'D']))
      .max(5)
      .default([]),
  }),
  z.object({
    kind: z.literal('list'),
    taxpayerNos: z
      .array(z.string().regex(/^[0-9A-Z]{15,20}$/, '纳税人识别号格式不正确'))
      .min(1, '名单不能为空')
      .max(100_000, '名单最多 100000 个纳税人'),
  }),
]);
export type TPushAudience = z.infer<typeof ZPushAudience>;

export const ZPushDraft = z.object({
  title: z.string().trim().min(1, '请填写标题').max(60, '标题最多 60 字'),
  /** Safe Markdown (rendered without HTML). */
  content: z.string().trim().min(1, '请填写内容').max(5000, '内容最多 5000 字'),
  link: z
    .string()
    .trim()
    .max(500)
    .refine((v) => v === '' || /^(https?:\/\/|\/)/.test(v), '链接须以 http://、https:// 或 / 开头')
    .default(''),
  audience: ZPushAudience,
  recommend: z.boolean().default(false),
  /** Omitted: send when 发送 is pressed. */
  scheduledAt: z.iso.datetime().optional(),
});
export type TPushDraft = z.input<typeof ZPushDraft>;

export const ZPushStatus = z.enum(['draft', 'scheduled', 'sending', 'sent', 'cancelled']);
export const PUSH_STATUS_LABELS: Record<z.infer<typeof ZPushStatus>, string> = {
  draft: '草稿',
  scheduled: '待发送',
  sending: '发送中',
  sent: '已发送',
  cancelled: '已取消',
};
export const ZPush = z.object({
  id: z.uuid(),
  title: z.string(),
  content: z.string(),
  link: z.string().nullable(),
  /** In GET /api/admin/pushes a list audience carries only its first numbers; `listSize` says how many it has. */
  audience: ZPushAudience,
  listSize: z.number().int().optional(),
  recommend: z.boolean(),
  status: ZPushStatus,
  scheduledAt: z.iso.datetime().nullable(),
  recipients: z.number().int().nullable(),
  delivered: z.number().int(),
  read: z.number().int(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type TPush = z.infer<typeof ZPush>;
export const ZPushPreview = z.object({
  /** Taxpayers (enterprises) the audience selects. */
  matching: z.number().int(),
  /** Inbox deliveries: one per person acting for each matching taxpayer. */
  recipients: z.number().int().default(0),
  /** A few matching taxpayers' names. */
  sample: z.array(z.string()),
  /** A list audience: numbers that name no taxpayer (count, and the first few). */
  unknown: z.number().int().default(0),
  unknownSample: z.array(z.string()).default([]),
});
export type TPushPreview = z.infer<typeof ZPushPreview>;
export const ZPushPreviewRequest = z.object({ audience: ZPushAudience });
/** What the audience rules can choose from (values present among taxpayers). */
export const ZPushOptions = z.object({
  industries: z.array(z.string()),
  regions: z.array(z.string()),
  taxOffices: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type TPushOptions = z.infer<typeof ZPushOptions>;
