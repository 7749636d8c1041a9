/**
 * @module organization
 * The console's 组织与人员: staff accounts (人员账号) and the tax-office tree (税务机关). Kept out of identity.ts so
 * the taxpayer's widget, which imports that module, does not carry these schemas in its first load.
 */
import { z } from 'zod';
import { ZPresence, ZStaffRole } from './identity.ts';

// ── admin: 组织与人员 → 人员账号 and 税务机关 ─────────────────────────────

/** Login names: letters, digits and `._-`; compared as stored (the login form trims but keeps case). */
export const ZStaffUsername = z
  .string()
  .trim()
  .min(3, '用户名至少 3 位')
  .max(64, '用户名不超过 64 位')
  .regex(/^[A-Za-z0-9._-]+$/, '用户名只能包含字母、数字、点（.）、下划线（_）和连字符（-）');
export const ZStaffName = z.string().trim().min(1, '请填写姓名').max(40, '姓名不超过 40 字');
/** A tax office's code (机关代码): letters, digits and hyphens. */
export const ZTaxOfficeCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{1,32}$/, '机关代码只能包含字母、数字和连字符，不超过 32 位');
export const ZTaxOfficeName = z.string().trim().min(1, '请填写机关名称').max(60, '机关名称不超过 60 字');
/** The edit a change was based on: a stale one is refused (VERSION_CONFLICT). */
export const ZRecordVersion = z.number().int().min(1, '版本号不正确');

/** A staff account as the console lists it: never a password hash or a second-factor secret. */
export const ZStaffAccount = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  role: ZStaffRole,
  officeId: z.string(),
  officeName: z.string(),
  active: z.boolean(),
  /** Signs in with a temporary password and must choose a new one first. */
  mustChangePassword: z.boolean(),
  /** Locked after repeated wrong passwords (until a reset or the lock runs out). */
  locked: z.boolean(),
  totpEnabled: z.boolean(),
  presence: ZPresence,
  maxConcurrent: z.number().int(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});
export type TStaffAccount = z.infer<typeof ZStaffAccount>;

export const STAFF_PAGE_SIZE = 20;
/** `GET /api/admin/staff` query: text search in username and name, filters, 1-based page of STAFF_PAGE_SIZE. */
export const ZStaffAccountQuery = z.object({
  q: z.string().trim().max(64, '搜索内容不超过 64 字').optional(),
  role: ZStaffRole.optional(),
  officeId: ZTaxOfficeCode.optional(),
  active: z
    .enum(['true', 'false'], '状态只能是 true 或 false')
    .transform((v) => v === 'true')
    .optional(),
  page: z.coerce.number().int('页码不正确').min(1, '页码不正确').max(100_000, '页码不正确').default(1),
});
export type TStaffAccountQuery = z.input<typeof ZStaffAccountQuery>;
export const ZStaffAccountPage = z.object({
  items: z.array(ZStaffAccount),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TStaffAccountPage = z.infer<typeof ZStaffAccountPage>;

export const ZCreateStaffRequest = z.object({
  username: ZStaffUsername,
  name: ZStaffName,
  role: ZStaffRole,
  officeId: ZTaxOfficeCode,
});
export type TCreateStaffRequest = z.infer<typeof ZCreateStaffRequest>;

export const ZUpdateStaffRequest = z.object({
  version: ZRecordVersion,
  name: ZStaffName,
  role: ZStaffRole,
  officeId: ZTaxOfficeCode,
  active: z.boolean(),
  /** The same bounds as 同时服务上限 (坐席 page); omitted keeps the current cap. */
  maxConcurrent: z.number().int().min(0, '同时服务上限不能小于 0').max(50, '同时服务上限不超过 50').optional(),
});
export type TUpdateStaffRequest = z.infer<typeof ZUpdateStaffRequest>;

/** A new or reset account: the temporary password is shown this once and never stored in clear. */
export const ZTemporaryPasswordResponse = z.object({ account: ZStaffAccount, temporaryPassword: z.string() });
export type TTemporaryPasswordResponse = z.infer<typeof ZTemporaryPasswordResponse>;

/** A tax office as the 税务机关 editor sees it (with the version its edits are based on). */
export const ZTaxOfficeRecord = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  version: z.number().int(),
});
export type TTaxOfficeRecord = z.infer<typeof ZTaxOfficeRecord>;
export const ZCreateTaxOfficeRequest = z.object({
  id: ZTaxOfficeCode,
  name: ZTaxOfficeName,
  /** Omitted or null: a top-level office. */
  parentId: ZTaxOfficeCode.nullable().optional(),
});
export type TCreateTaxOfficeRequest = z.infer<typeof ZCreateTaxOfficeRequest>;
export const ZUpdateTaxOfficeRequest = z.object({
  version: ZRecordVersion,
  name: ZTaxOfficeName,
  parentId: ZTaxOfficeCode.nullable(),
});
export type TUpdateTaxOfficeRequest = z.infer<typeof ZUpdateTaxOfficeRequest>;
export const ZTaxOfficeParams = z.object({ id: ZTaxOfficeCode });
export const ZDeleteTaxOfficeQuery = z.object({
  version: z.coerce.number().int('版本号不正确').min(1, '版本号不正确'),
});
