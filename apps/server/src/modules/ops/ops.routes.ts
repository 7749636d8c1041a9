/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../platform/metrics.ts';

export function opsRoutes(
  app: FastifyInstance,
  deps: { metrics: Metrics; ready: () => Promise<{ ok: boolean; checks: Record<string, string> }> },
) {
  app.get('/healthz', { config: { guard: 'public' } }, () => ({ ok: true }));
  app.get('/readyz', { config: { guard: 'public' } }, async (_req, reply) => {
    const r = await deps.ready();
    return reply.code(r.ok ? 200 : 503).send(r);
  });
  app.get('/metrics', { config: { guard: 'public' } }, async (_req, reply) => {
    reply.header('Content-Type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
