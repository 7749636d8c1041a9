/** HTTP for the knowledge base: document details for the chat; test console, import/export, publishing for staff. */
import {
  ZEntryStatusRequest,
  ZKnowledgeImportRequest,
  ZKnowledgeSearchQuery,
  ZRecommendationsQuery,
  ZTestConsoleRequest,
} from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { KnowledgeService } from './knowledge.service.ts';

const ZRefId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确') });
const ZExportQuery = z.object({
  file: z.enum(['kb', 'topics', 'documents'], '请选择要导出的文件：kb、topics 或 documents'),
});

export function knowledgeRoutes(app: FastifyInstance, deps: { knowledge: KnowledgeService }) {
  const { knowledge } = deps;

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
  app.get('/api/admin/knowledge/export', { config: { guard: 'admin' } }, async (req, reply) => {
    const { file } = parse(ZExportQuery, req.query);
    const body = await knowledge.exportFile(actorOf(req, 'staff'), file);
    return reply
      .header('Content-Type', 'application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file}.jsonl"`)
      .send(body);
  });
  app.post('/api/admin/knowledge/import', { config: { guard: 'admin' }, bodyLimit: 30 * 1024 * 1024 }, (req) =>
    knowledge.importFiles(actorOf(req, 'staff'), parse(ZKnowledgeImportRequest, req.body)),
  );
  app.post('/api/admin/knowledge/entries/:id/status', { config: { guard: 'admin' } }, async (req) => {
    await knowledge.setStatus(
      actorOf(req, 'staff'),
      parse(ZRefId, req.params).id,
      parse(ZEntryStatusRequest, req.body).status,
    );
    return { ok: true };
  });
}
