import {
  type TCreateStaffRequest,
  type TCreateTaxOfficeRequest,
  type TStaffAccount,
  type TStaffAccountPage,
  type TTaxOfficeRecord,
  type TTemporaryPasswordResponse,
  type TUpdateStaffRequest,
  type TUpdateTaxOfficeRequest,
  ZStaffAccount,
  ZStaffAccountPage,
  ZTaxOfficeRecord,
  ZTemporaryPasswordResponse,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export type { TStaffAccount, TTaxOfficeRecord, TTemporaryPasswordResponse } from '@zhengna/contracts';

/** The list's query as the page keeps it: empty means "any". */
export interface StaffListQuery {
  q?: string;
  role?: TStaffAccount['role'];
  officeId?: string;
  active?: boolean;
  page: number;
}

export async function fetchStaffAccounts(query: StaffListQuery): Promise<TStaffAccountPage> {
  return apiRequest('/api/admin/staff', {
    schema: ZStaffAccountPage,
    query: {
      q: query.q || undefined,
      role: query.role,
      officeId: query.officeId,
      active: query.active === undefined ? undefined : String(query.active),
      page: query.page,
    },
  });
}

/** A new account; the answer holds its temporary password, shown once. */
export async function createStaffAccount(input: TCreateStaffRequest): Promise<TTemporaryPasswordResponse> {
  return apiRequest('/api/admin/staff', { method: 'POST', body: input, schema: ZTemporaryPasswordResponse });
}

/** Refused with VERSION_CONFLICT (409) when someone saved the account since `input.version`. */
export async function updateStaffAccount(id: string, input: TUpdateStaffRequest): Promise<TStaffAccount> {
  return apiRequest(`/api/admin/staff/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: input,
    schema: ZStaffAccount,
  });
}

/** 重置密码: a new temporary password, shown once; the person's sessions end. */
export async function resetStaffPassword(id: string): Promise<TTemporaryPasswordResponse> {
  return apiRequest(`/api/admin/staff/${encodeURIComponent(id)}/reset-password`, {
    method: 'POST',
    body: {},
    schema: ZTemporaryPasswordResponse,
  });
}

/** Every office with the version its edits are based on. */
export async function fetchOfficeRecords(): Promise<TTaxOfficeRecord[]> {
  const { offices } = await apiRequest('/api/admin/tax-offices', {
    schema: z.object({ offices: z.array(ZTaxOfficeRecord) }),
  });
  return offices;
}

export async function createTaxOffice(input: TCreateTaxOfficeRequest): Promise<TTaxOfficeRecord> {
  return apiRequest('/api/admin/tax-offices', { method: 'POST', body: input, schema: ZTaxOfficeRecord });
}

/** Renames and/or moves an office; a cycle or a stale version is refused with the reason. */
export async function updateTaxOffice(id: string, input: TUpdateTaxOfficeRequest): Promise<TTaxOfficeRecord> {
  return apiRequest(`/api/admin/tax-offices/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: input,
    schema: ZTaxOfficeRecord,
  });
}

/** Refused (400, naming what still refers to it) while it has sub-offices, staff, taxpayers or cases. */
export async function deleteTaxOffice(office: Pick<TTaxOfficeRecord, 'id' | 'version'>): Promise<void> {
  await apiRequest(`/api/admin/tax-offices/${encodeURIComponent(office.id)}`, {
    method: 'DELETE',
    query: { version: office.version },
  });
}
