/** HTTP for 快捷回复. */
import { ZCannedReplyInput, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { CannedRepliesService } from './canned-replies.service.ts';

export function cannedRepliesRoutes(app: FastifyInstance, deps: { cannedReplies: CannedRepliesService }) {
  const { cannedReplies } = deps;
  app.get('/api/workspace/canned-replies', { config: { guard: 'agent' } }, async (req) => ({
    replies: await cannedReplies.list(actorOf(req, 'staff')),
  }));
  app.post('/api/workspace/canned-replies', { config: { guard: 'agent' } }, (req) =>
    cannedReplies.create(actorOf(req, 'staff'), parse(ZCannedReplyInput, req.body)),
  );
  app.delete('/api/workspace/canned-replies/:id', { config: { guard: 'agent' } }, (req) =>
    cannedReplies.remove(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id),
  );
}
