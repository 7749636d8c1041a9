/**
 * Who may do what to staff accounts and the tax-office tree, as pure rules: the service asks them with the rows it
 * read (and locked), and gets a Chinese reason to refuse with, or null.
 */
import type { TStaffRole } from '@zhengna/contracts';

export type AccountState = { role: TStaffRole; active: boolean };

/**
 * An administrator may not lock themselves out (deactivate or demote themselves), and the service must keep at least
 * one active administrator, or nobody could manage accounts again.
 */
export function accountChangeRefusal(input: {
  actorId: string;
  targetId: string;
  before: AccountState;
  after: AccountState;
  /** Every active administrator, the target included if they are one. */
  activeAdminIds: readonly string[];
}): string | null {
  const { before, after } = input;
  if (input.actorId === input.targetId) {
    if (!after.active) return '不能停用自己的账号，请由其他管理员操作。';
    if (after.role !== before.role) return '不能更改自己的角色，请由其他管理员操作。';
  }
  const losesAdmin = before.role === 'admin' && before.active && (!after.active || after.role !== 'admin');
  if (losesAdmin && input.activeAdminIds.every((id) => id === input.targetId)) {
    return '系统至少需要保留一名启用的管理员，不能停用最后一名管理员或更改其角色。';
  }
  return null;
}

/** Deactivation and a new role end the person's sessions: they sign in again under what they are now. */
export function changeEndsSessions(before: AccountState, after: AccountState): boolean {
  return (before.active && !after.active) || before.role !== after.role;
}

export type OfficeLink = { id: string; parentId: string | null };

/** The office and every office below it (a filter by 青岛市税务局 also finds the district offices' staff). */
export function officeAndDescendants(offices: readonly OfficeLink[], id: string): string[] {
  const children = new Map<string, string[]>();
  for (const o of offices) {
    if (o.parentId === null) continue;
    children.set(o.parentId, [...(children.get(o.parentId) ?? []), o.id]);
  }
  const out = new Set<string>([id]);
  const stack = [id];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const child of children.get(next) ?? []) {
      if (out.has(child)) continue; // a cycle in old data must not loop
      out.add(child);
      stack.push(child);
    }
  }
  return [...out];
}

/**
 * A supervisor (班长) sets the caps of agents of their own office or an office below it — never another supervisor's
 * or an administrator's (an administrator sets anyone's; the service does not ask for them, nor for one's own cap).
 */
export function capacityChangeRefusal(
  supervisorOfficeId: string | null,
  target: { role: TStaffRole; taxOfficeId: string },
  offices: readonly OfficeLink[],
): string | null {
  const mine = supervisorOfficeId ? officeAndDescendants(offices, supervisorOfficeId) : [];
  if (target.role === 'agent' && mine.includes(target.taxOfficeId)) return null;
  return '只能调整本机关及下级机关坐席的接待上限。';
}

/** Why `id` may not be placed under `parentId`: the parent is missing, is the office itself, or lies below it. */
export function officeMoveRefusal(offices: readonly OfficeLink[], id: string, parentId: string | null): string | null {
  if (parentId === null) return null;
  if (parentId === id) return '不能把税务机关设为自己的上级机关。';
  const byId = new Map(offices.map((o) => [o.id, o]));
  if (!byId.has(parentId)) return '上级机关不存在，请刷新后重新选择。';
  const seen = new Set<string>();
  for (let at: string | null = parentId; at !== null && !seen.has(at); at = byId.get(at)?.parentId ?? null) {
    if (at === id) return '不能把税务机关移到它自己的下级机关之下，这会形成循环。';
    seen.add(at);
  }
  return null;
}

export type OfficeDependants = {
  children: number;
  staff: number;
  taxpayers: number;
  skillGroups: number;
  inquiries: number;
  workOrders: number;
  appointmentServices: number;
};

const DEPENDANT_WORDS: Record<keyof OfficeDependants, (n: number) => string> = {
  children: (n) => `${n} 个下级机关`,
  staff: (n) => `${n} 名工作人员`,
  taxpayers: (n) => `${n} 户纳税人`,
  skillGroups: (n) => `${n} 个技能组`,
  inquiries: (n) => `${n} 条留言`,
  workOrders: (n) => `${n} 张工单`,
  appointmentServices: (n) => `${n} 项预约服务`,
};

/** An office is deleted only when nothing refers to it any more; otherwise the reason lists what still does. */
export function officeDeleteRefusal(name: string, dependants: OfficeDependants): string | null {
  const parts = (Object.keys(DEPENDANT_WORDS) as (keyof OfficeDependants)[])
    .filter((k) => dependants[k] > 0)
    .map((k) => DEPENDANT_WORDS[k](dependants[k]));
  if (parts.length === 0) return null;
  return `“${name}”还有${parts.join('、')}，不能删除。请先将其移至其他税务机关或删除后再试。`;
}
