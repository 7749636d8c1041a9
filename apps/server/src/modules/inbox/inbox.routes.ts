/** HTTP for 我的消息. */
import { ZInboxQuery, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { InboxService } from './inbox.service.ts';

export function inboxRoutes(app: FastifyInstance, deps: { inbox: InboxService }) {
  const { inbox } = deps;
  app.get('/api/chat/inbox', { config: { guard: 'taxpayer' } }, (req) =>
    inbox.list(actorOf(req, 'taxpayer'), parse(ZInboxQuery, req.query)),
  );
  app.get('/api/chat/inbox/unread', { config: { guard: 'taxpayer' } }, async (req) => ({
    unread: await inbox.unreadCount(actorOf(req, 'taxpayer')),
  }));
  // the portal's launcher icon shows the count before the chat is ever opened (portal cookie, same person)
  app.get('/api/portal/chat-unread', { config: { guard: 'portal' } }, async (req) => {
    const a = actorOf(req, 'portal');
    return { unread: await inbox.unreadCount({ portalUserId: a.portalUserId, taxpayerId: a.taxpayerId }) };
  });
  app.post('/api/chat/inbox/:id/read', { config: { guard: 'taxpayer' } }, (req) =>
    inbox.markRead(actorOf(req, 'taxpayer'), parse(ZUuidParam, req.params).id),
  );
  app.post('/api/chat/inbox/read-all', { config: { guard: 'taxpayer' } }, (req) =>
    inbox.markAllRead(actorOf(req, 'taxpayer')),
  );
}
