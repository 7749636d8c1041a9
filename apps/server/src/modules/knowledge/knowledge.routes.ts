/**
 * HTTP for the knowledge base: document details for the chat; for staff the test console, import/export (JSONL,
 * CSV, Excel) and the entries' editing, publishing, history and rollback. Supervisors read; admins change.
 */
import {
  ZEntryActionRequest,
  ZEntryCreateRequest,
  ZEntryListQuery,
  ZEntryRollbackRequest,
  ZEntrySaveRequest,
  ZKnowledgeImportRequest,
  ZKnowledgeSearchQuery,
  ZKnowledgeTableImportRequest,
  ZRecommendationsQuery,
  ZSynonymGroups,
  ZTestConsoleRequest,
  ZTopicCreateRequest,
  ZTopicUpdateRequest,
} from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { KnowledgeService } from './knowledge.service.ts';
import type { KnowledgeCuration } from './knowledge-curation.service.ts';
import type { KnowledgeEntries } from './knowledge-entries.service.ts';

const ZRefId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确') });
const ZExportQuery = z
  .object({
    file: z.enum(['kb', 'topics', 'documents'], '请选择要导出的文件：kb、topics 或 documents'),
    format: z.enum(['jsonl', 'csv', 'xlsx'], '导出格式只能是 jsonl、csv 或 xlsx').default('jsonl'),
  })
  .refine((q) => q.format === 'jsonl' || q.file === 'kb', '只有知识条目可以导出为 CSV 或 Excel');

const CONTENT_TYPES = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function knowledgeRoutes(
  app: FastifyInstance,
  deps: { knowledge: KnowledgeService; entries: KnowledgeEntries; curation: KnowledgeCuration },
) {
  const { knowledge, entries, curation } = deps;

  app.get('/api/chat/documents/:id', { config: { guard: 'participant' } }, (req) =>
    knowledge.document(parse(ZRefId, req.params).id),
  );

  app.get('/api/chat/recommendations', { config: { guard: 'taxpayer' } }, (req) =>
    knowledge.recommendations(actorOf(req, 'taxpayer'), parse(ZRecommendationsQuery, req.query).page),
  );
  app.get('/api/chat/qa-packages', { config: { guard: 'taxpayer' } }, async (req) => ({
    packages: await knowledge.packages(actorOf(req, 'taxpayer')),
  }));

  app.get('/api/workspace/knowledge/search', { config: { guard: 'agent' } }, async (req) => ({
    hits: await knowledge.search(actorOf(req, 'staff'), parse(ZKnowledgeSearchQuery, req.query).q),
  }));

  app.post('/api/admin/knowledge/test', { config: { guard: 'supervisor' } }, (req) =>
    knowledge.testConsole(actorOf(req, 'staff'), parse(ZTestConsoleRequest, req.body)),
  );
  app.get('/api/admin/knowledge/unanswered', { config: { guard: 'supervisor' } }, async (req) => ({
    questions: await knowledge.unanswered(actorOf(req, 'staff')),
  }));
  app.get('/api/admin/knowledge/export', { config: { guard: 'supervisor' } }, async (req, reply) => {
    const { file, format } = parse(ZExportQuery, req.query);
    const actor = actorOf(req, 'staff');
    const body =
      format === 'jsonl' ? await knowledge.exportFile(actor, file) : await knowledge.exportTable(actor, format);
    return reply
      .header('Content-Type', CONTENT_TYPES[format])
      .header('Content-Disposition', `attachment; filename="${file}.${format}"`)
      .send(body);
  });
  app.post('/api/admin/knowledge/import', { config: { guard: 'admin' }, bodyLimit: 30 * 1024 * 1024 }, (req) =>
    knowledge.importFiles(actorOf(req, 'staff'), parse(ZKnowledgeImportRequest, req.body)),
  );
  app.post('/api/admin/knowledge/import-table', { config: { guard: 'admin' }, bodyLimit: 30 * 1024 * 1024 }, (req) =>
    knowledge.importTable(actorOf(req, 'staff'), parse(ZKnowledgeTableImportRequest, req.body)),
  );

  // ── entries ──
  app.get('/api/admin/knowledge/entries', { config: { guard: 'supervisor' } }, (req) =>
    entries.list(actorOf(req, 'staff'), parse(ZEntryListQuery, req.query)),
  );
  app.get('/api/admin/knowledge/topics', { config: { guard: 'supervisor' } }, async (req) => ({
    topics: await entries.topics(actorOf(req, 'staff')),
  }));
  app.get('/api/admin/knowledge/document-options', { config: { guard: 'supervisor' } }, async (req) => ({
    documents: await entries.documentOptions(actorOf(req, 'staff')),
  }));
  app.get('/api/admin/knowledge/entries/:id', { config: { guard: 'supervisor' } }, (req) =>
    entries.get(actorOf(req, 'staff'), parse(ZRefId, req.params).id),
  );
  app.get('/api/admin/knowledge/entries/:id/revisions', { config: { guard: 'supervisor' } }, async (req) => ({
    revisions: await entries.revisions(actorOf(req, 'staff'), parse(ZRefId, req.params).id),
  }));
  app.post('/api/admin/knowledge/entries', { config: { guard: 'admin' } }, (req) =>
    entries.create(actorOf(req, 'staff'), parse(ZEntryCreateRequest, req.body)),
  );
  app.put('/api/admin/knowledge/entries/:id', { config: { guard: 'admin' } }, (req) =>
    entries.save(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZEntrySaveRequest, req.body)),
  );
  app.post('/api/admin/knowledge/entries/:id/publish', { config: { guard: 'admin' } }, (req) =>
    entries.publish(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZEntryActionRequest, req.body)),
  );
  app.post('/api/admin/knowledge/entries/:id/unpublish', { config: { guard: 'admin' } }, (req) =>
    entries.unpublish(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZEntryActionRequest, req.body)),
  );
  app.post('/api/admin/knowledge/entries/:id/discard-draft', { config: { guard: 'admin' } }, (req) =>
    entries.discardDraft(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZEntryActionRequest, req.body)),
  );
  app.post('/api/admin/knowledge/entries/:id/rollback', { config: { guard: 'admin' } }, (req) =>
    entries.rollback(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZEntryRollbackRequest, req.body)),
  );

  // ── topics and synonyms ──
  app.post('/api/admin/knowledge/topics', { config: { guard: 'admin' } }, (req) =>
    curation.createTopic(actorOf(req, 'staff'), parse(ZTopicCreateRequest, req.body)),
  );
  app.put('/api/admin/knowledge/topics/:id', { config: { guard: 'admin' } }, (req) =>
    curation.updateTopic(actorOf(req, 'staff'), parse(ZRefId, req.params).id, parse(ZTopicUpdateRequest, req.body)),
  );
  app.get('/api/admin/knowledge/synonyms', { config: { guard: 'supervisor' } }, (req) =>
    curation.synonyms(actorOf(req, 'staff')),
  );
  app.put('/api/admin/knowledge/synonyms', { config: { guard: 'admin' }, bodyLimit: 2 * 1024 * 1024 }, (req) =>
    curation.saveSynonyms(actorOf(req, 'staff'), parse(ZSynonymGroups, req.body)),
  );
}
