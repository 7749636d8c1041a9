/**
 * @module identity
 * Logins, sessions and profiles: taxpayers (through the demo e-tax portal and single sign-on) and staff.
 */
import { z } from 'zod';

export const ZTaxpayerType = z.enum(['general', 'small_scale', 'individual']);
export type TTaxpayerType = z.infer<typeof ZTaxpayerType>;
export const TAXPAYER_TYPE_LABELS: Record<TTaxpayerType, string> = {
  general: '一般纳税人',
  small_scale: '小规模纳税人',
  individual: '自然人',
};

export const ZStaffRole = z.enum(['agent', 'supervisor', 'admin']);
export type TStaffRole = z.infer<typeof ZStaffRole>;
export const STAFF_ROLE_LABELS: Record<TStaffRole, string> = { agent: '坐席', supervisor: '班长', admin: '管理员' };

/** 统一社会信用代码 (18) or 纳税人识别号 (15–20), letters upper-case. */
export const ZTaxpayerNo = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{15,20}$/, '请输入 15 至 20 位的统一社会信用代码或纳税人识别号');

export const ZPortalLoginRequest = z.object({
  taxpayerNo: ZTaxpayerNo,
  password: z.string().min(1, '请输入密码').max(128, '密码过长'),
});
export type TPortalLoginRequest = z.infer<typeof ZPortalLoginRequest>;

export const ZTaxpayerProfile = z.object({
  taxpayerId: z.string(),
  taxpayerNo: z.string(),
  name: z.string(),
  type: ZTaxpayerType,
  industry: z.string(),
  region: z.string(),
  taxOfficeId: z.string(),
  taxOfficeName: z.string(),
  creditGrade: z.string(),
});
export type TTaxpayerProfile = z.infer<typeof ZTaxpayerProfile>;

/** The person logged in to the portal, the enterprise they act for now, and the others they may switch to. */
export const ZPortalMe = z.object({
  userId: z.string(),
  personName: z.string(),
  /** masked, e.g. 138****0001 */
  phone: z.string(),
  current: ZTaxpayerProfile,
  enterprises: z.array(ZTaxpayerProfile.pick({ taxpayerId: true, taxpayerNo: true, name: true, type: true })),
});
export type TPortalMe = z.infer<typeof ZPortalMe>;

export const ZSwitchEnterpriseRequest = z.object({ taxpayerId: z.uuid('请选择要切换的企业') });

/** The short-lived signed token the portal hands to the chat (single sign-on). */
export const ZChatTokenResponse = z.object({ token: z.string(), expiresInSeconds: z.number() });

export const ZChatSessionExchangeRequest = z.object({ token: z.string().min(1).max(4096) });
export const ZChatSession = z.object({
  /** Bearer token for the chat's HTTP calls (the chat runs in an iframe where cookies may be third-party). */
  accessToken: z.string(),
  expiresAt: z.iso.datetime(),
  profile: ZTaxpayerProfile,
  personName: z.string(),
});
export type TChatSession = z.infer<typeof ZChatSession>;

export const ZStaffLoginRequest = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string().min(1, '请输入密码').max(128, '密码过长'),
});
export const ZPresence = z.enum(['online', 'busy', 'away']);
export type TPresence = z.infer<typeof ZPresence>;
export const PRESENCE_LABELS: Record<TPresence, string> = { online: '在线', busy: '忙碌', away: '离开' };
export const ZSetPresenceRequest = z.object({ presence: ZPresence });

export const ZStaffMe = z.object({
  staffId: z.string(),
  username: z.string(),
  name: z.string(),
  role: ZStaffRole,
  taxOfficeId: z.string(),
  presence: ZPresence,
});
export type TStaffMe = z.infer<typeof ZStaffMe>;

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(128),
  newPassword: z
    .string()
    .min(10, '新密码至少 10 位')
    .max(128, '新密码过长')
    .regex(/[A-Za-z]/, '新密码须包含字母')
    .regex(/[0-9]/, '新密码须包含数字'),
});

/** Short-lived token a client presents in the socket handshake (`auth.token`). */
export const ZRealtimeTokenResponse = z.object({ token: z.string(), expiresInSeconds: z.number() });

export const ZOk = z.object({ ok: z.literal(true) });
