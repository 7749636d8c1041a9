import type { TTaxOfficeRecord } from './api/accounts-api.ts';
import { buildOfficeTree, type OfficeNode } from './office-tree.ts';

/** The TreeSelect value for 无（顶级机关）: parentId null. */
export const TOP_LEVEL = '__top__';
export const TOP_LEVEL_LABEL = '无（作为顶级机关）';

export interface OfficeTreeItem {
  key: string;
  title: string;
  children?: OfficeTreeItem[];
}

const toItem = (n: OfficeNode): OfficeTreeItem =>
  n.children ? { key: n.value, title: n.title, children: n.children.map(toItem) } : { key: n.value, title: n.title };

/** The antd Tree data: offices nested by parent, siblings by code. */
export function officeTreeItems(offices: readonly TTaxOfficeRecord[]): OfficeTreeItem[] {
  return buildOfficeTree(offices).map(toItem);
}

/** The office and every office below it. */
export function subtreeIds(offices: readonly TTaxOfficeRecord[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of offices) {
      if (o.parentId !== null && out.has(o.parentId) && !out.has(o.id)) {
        out.add(o.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Where an office may go (TreeSelect data): 顶级 first, then every office except the one moving and those below it —
 * the server refuses a move that would make a cycle; the dialog does not offer one.
 */
export function parentChoices(offices: readonly TTaxOfficeRecord[], movingId: string | null): OfficeNode[] {
  const excluded = movingId ? subtreeIds(offices, movingId) : new Set<string>();
  return [{ value: TOP_LEVEL, title: TOP_LEVEL_LABEL }, ...buildOfficeTree(offices.filter((o) => !excluded.has(o.id)))];
}

export const parentIdOf = (value: string | undefined | null): string | null =>
  !value || value === TOP_LEVEL ? null : value;

/** 上级机关 as a sentence: its name, or 顶级机关. */
export function parentLabel(offices: readonly TTaxOfficeRecord[], office: TTaxOfficeRecord): string {
  if (office.parentId === null) return '无（顶级机关）';
  return offices.find((o) => o.id === office.parentId)?.name ?? office.parentId;
}
