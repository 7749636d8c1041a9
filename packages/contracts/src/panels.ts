/**
 * @module panels
 * The chat's side panels: 热点推荐, 问答套餐, 我的消息 (inbox), 快捷入口.
 */
import { z } from 'zod';
import { ZCandidateQuestion, ZDocumentRef } from './assistant.ts';

// ── 热点推荐 ────────────────────────────────────────────────────────────
/** Which portal page the chat was opened from, as the embed reports it. */
export const ZPortalPage = z.enum(['home', 'account', 'invoice', 'other']);
export type TPortalPage = z.infer<typeof ZPortalPage>;
export const ZRecommendationsQuery = z.object({ page: ZPortalPage.default('other') });
export const ZRecommendations = z.object({
  questions: z.array(ZCandidateQuestion),
  documents: z.array(ZDocumentRef),
});
export type TRecommendations = z.infer<typeof ZRecommendations>;

// ── 问答套餐 ────────────────────────────────────────────────────────────
export const ZQaPackage = z.object({
  topicId: z.string(),
  name: z.string(),
  description: z.string(),
  /** How often its questions were answered or clicked: the ranking. */
  asked: z.number().int(),
  questionCount: z.number().int(),
});
export type TQaPackage = z.infer<typeof ZQaPackage>;
export const ZQaPackageList = z.object({ packages: z.array(ZQaPackage) });
export const ZTopicParam = z.object({ topicId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '专题编号格式不正确') });

// ── 我的消息 ────────────────────────────────────────────────────────────
export const ZInboxKind = z.enum([
  'push',
  'work_order_result',
  'inquiry_reply',
  'appointment_success',
  'appointment_reminder',
  'appointment_cancelled',
  'appointment_no_show',
  'system',
]);
export type TInboxKind = z.infer<typeof ZInboxKind>;
export const INBOX_KIND_LABELS: Record<TInboxKind, string> = {
  push: '精准推送',
  work_order_result: '工单办理结果',
  inquiry_reply: '留言回复',
  appointment_success: '预约成功',
  appointment_reminder: '预约提醒',
  appointment_cancelled: '预约取消',
  appointment_no_show: '预约失约',
  system: '系统消息',
};
export const ZInboxItem = z.object({
  id: z.uuid(),
  kind: ZInboxKind,
  title: z.string(),
  /** Markdown, rendered safely. */
  body: z.string(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type TInboxItem = z.infer<typeof ZInboxItem>;
export const ZInboxQuery = z.object({
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  unreadOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const ZInboxPage = z.object({ items: z.array(ZInboxItem), unread: z.number().int(), hasMore: z.boolean() });
export type TInboxPage = z.infer<typeof ZInboxPage>;
export const ZInboxUnread = z.object({ unread: z.number().int() });

// ── 快捷入口 ────────────────────────────────────────────────────────────
export const ZShortcut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  url: z.string(),
  /** Where the link opens: a new tab, or the portal page hosting the chat. */
  openIn: z.enum(['new_tab', 'parent']),
});
export type TShortcut = z.infer<typeof ZShortcut>;
export const ZShortcuts = z.object({ catalog: z.array(ZShortcut), mine: z.array(ZShortcut) });
export const ZSetShortcutsRequest = z.object({
  ids: z.array(z.string().max(64)).max(20, '快捷入口最多 20 个'),
});
/** Admin: an entry of the catalogue. Links must be http(s) or a path on the portal. */
export const ZShortcutInput = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, '编号只能包含小写字母、数字和连字符'),
  name: z.string().trim().min(1, '请填写名称').max(20, '名称不超过 20 字'),
  description: z.string().max(100, '说明不超过 100 字').default(''),
  url: z
    .string()
    .trim()
    .max(500)
    .refine((u) => /^https?:\/\//.test(u) || /^\/(?!\/)/.test(u), '链接须以 http://、https:// 或 / 开头'),
  openIn: z.enum(['new_tab', 'parent']).default('new_tab'),
  position: z.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});
