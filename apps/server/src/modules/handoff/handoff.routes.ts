/** HTTP for 转人工: the taxpayer's button and leaving the queue; the agent's presence. */
import { ZAssignRequest, ZSetPresenceRequest, ZTransferRequest, ZUuidParam } from '@zhengna/contracts';
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
  app.get('/api/workspace/queue', { config: { guard: 'agent' } }, async (req) => ({
    queued: await deps.handoff.queue(actorOf(req, 'staff')),
  }));
  app.get('/api/workspace/agents', { config: { guard: 'agent' } }, async () => ({
    agents: await deps.handoff.agents(),
  }));
  app.get('/api/workspace/groups', { config: { guard: 'agent' } }, async () => ({
    groups: await deps.handoff.groups(),
  }));
  app.get('/api/workspace/board', { config: { guard: 'supervisor' } }, (req) =>
    deps.handoff.board(actorOf(req, 'staff')),
  );
  app.post('/api/workspace/conversations/:id/accept', { config: { guard: 'agent' } }, (req) =>
    deps.handoff.accept(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id),
  );
  app.post('/api/workspace/conversations/:id/assign', { config: { guard: 'supervisor' } }, (req) =>
    deps.handoff.assign(
      actorOf(req, 'staff'),
      parse(ZUuidParam, req.params).id,
      parse(ZAssignRequest, req.body).staffId,
    ),
  );
  app.post('/api/workspace/conversations/:id/transfer', { config: { guard: 'agent' } }, (req) =>
    deps.handoff.transfer(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id, parse(ZTransferRequest, req.body)),
  );
  app.post('/api/workspace/conversations/:id/end', { config: { guard: 'agent' } }, (req) =>
    deps.handoff.end(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id),
  );
}
