import { STAFF_ROLE_LABELS, type TStaffRole, type TUpdateStaffRequest } from '@zhengna/contracts';
import type { StaffListQuery, TStaffAccount } from './api/accounts-api.ts';

export const ROLE_OPTIONS = (Object.keys(STAFF_ROLE_LABELS) as TStaffRole[]).map((value) => ({
  value,
  label: STAFF_ROLE_LABELS[value],
}));

export type StatusFilter = 'active' | 'inactive';
export const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: '启用' },
  { value: 'inactive', label: '停用' },
];

/** The list's filters as the controls hold them (undefined: any). */
export interface StaffFilters {
  q: string;
  role?: TStaffRole;
  officeId?: string;
  status?: StatusFilter;
}

/** The request for a page of the list: the text trimmed, empty filters left out. */
export function staffListQuery(f: StaffFilters, page: number): StaffListQuery {
  const q = f.q.trim();
  return {
    page,
    ...(q ? { q } : {}),
    ...(f.role ? { role: f.role } : {}),
    ...(f.officeId ? { officeId: f.officeId } : {}),
    ...(f.status ? { active: f.status === 'active' } : {}),
  };
}

export interface AccountTag {
  label: string;
  color: string;
}

/** What the status column shows: 启用/停用, and what else an administrator should notice. */
export function accountTags(a: TStaffAccount): AccountTag[] {
  const tags: AccountTag[] = [a.active ? { label: '启用', color: 'green' } : { label: '停用', color: 'default' }];
  if (a.mustChangePassword) tags.push({ label: '待修改密码', color: 'orange' });
  if (a.locked) tags.push({ label: '已锁定', color: 'red' });
  if (a.totpEnabled) tags.push({ label: '双因素', color: 'blue' });
  return tags;
}

export interface AccountFormValues {
  name: string;
  role: TStaffRole;
  officeId: string;
  maxConcurrent: number | null;
  active: boolean;
}

export function accountFormValuesOf(a: TStaffAccount): AccountFormValues {
  return { name: a.name, role: a.role, officeId: a.officeId, maxConcurrent: a.maxConcurrent, active: a.active };
}

/** The edit as PUT /api/admin/staff/:id takes it, based on the version the dialog was opened with. */
export function accountUpdateOf(a: TStaffAccount, v: AccountFormValues): TUpdateStaffRequest {
  return {
    version: a.version,
    name: v.name.trim(),
    role: v.role,
    officeId: v.officeId,
    active: v.active,
    ...(v.maxConcurrent === null ? {} : { maxConcurrent: v.maxConcurrent }),
  };
}

/** 停用 / 启用 from the row: everything else as it is. */
export function toggledActive(a: TStaffAccount): TUpdateStaffRequest {
  return accountUpdateOf(a, { ...accountFormValuesOf(a), active: !a.active });
}

export interface RowActions {
  resetPassword: boolean;
  forceLogout: boolean;
  toggleActive: boolean;
}

/**
 * What an administrator may do from an account's row. Their own account: only 编辑 (the server refuses the rest:
 * they change their own password in 账号安全 and may not lock themselves out).
 */
export function rowActions(a: TStaffAccount, myStaffId: string): RowActions {
  const self = a.id === myStaffId;
  return { resetPassword: !self, forceLogout: !self && a.active, toggleActive: !self };
}
