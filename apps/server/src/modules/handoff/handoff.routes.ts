/** HTTP for 转人工: the taxpayer's button and leaving the queue; the agent's presence. */
import { ZSetPresenceRequest } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { AssistantService } from '../assistant/assistant.service.ts';
import type { HandoffService } from './handoff.service.ts';

const ZConversationBody = z.object({ conversationId: z.uuid('会话编号格式不正确') });

export function handoffRoutes(app: FastifyInstance, deps: { handoff: HandoffService; assistant: AssistantService }) {
  app.post('/api/chat/handoff', { config: { guard: 'taxpayer' } }, (req) =>
    deps.assistant.requestHuman(actorOf(req, 'taxpayer'), parse(ZConversationBody, req.body).conversationId),
  );
  app.post('/api/chat/queue/leave', { config: { guard: 'taxpayer' } }, (req) =>
    deps.handoff.leaveQueue(actorOf(req, 'taxpayer'), parse(ZConversationBody, req.body).conversationId),
  );
  app.post('/api/workspace/presence', { config: { guard: 'agent' } }, (req) =>
    deps.handoff.setPresence(actorOf(req, 'staff'), parse(ZSetPresenceRequest, req.body).presence),
  );
}
