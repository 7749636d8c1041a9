/** HTTP for the audit log (审计日志): admins search it. The search itself is on record (audited-routes.ts). */
import { ZAuditQuery } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { AuditService } from './audit.service.ts';

export function auditRoutes(app: FastifyInstance, deps: { audit: AuditService }) {
  app.get('/api/admin/audit', { config: { guard: 'admin' } }, (req) =>
    deps.audit.search(actorOf(req, 'staff'), parse(ZAuditQuery, req.query)),
  );
}
