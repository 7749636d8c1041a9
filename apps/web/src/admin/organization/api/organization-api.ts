import { ZAgentLoad, ZSkillGroup, type ZSkillGroupInput, ZTaxOffice } from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export type TSkillGroupInput = z.input<typeof ZSkillGroupInput>;
export type TTaxOffice = z.infer<typeof ZTaxOffice>;
export type TAgentLoad = z.infer<typeof ZAgentLoad>;
export type { TSkillGroup } from '@zhengna/contracts';

export async function fetchSkillGroups(): Promise<z.infer<typeof ZSkillGroup>[]> {
  const { groups } = await apiRequest('/api/admin/skill-groups', {
    schema: z.object({ groups: z.array(ZSkillGroup) }),
  });
  return groups;
}

/** Adds the group, or replaces the one with the same id (administrators only). */
export async function saveSkillGroup(input: TSkillGroupInput): Promise<void> {
  await apiRequest('/api/admin/skill-groups', { method: 'PUT', body: input });
}

/** Refused (400, with the reason) while people queue in it or another group overflows to it. */
export async function deleteSkillGroup(id: string): Promise<void> {
  await apiRequest(`/api/admin/skill-groups/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Replaces the group's member list. */
export async function setGroupMembers(id: string, staffIds: readonly string[]): Promise<void> {
  await apiRequest(`/api/admin/skill-groups/${encodeURIComponent(id)}/members`, {
    method: 'PUT',
    body: { staffIds },
  });
}

export async function setAgentCapacity(staffId: string, maxConcurrent: number): Promise<void> {
  await apiRequest(`/api/admin/staff/${encodeURIComponent(staffId)}/capacity`, {
    method: 'PUT',
    body: { maxConcurrent },
  });
}

/** 强制下线: ends every session of the staff member (administrators only). */
export async function forceLogoutStaff(staffId: string): Promise<void> {
  await apiRequest(`/api/admin/staff/${encodeURIComponent(staffId)}/logout`, { method: 'POST', body: {} });
}

export async function fetchTaxOffices(): Promise<TTaxOffice[]> {
  const { offices } = await apiRequest('/api/admin/tax-offices', {
    schema: z.object({ offices: z.array(ZTaxOffice) }),
  });
  return offices;
}

export async function fetchAgents(): Promise<TAgentLoad[]> {
  const { agents } = await apiRequest('/api/workspace/agents', { schema: z.object({ agents: z.array(ZAgentLoad) }) });
  return agents;
}
