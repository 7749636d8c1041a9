import { STAFF_ROLE_LABELS } from '@zhengna/contracts';
import type { TAgentLoad, TSkillGroup } from './api/organization-api.ts';

export interface MemberOption {
  value: string;
  label: string;
}

/** Who may be picked as a member: every staff member, plus current members the agent list no longer shows. */
export function memberOptions(agents: readonly TAgentLoad[], members: TSkillGroup['members']): MemberOption[] {
  const out: MemberOption[] = agents.map((a) => ({
    value: a.staffId,
    label: a.role === 'agent' ? a.name : `${a.name}（${STAFF_ROLE_LABELS[a.role]}）`,
  }));
  for (const m of members) if (!out.some((o) => o.value === m.staffId)) out.push({ value: m.staffId, label: m.name });
  return out;
}
