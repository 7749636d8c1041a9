/**
 * The built web app (apps/web/dist): portal pages, the chat widget, the workspace, the admin console and embed.js.
 * Served through our own guarded routes (fastify-static registers none), so the guard test covers them too.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/app-error.ts';

const FACES = ['widget', 'workspace', 'admin'] as const;

export async function webRoutes(app: FastifyInstance, deps: { dist: string }) {
  const { dist } = deps;
  await app.register(fastifyStatic, { root: dist, serve: false, index: false });
  const built = existsSync(path.join(dist, 'index.html'));

  const send = (file: string) => (_req: unknown, reply: import('fastify').FastifyReply) => {
    if (!built) throw new AppError('SERVICE_UNAVAILABLE', '前端尚未构建，请先运行 npm run build。');
    return reply.sendFile(file, { maxAge: 0 });
  };

  app.get('/', { config: { guard: 'public' } }, send('index.html'));
  for (const face of FACES) {
    app.get(`/${face}`, { config: { guard: 'public' } }, (_req, reply) => reply.redirect(`/${face}/`));
    app.get(`/${face}/`, { config: { guard: 'public' } }, send(`${face}/index.html`));
  }
  app.get('/embed.js', { config: { guard: 'public' } }, (_req, reply) => {
    if (!built) throw new AppError('SERVICE_UNAVAILABLE');
    // any portal may include the loader, so it is cacheable but revalidated, and readable from other origins
    // (helmet's default Cross-Origin-Resource-Policy, same-origin, makes browsers refuse it on every portal)
    return reply
      .header('Cache-Control', 'public, max-age=300')
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .sendFile('embed.js', { maxAge: 0 });
  });
  // hashed assets and the portal's pages
  app.get('/assets/*', { config: { guard: 'public' } }, (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    return reply.sendFile(`assets/${rest}`, { maxAge: 31_536_000_000, immutable: true });
  });
  app.get('/portal/*', { config: { guard: 'public' } }, (req, reply) => {
    const rest = (req.params as { '*': string })['*'] || 'index.html';
    if (!/^[\w-]+\.html$/.test(rest)) throw new AppError('NOT_FOUND');
    return reply.sendFile(`portal/${rest}`, { maxAge: 0 });
  });
}
