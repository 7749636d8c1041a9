/** A tax office as the org tree lists it. */
export interface OfficeRef {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}

export interface OfficeTreeNode {
  value: string;
  title: string;
  children?: OfficeTreeNode[];
}

/**
 * Offices as TreeSelect data, nested by parentId, siblings in list order. An office whose parent is missing becomes a
 * root, and a parent cycle cannot loop: each office appears once.
 */
export function officeTree(offices: readonly OfficeRef[]): OfficeTreeNode[] {
  const ids = new Set(offices.map((o) => o.id));
  const kids = new Map<string | null, OfficeRef[]>();
  for (const o of offices) {
    const parent = o.parentId !== null && ids.has(o.parentId) && o.parentId !== o.id ? o.parentId : null;
    kids.set(parent, [...(kids.get(parent) ?? []), o]);
  }
  const seen = new Set<string>();
  const build = (o: OfficeRef): OfficeTreeNode => {
    seen.add(o.id);
    const children = (kids.get(o.id) ?? []).filter((k) => !seen.has(k.id)).map(build);
    return children.length > 0 ? { value: o.id, title: o.name, children } : { value: o.id, title: o.name };
  };
  const roots = (kids.get(null) ?? []).map(build);
  // offices caught in a parent cycle have no root above them: show them at the top rather than lose them
  for (const o of offices) if (!seen.has(o.id)) roots.push(build(o));
  return roots;
}
