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
  /** The password expired: only changing it works until then. */
  mustChangePassword: z.boolean().optional(),
  /** An administrator who must set up the second factor before anything else works. */
  mustEnrolTotp: z.boolean().optional(),
  totpEnabled: z.boolean().optional(),
});
export type TStaffMe = z.infer<typeof ZStaffMe>;

/** Length, complexity and expiry are the password policy's (settings), checked by the server with its Chinese words. */
export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(128),
  newPassword: z.string().min(1, '请输入新密码').max(128, '新密码过长'),
});

/** 账号安全 settings: the staff password policy and whether administrators must use a second factor. */
export const ZSecuritySettings = z.object({
  passwordMinLength: z.number().int().min(8, '密码最短长度不能少于 8 位').max(64, '密码最短长度不能超过 64 位'),
  /** 0 = passwords never expire. */
  passwordExpiryDays: z.number().int().min(0, '密码有效期不能为负数').max(3650, '密码有效期不能超过 3650 天'),
  /** 管理员必须启用双因素认证. */
  requireAdminTotp: z.boolean(),
});
export type TSecuritySettings = z.infer<typeof ZSecuritySettings>;
export const DEFAULT_SECURITY_SETTINGS: TSecuritySettings = {
  passwordMinLength: 10,
  passwordExpiryDays: 90,
  requireAdminTotp: false,
};

const PASSWORD_CLASSES = [
  { label: '大写字母', test: /[A-Z]/ },
  { label: '小写字母', test: /[a-z]/ },
  { label: '数字', test: /[0-9]/ },
  { label: '符号', test: /[^A-Za-z0-9]/ },
] as const;

/**
 * What a new password lacks under the policy (at least `minLength` characters, 3 of the 4 character classes), in
 * Chinese; an empty list when it is acceptable.
 */
export function passwordProblems(password: string, minLength: number): string[] {
  const problems: string[] = [];
  if (password.length < minLength) problems.push(`新密码至少 ${minLength} 位（当前 ${password.length} 位）`);
  const missing = PASSWORD_CLASSES.filter((c) => !c.test.test(password)).map((c) => c.label);
  if (missing.length > 1) {
    problems.push(`新密码须包含大写字母、小写字母、数字、符号中的至少 3 类，当前缺少：${missing.join('、')}`);
  }
  return problems;
}

/** A staff login either signs in, or (second factor enabled) asks for the authenticator's code. */
export const ZStaffTotpChallenge = z.object({ needsTotp: z.literal(true), challenge: z.string() });
export type TStaffTotpChallenge = z.infer<typeof ZStaffTotpChallenge>;

export const ZTotpCode = z
  .string()
  .trim()
  .regex(/^[0-9]{6}$/, '请输入验证器上显示的 6 位数字动态验证码');
export const ZTotpCodeRequest = z.object({ code: ZTotpCode });
export const ZStaffLoginTotpRequest = z.object({ challenge: z.string().min(1).max(2048), code: ZTotpCode });

/** A second factor being set up: the shared secret (Base32, for typing in) and the otpauth:// URI. */
export const ZTotpSetupResponse = z.object({ secret: z.string(), uri: z.string() });
export type TTotpSetupResponse = z.infer<typeof ZTotpSetupResponse>;

export const ZStaffLoginResponse = z.union([ZStaffTotpChallenge, ZStaffMe]);

/** Short-lived token a client presents in the socket handshake (`auth.token`). */
export const ZRealtimeTokenResponse = z.object({ token: z.string(), expiresInSeconds: z.number() });

export const ZOk = z.object({ ok: z.literal(true) });
