/** HTTP for 精准推送 (administrators). */
import { ZCaseIdParam, ZPushDraft, ZPushPreviewRequest } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { PushService } from './push.service.ts';

/** An uploaded list of 100 000 taxpayer numbers is about 2 MB of JSON. */
const LIST_BODY_LIMIT = 4 * 1024 * 1024;

export function pushRoutes(app: FastifyInstance, deps: { push: PushService }) {
  const { push } = deps;
  const admin = { config: { guard: 'admin' as const } };
  app.get('/api/admin/pushes', admin, async (req) => ({ pushes: await push.list(actorOf(req, 'staff')) }));
  app.get('/api/admin/pushes/options', admin, (req) => push.options(actorOf(req, 'staff')));
  app.post('/api/admin/pushes', { ...admin, bodyLimit: LIST_BODY_LIMIT }, (req) =>
    push.create(actorOf(req, 'staff'), parse(ZPushDraft, req.body)),
  );
  app.post('/api/admin/pushes/preview', { ...admin, bodyLimit: LIST_BODY_LIMIT }, (req) =>
    push.preview(actorOf(req, 'staff'), parse(ZPushPreviewRequest, req.body).audience),
  );
  app.get('/api/admin/pushes/:id', admin, (req) => push.get(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id));
  app.post('/api/admin/pushes/:id/send', admin, (req) =>
    push.send(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id),
  );
  app.post('/api/admin/pushes/:id/cancel', admin, (req) =>
    push.cancel(actorOf(req, 'staff'), parse(ZCaseIdParam, req.params).id),
  );
}
