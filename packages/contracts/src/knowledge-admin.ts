/**
 * @module knowledge-admin
 * The console's knowledge base: entries with drafts, publishing, revision history and rollback; topics; the bureau's
 * synonym groups; spreadsheet import. Kept out of assistant.ts so the taxpayer's widget, which imports that module,
 * does not carry these schemas in its first load.
 */
import { z } from 'zod';

// ── admin: knowledge entries — editing, drafts, publishing, history, table import ──────────────

const ZEntryId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号只能包含字母、数字、下划线和连字符（最多 64 个）');
const ZListItem = (label: string, max: number) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);

/** Which taxpayers an entry is for; an empty list means all. */
export const ZEntryAudience = z.object({
  taxpayerTypes: z.array(z.enum(['general', 'small_scale', 'individual'])).max(3),
  industries: z.array(ZListItem('行业', 50)).max(50, '行业最多 50 个'),
  regions: z.array(ZListItem('地区', 50)).max(50, '地区最多 50 个'),
});

/** An entry's content: what the console edits, a draft holds and a revision records. */
export const ZEntryContent = z.object({
  topic: z.string().min(1, '请选择专题').max(64),
  question: ZListItem('标准问题', 500),
  similar: z.array(ZListItem('相似问题', 500)).max(200, '相似问题最多 200 条'),
  answer: ZListItem('答案', 20_000),
  documents: z.array(ZEntryId).max(50, '相关文档最多 50 个'),
  audience: ZEntryAudience,
  keywords: z.array(ZListItem('关键词', 50)).max(50, '关键词最多 50 个'),
});
export type TEntryContent = z.infer<typeof ZEntryContent>;

/** published: answering; draft: never published or withdrawn (下线); changed: published with unpublished edits. */
export const ZEntryListQuery = z.object({
  q: z.string().trim().max(100, '搜索内容不能超过 100 字').optional(),
  topic: z.string().max(64).optional(),
  status: z.enum(['published', 'draft', 'changed']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TEntryListQuery = z.infer<typeof ZEntryListQuery>;

export const ZEntrySummary = z.object({
  id: z.string(),
  topic: z.string(),
  topicName: z.string(),
  question: z.string(),
  status: z.enum(['draft', 'published']),
  /** A published entry with saved, unpublished changes. */
  hasDraft: z.boolean(),
  revision: z.number().int(),
  version: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export type TEntrySummary = z.infer<typeof ZEntrySummary>;
export const ZEntryList = z.object({ items: z.array(ZEntrySummary), total: z.number().int() });

export const ZEntryDetail = z.object({
  id: z.string(),
  status: z.enum(['draft', 'published']),
  /** Sent back with every change; a stale one is refused (VERSION_CONFLICT). */
  version: z.number().int(),
  revision: z.number().int(),
  updatedAt: z.iso.datetime(),
  /** What the bot answers with (status published), or the draft of an entry never published. */
  content: ZEntryContent,
  /** Saved, unpublished changes to a published entry. */
  draft: ZEntryContent.nullable(),
  draftBy: z.string().nullable(),
  draftAt: z.iso.datetime().nullable(),
});
export type TEntryDetail = z.infer<typeof ZEntryDetail>;

export const ZEntryCreateRequest = z.object({
  /** Chosen by the server (KB-<topic>-<n>) when absent. */
  id: ZEntryId.optional(),
  content: ZEntryContent,
  /** Created from this 未解决问题, which leaves the list. */
  fromUnansweredId: z.uuid().optional(),
});
export const ZEntrySaveRequest = z.object({ version: z.number().int().min(1), content: ZEntryContent });
export const ZEntryActionRequest = z.object({
  version: z.number().int().min(1),
  note: z.string().trim().max(200, '说明不能超过 200 字').default(''),
});
export const ZEntryRollbackRequest = ZEntryActionRequest.extend({ revision: z.number().int().min(1) });

export const ZEntryRevision = z.object({
  revision: z.number().int(),
  action: z.enum(['publish', 'import', 'rollback', 'unpublish']),
  content: ZEntryContent,
  staffName: z.string(),
  note: z.string(),
  createdAt: z.iso.datetime(),
});
export type TEntryRevision = z.infer<typeof ZEntryRevision>;
export const ZEntryRevisions = z.object({ revisions: z.array(ZEntryRevision) });

export const ZKnowledgeTopic = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  entries: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export const ZKnowledgeTopics = z.object({ topics: z.array(ZKnowledgeTopic) });
export const ZKnowledgeDocumentOption = z.object({ id: z.string(), title: z.string() });
export const ZKnowledgeDocumentOptions = z.object({ documents: z.array(ZKnowledgeDocumentOption) });

/** Options of every import: as drafts (nothing answers until 发布) or published at once. */
export const ZImportOptions = z.object({ asDraft: z.boolean().default(false) });

/**
 * Entries as a spreadsheet: CSV text, or an .xlsx workbook in base64 (its first sheet). The first row names the
 * columns (KNOWLEDGE_TABLE_COLUMNS); errors report the spreadsheet's row numbers.
 */
export const ZKnowledgeTableImportRequest = ZImportOptions.extend({
  format: z.enum(['csv', 'xlsx'], '请选择 CSV 或 Excel（.xlsx）文件'),
  data: z.string().min(1, '文件是空的').max(28_000_000, '文件过大，请拆分后分批导入（不超过 20 MB）'),
});

/** The spreadsheet layout: header (Chinese) → field; cells with several values hold one per line. */
export const KNOWLEDGE_TABLE_COLUMNS = [
  { key: 'id', header: '编号', required: true },
  { key: 'topic', header: '专题', required: true },
  { key: 'question', header: '标准问题', required: true },
  { key: 'similar', header: '相似问题', required: false },
  { key: 'answer', header: '答案', required: true },
  { key: 'documents', header: '相关文档', required: false },
  { key: 'taxpayerTypes', header: '纳税人类型', required: false },
  { key: 'industries', header: '行业', required: false },
  { key: 'regions', header: '地区', required: false },
  { key: 'keywords', header: '关键词', required: false },
  { key: 'status', header: '状态', required: false },
] as const;

// ── admin: topics and synonyms ──────────────────────────────────────────────────────────

export const ZTopicCreateRequest = z.object({
  id: ZEntryId,
  name: ZListItem('专题名称', 100),
  description: z.string().trim().max(2000, '专题说明不能超过 2000 字').default(''),
});
export const ZTopicUpdateRequest = z.object({
  name: ZListItem('专题名称', 100),
  description: z.string().trim().max(2000, '专题说明不能超过 2000 字').default(''),
  /** The updatedAt the editor saw; a newer one means someone else changed the topic. */
  updatedAt: z.iso.datetime(),
});
/**
 * The bureau's own synonym groups, added to the bot's built-in dictionary: each group's words are treated as the
 * same word (the first is the canonical form). `version` is a fingerprint of the whole list.
 */
export const ZSynonymGroups = z.object({
  groups: z
    .array(z.array(ZListItem('同义词', 30)).min(2, '每组同义词至少要有两个词').max(30, '每组同义词最多 30 个词'))
    .max(5000, '同义词最多 5000 组'),
  version: z.string().max(100),
});
export type TSynonymGroups = z.infer<typeof ZSynonymGroups>;
