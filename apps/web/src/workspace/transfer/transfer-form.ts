import type { TransferInput } from '../conversations/api/workspace-api.ts';

export const TRANSFER_NOTE_MAX = 500;

export interface TransferDraft {
  target: 'agent' | 'group';
  staffId: string | null;
  groupId: string | null;
  note: string;
}

/** Checks the dialog: a colleague or a group must be chosen, the note at most 500 characters. */
export function validateTransfer(
  draft: TransferDraft,
): { ok: true; input: TransferInput } | { ok: false; errors: Partial<Record<'target' | 'note', string>> } {
  const errors: Partial<Record<'target' | 'note', string>> = {};
  const note = draft.note.trim();
  if (draft.target === 'agent' && !draft.staffId) errors.target = '请选择要转接的坐席';
  if (draft.target === 'group' && !draft.groupId) errors.target = '请选择要转接的技能组';
  if (note.length > TRANSFER_NOTE_MAX) errors.note = `转接说明不超过 ${TRANSFER_NOTE_MAX} 字`;
  if (errors.target || errors.note) return { ok: false, errors };
  return {
    ok: true,
    input:
      draft.target === 'agent'
        ? { toStaffId: draft.staffId as string, note }
        : { toGroupId: draft.groupId as string, note },
  };
}
