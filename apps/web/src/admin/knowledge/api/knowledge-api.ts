import {
  type TImportReport,
  type TTestConsoleResult,
  ZImportReport,
  type ZKnowledgeImportRequest,
  ZTestConsoleResult,
  ZUnansweredQuestion,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

export type TUnansweredQuestion = z.infer<typeof ZUnansweredQuestion>;
export type TKnowledgeImportRequest = z.infer<typeof ZKnowledgeImportRequest>;

const ZUnansweredList = z.object({ questions: z.array(ZUnansweredQuestion) });

/** The three files of the knowledge base's exchange format (the layout of the seed knowledge base). */
export const KNOWLEDGE_FILES = [
  { key: 'kb', fileName: 'kb.jsonl', label: '知识条目' },
  { key: 'topics', fileName: 'topics.jsonl', label: '专题' },
  { key: 'documents', fileName: 'documents.jsonl', label: '政策文件' },
] as const;
export type KnowledgeFileKey = (typeof KNOWLEDGE_FILES)[number]['key'];

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

/** Download link of one exchange file (the cookie session authorises it). */
export function exportUrl(file: KnowledgeFileKey): string {
  return `/api/admin/knowledge/export?file=${file}`;
}
