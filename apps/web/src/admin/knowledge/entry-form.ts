/**
 * The 知识条目 editor's form values and how they become the contracts' ZEntryContent (checked as the server checks
 * it), the server's field errors by form field, and the labels of statuses and revision actions. Pure: the pages
 * and the tests share it.
 */
import {
  type TEntryContent,
  type TEntryDetail,
  type TEntryRevision,
  type TEntrySummary,
  type TTaxpayerType,
  ZEntryContent,
  ZEntryCreateRequest,
} from '@zhengna/contracts';

/** What the form holds: the lists of free text as one line each (相似问题) or as tags (行业, 地区, 关键词). */
export interface EntryFormValues {
  /** Only for a new entry; empty lets the server choose (KB-<专题>-<n>). */
  id: string;
  topic: string | undefined;
  question: string;
  /** 相似问题, one per line. */
  similar: string;
  answer: string;
  documents: string[];
  /** None means every taxpayer. */
  taxpayerTypes: TTaxpayerType[];
  industries: string[];
  regions: string[];
  keywords: string[];
}
export type EntryField = keyof EntryFormValues;

/** The lines of a text box that hold something, trimmed; blank lines are dropped. */
export function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export const textOf = (lines: readonly string[]): string => lines.join('\n');

/** Keeps the first of equal values (after trimming), in order; blanks are dropped. */
function unique(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
}

export function emptyEntryValues(prefill: { question?: string; topic?: string } = {}): EntryFormValues {
  return {
    id: '',
    topic: prefill.topic,
    question: prefill.question ?? '',
    similar: '',
    answer: '',
    documents: [],
    taxpayerTypes: [],
    industries: [],
    regions: [],
    keywords: [],
  };
}

export function valuesOfContent(content: TEntryContent): EntryFormValues {
  return {
    id: '',
    topic: content.topic || undefined,
    question: content.question,
    similar: textOf(content.similar),
    answer: content.answer,
    documents: [...content.documents],
    taxpayerTypes: [...content.audience.taxpayerTypes],
    industries: [...content.audience.industries],
    regions: [...content.audience.regions],
    keywords: [...content.keywords],
  };
}

/** What the editor shows: the saved draft of a published entry, else its content. */
export const editableContentOf = (detail: TEntryDetail): TEntryContent => detail.draft ?? detail.content;

export type EntryParse =
  | { ok: true; content: TEntryContent }
  | { ok: false; errors: Partial<Record<EntryField, string>> };

/** The form as ZEntryContent, checked by the contract's own rules; the problems by form field, in Chinese. */
export function toEntryContent(values: Partial<EntryFormValues>): EntryParse {
  const input = {
    topic: values.topic ?? '',
    question: values.question ?? '',
    similar: unique(linesOf(values.similar)),
    answer: values.answer ?? '',
    documents: unique(values.documents),
    audience: {
      taxpayerTypes: [...new Set(values.taxpayerTypes ?? [])],
      industries: unique(values.industries),
      regions: unique(values.regions),
    },
    keywords: unique(values.keywords),
  };
  const parsed = ZEntryContent.safeParse(input);
  if (parsed.success) return { ok: true, content: parsed.data };
  return {
    ok: false,
    errors: entryFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]))),
  };
}

/** The 编号 of a new entry: empty (the server chooses one) or letters, digits, _ and -. */
export function entryIdError(id: string | undefined): string | undefined {
  const trimmed = (id ?? '').trim();
  if (!trimmed) return undefined;
  const parsed = ZEntryCreateRequest.shape.id.safeParse(trimmed);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

const FIELD_OF: Record<string, EntryField> = {
  id: 'id',
  topic: 'topic',
  question: 'question',
  similar: 'similar',
  answer: 'answer',
  documents: 'documents',
  taxpayerTypes: 'taxpayerTypes',
  industries: 'industries',
  regions: 'regions',
  keywords: 'keywords',
};

/**
 * The server's (or zod's) field errors by form field: "content.similar.3" → similar ("第 4 条相似问题：…"),
 * "content.audience.regions.0" → regions, "question" → question. The first message of a field wins; a path that
 * names no field goes under "_".
 */
export function entryFieldErrors(
  fields: Record<string, string> | undefined,
): Partial<Record<EntryField | '_', string>> {
  const out: Partial<Record<EntryField | '_', string>> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const parts = path.split('.').filter((p) => p !== 'content' && p !== 'audience');
    const field = FIELD_OF[parts[0] ?? ''];
    const index = Number(parts[1]);
    const text = field === 'similar' && Number.isInteger(index) ? `第 ${index + 1} 条相似问题：${message}` : message;
    out[field ?? '_'] ??= text;
  }
  return out;
}

// ── statuses and revisions ───────────────────────────────────────────────────────────────────────

/** published: answering; draft: never published or withdrawn; changed: published with unpublished edits. */
export type EntryStatusKey = 'published' | 'draft' | 'changed';

export const ENTRY_STATUS_LABELS: Record<EntryStatusKey, string> = {
  published: '已发布',
  draft: '草稿',
  changed: '有未发布修改',
};

export const ENTRY_STATUS_COLORS: Record<EntryStatusKey, string> = {
  published: 'green',
  draft: 'default',
  changed: 'orange',
};

export function entryStatusOf(entry: Pick<TEntrySummary, 'status' | 'hasDraft'>): EntryStatusKey {
  if (entry.status === 'draft') return 'draft';
  return entry.hasDraft ? 'changed' : 'published';
}

/** A detail's status as the list shows it. */
export const detailStatusOf = (detail: TEntryDetail): EntryStatusKey =>
  entryStatusOf({ status: detail.status, hasDraft: detail.draft !== null });

export const REVISION_ACTION_LABELS: Record<TEntryRevision['action'], string> = {
  publish: '发布',
  import: '导入',
  rollback: '回滚',
  unpublish: '下线',
};

export const REVISION_ACTION_COLORS: Record<TEntryRevision['action'], string> = {
  publish: 'green',
  import: 'blue',
  rollback: 'purple',
  unpublish: 'default',
};

/** 回滚到此版本 makes sense for every revision except the one answering now. */
export function canRollbackTo(revision: TEntryRevision, detail: Pick<TEntryDetail, 'status' | 'revision'>): boolean {
  return !(detail.status === 'published' && revision.revision === detail.revision);
}
