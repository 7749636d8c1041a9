/** HTTP for 组织与人员: staff accounts and the tax-office tree (the office list itself: skill-groups.routes.ts). */
import {
  ZCreateStaffRequest,
  ZCreateTaxOfficeRequest,
  ZDeleteTaxOfficeQuery,
  ZStaffAccountQuery,
  ZTaxOfficeParams,
  ZUpdateStaffRequest,
  ZUpdateTaxOfficeRequest,
  ZUuidParam,
} from '@zhengna/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { OrganizationService } from './organization.service.ts';

/** A temporary password is shown once: no cache may keep the response. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function organizationRoutes(app: FastifyInstance, deps: { organization: OrganizationService }) {
  const { organization } = deps;

  // ── 人员账号 ──────────────────────────────────────────────────────
  app.get('/api/admin/staff', { config: { guard: 'supervisor' } }, (req) =>
    organization.listStaff(actorOf(req, 'staff'), parse(ZStaffAccountQuery, req.query)),
  );
  app.post('/api/admin/staff', { config: { guard: 'admin' } }, async (req, reply) => {
    noStore(reply);
    return organization.createStaff(actorOf(req, 'staff'), parse(ZCreateStaffRequest, req.body));
  });
  app.put('/api/admin/staff/:id', { config: { guard: 'admin' } }, (req) =>
    organization.updateStaff(
      actorOf(req, 'staff'),
      parse(ZUuidParam, req.params).id,
      parse(ZUpdateStaffRequest, req.body),
    ),
  );
  app.post('/api/admin/staff/:id/reset-password', { config: { guard: 'admin' } }, async (req, reply) => {
    noStore(reply);
    return organization.resetPassword(actorOf(req, 'staff'), parse(ZUuidParam, req.params).id);
  });

  // ── 税务机关 ──────────────────────────────────────────────────────
  app.post('/api/admin/tax-offices', { config: { guard: 'admin' } }, (req) =>
    organization.createOffice(actorOf(req, 'staff'), parse(ZCreateTaxOfficeRequest, req.body)),
  );
  app.put('/api/admin/tax-offices/:id', { config: { guard: 'admin' } }, (req) =>
    organization.updateOffice(
      actorOf(req, 'staff'),
      parse(ZTaxOfficeParams, req.params).id,
      parse(ZUpdateTaxOfficeRequest, req.body),
    ),
  );
  app.delete('/api/admin/tax-offices/:id', { config: { guard: 'admin' } }, (req) =>
    organization.deleteOffice(
      actorOf(req, 'staff'),
      parse(ZTaxOfficeParams, req.params).id,
      parse(ZDeleteTaxOfficeQuery, req.query).version,
    ),
  );
}
