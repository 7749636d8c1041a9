/** HTTP for conversations: the taxpayer's chat, the workspace list, history pages, attachments. */
import { ZMessagePageQuery, ZPortalPage, ZRatingRequest, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import type { FileStore } from '../../platform/files.ts';
import { isInlineImage, MAX_FILE_BYTES } from './attachment-rules.ts';
import type { ConversationService } from './conversation.service.ts';

const ZCurrentConversationQuery = z.object({ page: ZPortalPage.optional() });
const ZWorkspaceListQuery = z.object({ scope: z.enum(['mine', 'all']).default('all') });

export function conversationRoutes(
  app: FastifyInstance,
  deps: { conversations: ConversationService; files: FileStore },
) {
  const { conversations, files } = deps;

  app.get('/api/chat/conversation', { config: { guard: 'taxpayer' } }, (req) =>
    conversations.current(actorOf(req, 'taxpayer'), 30, parse(ZCurrentConversationQuery, req.query).page),
  );
  app.post('/api/chat/conversations/:id/rating', { config: { guard: 'taxpayer' } }, (req) =>
    conversations.rate(actorOf(req, 'taxpayer'), parse(ZUuidParam, req.params).id, parse(ZRatingRequest, req.body)),
  );
  app.get('/api/workspace/conversations/:id/card', { config: { guard: 'agent' } }, (req) =>
    conversations.card(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id),
  );

  // a POST, not a GET: each reveal is a deliberate act, on record (kind `reveal`), and never cached
  app.post('/api/workspace/conversations/:id/reveal-phone', { config: { guard: 'agent' } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return conversations.revealPhone(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id);
  });

  app.get('/api/chat/conversations/:id/messages', { config: { guard: 'taxpayer' } }, (req) =>
    conversations.messages(
      actorOf(req, 'taxpayer'),
      parse(ZUuidParam, req.params).id,
      parse(ZMessagePageQuery, req.query),
    ),
  );

  app.get('/api/workspace/conversations', { config: { guard: 'agent' } }, async (req) => ({
    conversations: await conversations.workspaceList(
      actorOf(req, 'staff'),
      parse(ZWorkspaceListQuery, req.query).scope,
    ),
  }));

  app.get('/api/workspace/conversations/:id/messages', { config: { guard: 'agent' } }, (req) =>
    conversations.messages(
      actorOf(req, 'staff'),
      parse(ZUuidParam, req.params).id,
      parse(ZMessagePageQuery, req.query),
    ),
  );

  /** Reads the one file of a multipart upload; the size cap is enforced while it streams in. */
  async function readFile(req: FastifyRequest) {
    const part = await req.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } });
    if (!part) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件。');
    const data = await part.toBuffer();
    if (part.file.truncated) throw new AppError('FILE_TOO_LARGE');
    return { data, fileName: part.filename };
  }

  const uploadLimit = { max: 30, timeWindow: '1 minute' };
  app.post(
    '/api/chat/conversations/:id/attachments',
    { config: { guard: 'taxpayer', rateLimit: uploadLimit } },
    async (req) =>
      conversations.upload(actorOf(req, 'taxpayer'), parse(ZUuidParam, req.params).id, await readFile(req)),
  );
  app.post(
    '/api/workspace/conversations/:id/attachments',
    { config: { guard: 'agent', rateLimit: uploadLimit } },
    async (req) => conversations.upload(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id, await readFile(req)),
  );

  app.get('/api/files/:id', { config: { guard: 'participant' } }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED');
    const row = await conversations.attachmentFor(actor, parse(ZUuidParam, req.params).id);
    const disposition = isInlineImage(row.mime) ? 'inline' : 'attachment';
    reply
      .header('Content-Type', row.mime)
      .header('Content-Length', row.size)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, max-age=3600')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header(
        'Content-Disposition',
        `${disposition}; filename="file"; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
      );
    return reply.send(await files.get(row.storageKey));
  });
}
