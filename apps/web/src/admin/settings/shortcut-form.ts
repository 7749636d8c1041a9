import type { TAdminShortcut, TShortcutInput } from './api/settings-api.ts';

export const OPEN_IN_LABELS = { new_tab: '新标签页', parent: '当前门户页面' } as const;

export interface ShortcutFormValues {
  id: string;
  name: string;
  description?: string;
  url: string;
  openIn: 'new_tab' | 'parent';
  position?: number | null;
  active: boolean;
}

/** Empty form for a new entry: placed after the last one. */
export function newShortcutValues(list: readonly TAdminShortcut[]): ShortcutFormValues {
  const last = Math.max(-1, ...list.map((s) => s.position));
  return {
    id: '',
    name: '',
    description: '',
    url: '',
    openIn: 'new_tab',
    position: Math.min(1000, last + 1),
    active: true,
  };
}

export function shortcutValuesOf(s: TAdminShortcut): ShortcutFormValues {
  return { ...s };
}

/** What PUT /api/admin/shortcuts gets: trimmed, defaults filled in. */
export function shortcutInputOf(v: ShortcutFormValues): TShortcutInput {
  return {
    id: v.id.trim(),
    name: v.name.trim(),
    description: (v.description ?? '').trim(),
    url: v.url.trim(),
    openIn: v.openIn,
    position: v.position ?? 0,
    active: v.active,
  };
}

/** A new entry must not take an existing id: the server would silently replace that entry. */
export function duplicateIdError(id: string, list: readonly TAdminShortcut[], editingId: string | null): string | null {
  const trimmed = id.trim();
  if (editingId !== null || !trimmed) return null;
  return list.some((s) => s.id === trimmed) ? '该编号已被使用，请换一个' : null;
}
