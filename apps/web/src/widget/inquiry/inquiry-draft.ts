/**
 * The unsent 留言 kept in localStorage per taxpayer, so a reload (or closing the chat) loses nothing. It carries the
 * form's `clientKey`, generated once per draft: however often the taxpayer presses 提交 or retries after a network
 * failure, the server makes one 留言. Cleared after a successful submit.
 */
import { type TCaseFile, ZCaseFile, ZReceiveBy } from '@zhengna/contracts';
import { z } from 'zod';
import type { InquiryFormValues } from './inquiry-form.ts';

const ZDraft = z.object({
  clientKey: z.string().min(8).max(64),
  values: z
    .object({
      taxOfficeId: z.string(),
      type: z.string(),
      content: z.string(),
      phone: z.string(),
      remind: z.boolean(),
      receiveBy: ZReceiveBy,
    })
    .partial(),
  files: z.array(ZCaseFile).max(20),
});

export interface InquiryDraft {
  clientKey: string;
  values: Partial<InquiryFormValues>;
  files: TCaseFile[];
}

/** The subset of Storage the draft needs (tests pass a Map-backed one). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const draftKey = (taxpayerId: string) => `zn:inquiry-draft:${taxpayerId}`;

export function newClientKey(): string {
  return crypto.randomUUID();
}

/** The saved draft, or null when there is none or it cannot be read (blocked storage, an older or broken shape). */
export function loadDraft(storage: DraftStorage | null, taxpayerId: string): InquiryDraft | null {
  try {
    const raw = storage?.getItem(draftKey(taxpayerId));
    if (!raw) return null;
    const parsed = ZDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves the draft; a full or blocked storage only means the draft will not survive a reload. */
export function saveDraft(storage: DraftStorage | null, taxpayerId: string, draft: InquiryDraft): void {
  try {
    storage?.setItem(draftKey(taxpayerId), JSON.stringify(draft));
  } catch {
    // storage full or disabled (private mode): keep working without it
  }
}

export function clearDraft(storage: DraftStorage | null, taxpayerId: string): void {
  try {
    storage?.removeItem(draftKey(taxpayerId));
  } catch {
    // nothing to clear
  }
}

/** localStorage when the browser lets the iframe use it (a third-party frame may be refused). */
export function browserStorage(): DraftStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
