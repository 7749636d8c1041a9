import {
  type TEntryDetail,
  type TEntryRevision,
  type TImportReport,
  type TSynonymGroups,
  type TTestConsoleResult,
  ZEntryActionRequest,
  type ZEntryCreateRequest,
  ZEntryDetail,
  ZEntryList,
  type ZEntryListQuery,
  ZEntryRevisions,
  ZEntryRollbackRequest,
  type ZEntrySaveRequest,
  ZImportReport,
  type ZKnowledgeDocumentOption,
  ZKnowledgeDocumentOptions,
  type ZKnowledgeImportRequest,
  type ZKnowledgeTableImportRequest,
  ZKnowledgeTopic,
  ZKnowledgeTopics,
  ZSynonymGroups,
  ZTestConsoleResult,
  type ZTopicCreateRequest,
  type ZTopicUpdateRequest,
  ZUnansweredQuestion,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export type TUnansweredQuestion = z.infer<typeof ZUnansweredQuestion>;
export type TKnowledgeImportRequest = z.infer<typeof ZKnowledgeImportRequest>;
export type TKnowledgeTableImportRequest = z.infer<typeof ZKnowledgeTableImportRequest>;
export type TEntryList = z.infer<typeof ZEntryList>;
export type TEntryListQuery = Partial<z.infer<typeof ZEntryListQuery>>;
export type TEntryCreateRequest = z.input<typeof ZEntryCreateRequest>;
export type TEntrySaveRequest = z.infer<typeof ZEntrySaveRequest>;
export type TEntryActionRequest = z.input<typeof ZEntryActionRequest>;
export type TKnowledgeTopic = z.infer<typeof ZKnowledgeTopic>;
export type TKnowledgeDocumentOption = z.infer<typeof ZKnowledgeDocumentOption>;

const ZUnansweredList = z.object({ questions: z.array(ZUnansweredQuestion) });

/** The three files of the knowledge base's exchange format (the layout of the seed knowledge base). */
export const KNOWLEDGE_FILES = [
  { key: 'kb', fileName: 'kb.jsonl', label: '知识条目' },
  { key: 'topics', fileName: 'topics.jsonl', label: '专题' },
  { key: 'documents', fileName: 'documents.jsonl', label: '政策文件' },
] as const;
export type KnowledgeFileKey = (typeof KNOWLEDGE_FILES)[number]['key'];
/** JSONL for every file; the entries (kb) also as a spreadsheet. */
export type ExportFormat = 'jsonl' | 'csv' | 'xlsx';

/** Asks the bot as a taxpayer would and returns why it answered what it answered. */
export function testQuestion(question: string, signal?: AbortSignal): Promise<TTestConsoleResult> {
  return apiRequest('/api/admin/knowledge/test', {
    method: 'POST',
    body: { question },
    schema: ZTestConsoleResult,
    signal,
  });
}

export async function fetchUnansweredQuestions(): Promise<TUnansweredQuestion[]> {
  const { questions } = await apiRequest('/api/admin/knowledge/unanswered', { schema: ZUnansweredList });
  return questions;
}

/** All or nothing: with any error in any line the report lists the errors and nothing is imported. */
export function importKnowledge(files: TKnowledgeImportRequest): Promise<TImportReport> {
  return apiRequest('/api/admin/knowledge/import', { method: 'POST', body: files, schema: ZImportReport });
}

/** The entries as one spreadsheet (CSV text or an .xlsx in base64); all or nothing, errors by row. */
export function importKnowledgeTable(body: TKnowledgeTableImportRequest): Promise<TImportReport> {
  return apiRequest('/api/admin/knowledge/import-table', { method: 'POST', body, schema: ZImportReport });
}

/** Download link of one exchange file (the cookie session authorises it). */
export function exportUrl(file: KnowledgeFileKey, format: ExportFormat = 'jsonl'): string {
  return format === 'jsonl'
    ? `/api/admin/knowledge/export?file=${file}`
    : `/api/admin/knowledge/export?file=${file}&format=${format}`;
}

// ── entries ──────────────────────────────────────────────────────────────────────────────────────

const entryPath = (id: string) => `/api/admin/knowledge/entries/${encodeURIComponent(id)}`;

/** One page of entries, newest change first as the server orders them. */
export function fetchEntries(query: TEntryListQuery, signal?: AbortSignal): Promise<TEntryList> {
  return apiRequest('/api/admin/knowledge/entries', {
    query: {
      q: query.q || undefined,
      topic: query.topic,
      status: query.status,
      page: query.page,
      pageSize: query.pageSize,
    },
    schema: ZEntryList,
    signal,
  });
}

export function fetchEntry(id: string, signal?: AbortSignal): Promise<TEntryDetail> {
  return apiRequest(entryPath(id), { schema: ZEntryDetail, signal });
}

/** The entry's published revisions, newest first. */
export async function fetchEntryRevisions(id: string, signal?: AbortSignal): Promise<TEntryRevision[]> {
  const { revisions } = await apiRequest(`${entryPath(id)}/revisions`, { schema: ZEntryRevisions, signal });
  return revisions;
}

/** A new entry, as a draft (nothing answers with it until 发布). */
export function createEntry(body: TEntryCreateRequest): Promise<TEntryDetail> {
  return apiRequest('/api/admin/knowledge/entries', { method: 'POST', body, schema: ZEntryDetail });
}

/** Saves the edited content: a published entry keeps answering with its published content until 发布. */
export function saveEntry(id: string, body: TEntrySaveRequest): Promise<TEntryDetail> {
  return apiRequest(entryPath(id), { method: 'PUT', body, schema: ZEntryDetail });
}

export type EntryAction = 'publish' | 'unpublish' | 'discard-draft';

/** 发布 (the draft, or a never-published entry's content), 下线 (back to draft) or 放弃修改 (drop the draft). */
export function entryAction(id: string, action: EntryAction, body: TEntryActionRequest): Promise<TEntryDetail> {
  return apiRequest(`${entryPath(id)}/${action}`, {
    method: 'POST',
    body: ZEntryActionRequest.parse(body),
    schema: ZEntryDetail,
  });
}

/** Publishes an earlier revision's content as a new revision. */
export function rollbackEntry(id: string, body: z.input<typeof ZEntryRollbackRequest>): Promise<TEntryDetail> {
  return apiRequest(`${entryPath(id)}/rollback`, {
    method: 'POST',
    body: ZEntryRollbackRequest.parse(body),
    schema: ZEntryDetail,
  });
}

export async function fetchTopics(signal?: AbortSignal): Promise<TKnowledgeTopic[]> {
  const { topics } = await apiRequest('/api/admin/knowledge/topics', { schema: ZKnowledgeTopics, signal });
  return topics;
}

/** The policy documents an entry may cite (id and title). */
export async function fetchDocumentOptions(signal?: AbortSignal): Promise<TKnowledgeDocumentOption[]> {
  const { documents } = await apiRequest('/api/admin/knowledge/document-options', {
    schema: ZKnowledgeDocumentOptions,
    signal,
  });
  return documents;
}

// ── topics and synonyms ──────────────────────────────────────────────────────────────────────────

export type TTopicCreateRequest = z.input<typeof ZTopicCreateRequest>;
export type TTopicUpdateRequest = z.input<typeof ZTopicUpdateRequest>;

const topicPath = (id: string) => `/api/admin/knowledge/topics/${encodeURIComponent(id)}`;

/** A new topic; a taken id is refused with a Chinese message. */
export function createTopic(body: TTopicCreateRequest): Promise<TKnowledgeTopic> {
  return apiRequest('/api/admin/knowledge/topics', { method: 'POST', body, schema: ZKnowledgeTopic });
}

/** Renames or re-describes a topic; `updatedAt` is the one the editor saw (a newer one → VERSION_CONFLICT). */
export function updateTopic(id: string, body: TTopicUpdateRequest): Promise<TKnowledgeTopic> {
  return apiRequest(topicPath(id), { method: 'PUT', body, schema: ZKnowledgeTopic });
}

/** The bureau's synonym groups and the version to send back when saving them. */
export function fetchSynonyms(signal?: AbortSignal): Promise<TSynonymGroups> {
  return apiRequest('/api/admin/knowledge/synonyms', { schema: ZSynonymGroups, signal });
}

/** Replaces the whole list if nobody saved it since `version`; answers with the saved list and its new version. */
export function saveSynonyms(body: TSynonymGroups): Promise<TSynonymGroups> {
  return apiRequest('/api/admin/knowledge/synonyms', { method: 'PUT', body, schema: ZSynonymGroups });
}
