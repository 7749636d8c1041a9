import type { TSkillGroup, TSkillGroupInput } from './api/organization-api.ts';
import { PROVINCE } from './office-tree.ts';

/** The fallback Select value for 无 (fallbackGroupId null). */
export const NO_FALLBACK = '__none__';
export const DEFAULT_OVERFLOW_SECONDS = 120;

export interface GroupFormValues {
  id: string;
  name: string;
  business: TSkillGroup['business'];
  /** An office id, or PROVINCE. */
  taxOffice: string;
  /** A group id, or NO_FALLBACK. */
  fallback: string;
  overflowAfterSeconds: number | null;
}

export function newGroupValues(): GroupFormValues {
  return {
    id: '',
    name: '',
    business: 'general',
    taxOffice: PROVINCE,
    fallback: NO_FALLBACK,
    overflowAfterSeconds: DEFAULT_OVERFLOW_SECONDS,
  };
}

export function groupValuesOf(g: TSkillGroup): GroupFormValues {
  return {
    id: g.id,
    name: g.name,
    business: g.business,
    taxOffice: g.taxOfficeId ?? PROVINCE,
    fallback: g.fallbackGroupId ?? NO_FALLBACK,
    overflowAfterSeconds: g.overflowAfterSeconds,
  };
}

/** What PUT /api/admin/skill-groups gets: trimmed, the sentinels back to null. */
export function groupInputOf(v: GroupFormValues): TSkillGroupInput {
  return {
    id: v.id.trim(),
    name: v.name.trim(),
    business: v.business,
    taxOfficeId: !v.taxOffice || v.taxOffice === PROVINCE ? null : v.taxOffice,
    fallbackGroupId: !v.fallback || v.fallback === NO_FALLBACK ? null : v.fallback,
    overflowAfterSeconds: v.overflowAfterSeconds ?? DEFAULT_OVERFLOW_SECONDS,
  };
}

/**
 * Groups the group may overflow to: not itself, and not one whose own overflow chain leads back to it (that would
 * pass a waiting taxpayer round in a circle). A new group (selfId null or unknown) may take any.
 */
export function fallbackCandidates(groups: readonly TSkillGroup[], selfId: string | null): TSkillGroup[] {
  if (!selfId) return [...groups];
  const byId = new Map(groups.map((g) => [g.id, g]));
  const leadsBack = (start: TSkillGroup): boolean => {
    const seen = new Set<string>();
    let cur: TSkillGroup | undefined = start;
    while (cur && !seen.has(cur.id)) {
      if (cur.id === selfId) return true;
      seen.add(cur.id);
      cur = cur.fallbackGroupId ? byId.get(cur.fallbackGroupId) : undefined;
    }
    return false;
  };
  return groups.filter((g) => !leadsBack(g));
}

/** A new group must not take an existing id: the server would silently replace that group. */
export function duplicateGroupIdError(
  id: string,
  groups: readonly TSkillGroup[],
  editingId: string | null,
): string | null {
  const trimmed = id.trim();
  if (editingId !== null || !trimmed) return null;
  return groups.some((g) => g.id === trimmed) ? '该编号已被使用，请换一个' : null;
}

const FIELD_OF: Record<string, keyof GroupFormValues> = {
  id: 'id',
  name: 'name',
  business: 'business',
  taxOfficeId: 'taxOffice',
  fallbackGroupId: 'fallback',
  overflowAfterSeconds: 'overflowAfterSeconds',
};

/**
 * A refusal of the server by the form field it belongs to: its field errors, or, for the checks it answers with
 * a message only (溢出组不能是本组, 税务机关不存在), the field that message is about. Null: show it above the form.
 */
export function groupFieldErrors(
  message: string,
  fields: Record<string, string> | undefined,
): Partial<Record<keyof GroupFormValues, string>> | null {
  const out: Partial<Record<keyof GroupFormValues, string>> = {};
  for (const [path, text] of Object.entries(fields ?? {})) {
    const field = FIELD_OF[path.split('.')[0] ?? ''];
    if (field) out[field] ??= text;
  }
  if (Object.keys(out).length > 0) return out;
  if (message.includes('溢出组')) return { fallback: message };
  if (message.includes('税务机关')) return { taxOffice: message };
  return null;
}
