/**
 * The knowledge base's exchange format: three JSONL files (kb.jsonl, topics.jsonl, documents.jsonl), the layout of
 * ../shared/kb. Parsing checks every line and every cross-reference and reports each problem with its file and
 * line, so an import is all or nothing.
 */
import { z } from 'zod';

const ZAudience = z.object({
  taxpayerTypes: z.array(z.enum(['general', 'small_scale', 'individual'])).default([]),
  industries: z.array(z.string().max(50)).default([]),
  regions: z.array(z.string().max(50)).default([]),
});

export const ZKbLine = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号只能包含字母、数字、下划线和连字符'),
  topic: z.string().min(1, '缺少专题'),
  question: z.string().trim().min(1, '标准问题不能为空').max(500, '标准问题过长'),
  similar: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
  answer: z.string().trim().min(1, '答案不能为空').max(20_000, '答案过长'),
  documents: z.array(z.string()).max(50).default([]),
  audience: ZAudience.default({ taxpayerTypes: [], industries: [], regions: [] }),
  keywords: z.array(z.string().max(50)).max(50).default([]),
  status: z.enum(['draft', 'published']).optional(),
});
export const ZTopicLine = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确'),
  name: z.string().trim().min(1, '专题名称不能为空').max(100),
  description: z.string().max(2000).default(''),
});
export const ZDocumentLine = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确'),
  title: z.string().trim().min(1, '文档标题不能为空').max(300),
  kind: z.string().min(1).max(30),
  issuer: z.string().max(200).default(''),
  number: z.string().max(200).default(''),
  year: z.number().int().min(1949).max(2100).nullable().optional(),
  summary: z.string().max(5000).default(''),
  topics: z.array(z.string()).default([]),
});
export type KbLine = z.infer<typeof ZKbLine>;
export type TopicLine = z.infer<typeof ZTopicLine>;
export type DocumentLine = z.infer<typeof ZDocumentLine>;

export type LineError = { file: string; line: number; message: string };

/** A record to check: a JSONL line's value, or a spreadsheet row turned into the same shape. */
export type NumberedRecord = { line: number; value: unknown };

/** Checks records against the schema and for repeated ids; every problem is reported with its file and line. */
export function validateRecords<S extends z.ZodType>(
  file: string,
  records: NumberedRecord[],
  schema: S,
  errors: LineError[],
): { value: z.infer<S>; line: number }[] {
  const out: { value: z.infer<S>; line: number }[] = [];
  const seen = new Set<string>();
  for (const { line, value } of records) {
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.join('.') || '';
      const message = issue && /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '字段缺失或格式不正确';
      errors.push({ file, line, message: where ? `${where}：${message}` : message });
      continue;
    }
    const id = (r.data as { id: string }).id;
    if (seen.has(id)) errors.push({ file, line, message: `编号 ${id} 重复` });
    seen.add(id);
    out.push({ value: r.data, line });
  }
  return out;
}

function jsonlRecords(file: string, text: string, errors: LineError[]): NumberedRecord[] {
  const out: NumberedRecord[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    try {
      out.push({ line, value: JSON.parse(raw) });
    } catch {
      errors.push({ file, line, message: '不是有效的 JSON' });
    }
  });
  return out;
}

const parseFile = <S extends z.ZodType>(file: string, text: string, schema: S, errors: LineError[]) =>
  validateRecords(file, jsonlRecords(file, text, errors), schema, errors);

/** Entries may name topics and documents of the same import or already in the knowledge base. */
export function checkReferences(
  file: string,
  entries: { value: KbLine; line: number }[],
  topicIds: Set<string>,
  documentIds: Set<string>,
  errors: LineError[],
) {
  for (const { value, line } of entries) {
    if (!topicIds.has(value.topic)) errors.push({ file, line, message: `专题 ${value.topic} 不存在` });
    for (const d of value.documents) {
      if (!documentIds.has(d)) errors.push({ file, line, message: `相关文档 ${d} 不存在` });
    }
  }
}

/**
 * Parses the three files. Entries may refer to topics and documents in the same import or already in the knowledge
 * base (`existing`), so a curator can import just kb.jsonl.
 */
export function parseKnowledgeFiles(
  files: { kb: string; topics: string; documents: string },
  existing: { topicIds: Iterable<string>; documentIds: Iterable<string> } = { topicIds: [], documentIds: [] },
) {
  const errors: LineError[] = [];
  const topics = parseFile('topics.jsonl', files.topics, ZTopicLine, errors);
  const documents = parseFile('documents.jsonl', files.documents, ZDocumentLine, errors);
  const entries = parseFile('kb.jsonl', files.kb, ZKbLine, errors);
  const topicIds = new Set([...existing.topicIds, ...topics.map((t) => t.value.id)]);
  const documentIds = new Set([...existing.documentIds, ...documents.map((d) => d.value.id)]);
  checkReferences('kb.jsonl', entries, topicIds, documentIds, errors);
  return {
    topics: topics.map((t) => t.value),
    documents: documents.map((d) => d.value),
    entries: entries.map((e) => e.value),
    errors,
  };
}

export const toJsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
