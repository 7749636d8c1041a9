import type { TTaxOffice } from './api/organization-api.ts';

/** The TreeSelect value standing for 全省 (taxOfficeId null): a group serving the whole province. */
export const PROVINCE = '__province__';
export const PROVINCE_LABEL = '全省';

export interface OfficeNode {
  value: string;
  title: string;
  children?: OfficeNode[];
}

/**
 * The office list as a tree by parentId, siblings by id. An office whose parent is missing becomes a root, and a
 * cycle in the data cannot loop: each office appears once.
 */
export function buildOfficeTree(offices: readonly TTaxOffice[]): OfficeNode[] {
  const byId = new Map(offices.map((o) => [o.id, o]));
  const children = new Map<string | null, TTaxOffice[]>();
  for (const o of offices) {
    const parent = o.parentId !== null && byId.has(o.parentId) && o.parentId !== o.id ? o.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(o);
    children.set(parent, list);
  }
  const seen = new Set<string>();
  const build = (o: TTaxOffice): OfficeNode => {
    seen.add(o.id);
    const kids = (children.get(o.id) ?? [])
      .filter((k) => !seen.has(k.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(build);
    return kids.length > 0 ? { value: o.id, title: o.name, children: kids } : { value: o.id, title: o.name };
  };
  const roots = [...(children.get(null) ?? [])].sort((a, b) => a.id.localeCompare(b.id)).map(build);
  // offices caught in a parent cycle have no root above them: show them at the top rather than lose them
  for (const o of [...offices].sort((a, b) => a.id.localeCompare(b.id))) if (!seen.has(o.id)) roots.push(build(o));
  return roots;
}

/** The TreeSelect data: 全省 first, then the office tree. */
export function officeTreeData(offices: readonly TTaxOffice[]): OfficeNode[] {
  return [{ value: PROVINCE, title: PROVINCE_LABEL }, ...buildOfficeTree(offices)];
}

/** What the table shows for a group's office: its name, 全省 for null, the id itself if unknown. */
export function officeLabel(taxOfficeId: string | null, offices: readonly TTaxOffice[]): string {
  if (taxOfficeId === null) return PROVINCE_LABEL;
  return offices.find((o) => o.id === taxOfficeId)?.name ?? taxOfficeId;
}
