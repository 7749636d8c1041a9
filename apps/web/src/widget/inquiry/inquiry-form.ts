/**
 * The 留言 form's values and how they become the contracts' ZInquirySubmit, plus the server's field errors by the form
 * field they belong to. Pure: the panel and the tests share it.
 */
import { type TCaseFile, type TInquirySubmit, type TReceiveBy, ZInquirySubmit } from '@zhengna/contracts';

export interface InquiryFormValues {
  taxOfficeId: string;
  type: string;
  content: string;
  /** Empty: the number in the taxpayer's profile. */
  phone: string;
  remind: boolean;
  receiveBy: TReceiveBy;
}

export type InquiryField = keyof InquiryFormValues | 'files';

/** At most this many files go with one 留言 (ZInquirySubmit.fileIds: zod keeps no readable bound on arrays). */
export const MAX_INQUIRY_FILES = 5;

/** The minimum length of the content, as the server checks it. */
export const CONTENT_MIN_LENGTH = ZInquirySubmit.shape.content.minLength ?? 5;

export function defaultValues(defaultOfficeId: string, firstType: string | undefined): InquiryFormValues {
  return {
    taxOfficeId: defaultOfficeId,
    type: firstType ?? '',
    content: '',
    phone: '',
    remind: false,
    receiveBy: 'inbox',
  };
}

/** The request body: trimmed text, the phone only when one was typed, the uploaded files' ids. */
export function toSubmitBody(
  values: InquiryFormValues,
  files: readonly TCaseFile[],
  clientKey: string,
  conversationId?: string,
): TInquirySubmit {
  const phone = values.phone.trim();
  return {
    clientKey,
    taxOfficeId: values.taxOfficeId,
    type: values.type,
    content: values.content.trim(),
    ...(phone ? { phone } : {}),
    remind: values.remind,
    receiveBy: values.receiveBy,
    fileIds: files.map((f) => f.id),
    ...(conversationId ? { conversationId } : {}),
  };
}

const FIELD_OF_PATH: Record<string, InquiryField> = {
  taxOfficeId: 'taxOfficeId',
  type: 'type',
  content: 'content',
  phone: 'phone',
  remind: 'remind',
  receiveBy: 'receiveBy',
  fileIds: 'files',
};

/**
 * The server's field errors ({"fileIds.2": "…"}) by form field; what belongs to no field (clientKey,
 * conversationId …) goes under `_` to be shown above the buttons. The first message of a field wins.
 */
export function inquiryFieldErrors(
  fields: Record<string, string> | undefined,
): Partial<Record<InquiryField | '_', string>> {
  const out: Partial<Record<InquiryField | '_', string>> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const field = FIELD_OF_PATH[path.split('.')[0] ?? ''] ?? '_';
    out[field] ??= message;
  }
  return out;
}

/** A contents limit message in the words the form shows beside the field. */
export function contentTooLong(max: number): string {
  return `留言内容最多 ${max} 个字`;
}
