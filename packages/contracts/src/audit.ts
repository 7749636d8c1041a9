/**
 * @module audit
 * The audit log (issue #10, 审计): every staff action that reads a taxpayer's personal data or changes anything — who,
 * in which role, what, on which record, when, from where, with what result. Append-only: the database refuses to
 * change or delete an entry (a trigger), and keeps entries at least six months. Admins search it in the console
 * (审计日志): GET /api/admin/audit.
 */
import { z } from 'zod';
import { ZStaffRole } from './identity.ts';

/** What kind of action an entry records. */
export const ZAuditKind = z.enum(['read', 'change', 'login', 'reveal']);
export type TAuditKind = z.infer<typeof ZAuditKind>;
export const AUDIT_KIND_LABELS: Record<TAuditKind, string> = {
  read: '查看个人信息',
  change: '修改',
  login: '登录与退出',
  reveal: '查看完整号码',
};

/** How it ended: done, refused (no permission, bad input) or failed (server error). */
export const ZAuditResult = z.enum(['ok', 'denied', 'failed']);
export type TAuditResult = z.infer<typeof ZAuditResult>;
export const AUDIT_RESULT_LABELS: Record<TAuditResult, string> = { ok: '成功', denied: '被拒绝', failed: '失败' };

export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  staffId: z.uuid().nullable(),
  /** The staff member's name at the time (kept even if the account is renamed or removed later). */
  staffName: z.string(),
  role: ZStaffRole.nullable(),
  kind: ZAuditKind,
  /** A stable action name, e.g. `settings.handoff.update`, `conversation.message.send`, `taxpayer.read`. */
  action: z.string(),
  /** What the action touched: a table-like type and an id (`conversation`, `9f…`), when there is one. */
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: ZAuditResult,
  /** HTTP status or socket error code. */
  status: z.string(),
  ip: z.string().nullable(),
  /** Method and path (without query string) or socket event name. */
  request: z.string(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

/** GET /api/admin/audit (admins only): newest first, keyset pages (`before` = the last entry's id of a page). */
export const ZAuditQuery = z.object({
  from: z.iso.date('开始日期格式不正确').optional(),
  to: z.iso.date('结束日期格式不正确').optional(),
  staffId: z.uuid('人员编号格式不正确').optional(),
  kind: ZAuditKind.optional(),
  result: ZAuditResult.optional(),
  /** Prefix of the action name, e.g. `settings.` */
  action: z.string().trim().max(100, '操作名称不超过 100 字').optional(),
  targetId: z.string().trim().max(100).optional(),
  before: z
    .string()
    .regex(/^\d{1,19}$/, '分页参数不正确')
    .optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;
export const ZAuditPage = z.object({
  items: z.array(ZAuditEntry),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type TAuditPage = z.infer<typeof ZAuditPage>;

/** Entries are kept at least this long; AUDIT_RETENTION_DAYS may only lengthen it. */
export const AUDIT_MIN_RETENTION_DAYS = 183;

/** POST /api/workspace/conversations/:id/reveal-phone: the full number behind a masked one; each call is audited. */
export const ZRevealedPhone = z.object({ phone: z.string() });
export type TRevealedPhone = z.infer<typeof ZRevealedPhone>;
