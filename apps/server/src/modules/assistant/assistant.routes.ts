/** HTTP for the bot: the taxpayer's 有用/没用 on an answer. */
import { ZClientId, ZFeedbackRequest, ZTopicParam, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { AssistantService } from './assistant.service.ts';

const ZStartTopic = z.object({ conversationId: z.uuid('会话编号格式不正确'), clientId: ZClientId });

export function assistantRoutes(app: FastifyInstance, deps: { assistant: AssistantService }) {
  app.post('/api/chat/messages/:id/feedback', { config: { guard: 'taxpayer' } }, (req) =>
    deps.assistant.feedback(
      actorOf(req, 'taxpayer'),
      parse(ZUuidParam, req.params).id,
      parse(ZFeedbackRequest, req.body).helpful,
    ),
  );
  app.post('/api/chat/qa-packages/:topicId/start', { config: { guard: 'taxpayer' } }, (req) =>
    deps.assistant.startTopic(
      actorOf(req, 'taxpayer'),
      parse(ZTopicParam, req.params).topicId,
      parse(ZStartTopic, req.body),
    ),
  );
}
