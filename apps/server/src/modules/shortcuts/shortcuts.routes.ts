/** HTTP for 快捷入口: the taxpayer's choice, and the catalogue for administrators. */
import { ZSetShortcutsRequest, ZShortcutInput } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { ShortcutsService } from './shortcuts.service.ts';

const ZShortcutId = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, '编号格式不正确') });

export function shortcutsRoutes(app: FastifyInstance, deps: { shortcuts: ShortcutsService }) {
  const { shortcuts } = deps;
  app.get('/api/chat/shortcuts', { config: { guard: 'taxpayer' } }, (req) => shortcuts.get(actorOf(req, 'taxpayer')));
  app.put('/api/chat/shortcuts', { config: { guard: 'taxpayer' } }, (req) =>
    shortcuts.set(actorOf(req, 'taxpayer'), parse(ZSetShortcutsRequest, req.body).ids),
  );
  app.get('/api/admin/shortcuts', { config: { guard: 'admin' } }, async (req) => ({
    shortcuts: await shortcuts.adminList(actorOf(req, 'staff')),
  }));
  app.put('/api/admin/shortcuts', { config: { guard: 'admin' } }, (req) =>
    shortcuts.upsert(actorOf(req, 'staff'), parse(ZShortcutInput, req.body)),
  );
  app.delete('/api/admin/shortcuts/:id', { config: { guard: 'admin' } }, (req) =>
    shortcuts.remove(actorOf(req, 'staff'), parse(ZShortcutId, req.params).id),
  );
}
