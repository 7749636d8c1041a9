import {
  type THandoffRules,
  type TSecuritySettings,
  type TServiceHours,
  ZHandoffRules,
  ZSecuritySettings,
  ZServiceHours,
  ZShortcut,
  type ZShortcutInput,
  ZVersioned,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

/** A setting as read and as saved: its value and the version the next change must name. */
export interface Versioned<T> {
  value: T;
  version: number;
}

const ZVersionedHandoff = ZVersioned(ZHandoffRules);
const ZVersionedHours = ZVersioned(ZServiceHours);

export function fetchHandoffRules(): Promise<Versioned<THandoffRules>> {
  return apiRequest('/api/admin/settings/handoff-rules', { schema: ZVersionedHandoff });
}

/** Fails with VERSION_CONFLICT (409) when someone saved since `version`. */
export function saveHandoffRules(change: Versioned<THandoffRules>): Promise<Versioned<THandoffRules>> {
  return apiRequest('/api/admin/settings/handoff-rules', { method: 'PUT', body: change, schema: ZVersionedHandoff });
}

export function fetchServiceHours(): Promise<Versioned<TServiceHours>> {
  return apiRequest('/api/admin/settings/service-hours', { schema: ZVersionedHours });
}

export function saveServiceHours(change: Versioned<TServiceHours>): Promise<Versioned<TServiceHours>> {
  return apiRequest('/api/admin/settings/service-hours', { method: 'PUT', body: change, schema: ZVersionedHours });
}

/** A catalogue entry as administrators see it (inactive ones included). */
export const ZAdminShortcut = ZShortcut.extend({ position: z.number().int(), active: z.boolean() });
export type TAdminShortcut = z.infer<typeof ZAdminShortcut>;
export type TShortcutInput = z.input<typeof ZShortcutInput>;

export async function fetchShortcutCatalog(): Promise<TAdminShortcut[]> {
  const { shortcuts } = await apiRequest('/api/admin/shortcuts', {
    schema: z.object({ shortcuts: z.array(ZAdminShortcut) }),
  });
  return shortcuts;
}

/** Adds the entry, or replaces the one with the same id. */
export async function saveShortcut(input: TShortcutInput): Promise<void> {
  await apiRequest('/api/admin/shortcuts', { method: 'PUT', body: input });
}

export async function deleteShortcut(id: string): Promise<void> {
  await apiRequest(`/api/admin/shortcuts/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

const ZVersionedSecurity = ZVersioned(ZSecuritySettings);

/** 密码与登录安全: the staff password policy and the administrators' second factor. */
export function fetchSecuritySettings(): Promise<Versioned<TSecuritySettings>> {
  return apiRequest('/api/admin/settings/security', { schema: ZVersionedSecurity });
}

export function saveSecuritySettings(change: Versioned<TSecuritySettings>): Promise<Versioned<TSecuritySettings>> {
  return apiRequest('/api/admin/settings/security', { method: 'PUT', body: change, schema: ZVersionedSecurity });
}
