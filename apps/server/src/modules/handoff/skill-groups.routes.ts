/** HTTP for routing administration: skill groups, members, caps, and the tax-office list. */
import { ZSetCapacityRequest, ZSetMembersRequest, ZSkillGroupInput, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { SkillGroupsService } from './skill-groups.service.ts';

const ZGroupId = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, '编号格式不正确') });

export function skillGroupsRoutes(app: FastifyInstance, deps: { skillGroups: SkillGroupsService }) {
  const { skillGroups } = deps;
  app.get('/api/admin/skill-groups', { config: { guard: 'supervisor' } }, async (req) => ({
    groups: await skillGroups.list(actorOf(req, 'staff')),
  }));
  app.put('/api/admin/skill-groups', { config: { guard: 'admin' } }, (req) =>
    skillGroups.upsert(actorOf(req, 'staff'), parse(ZSkillGroupInput, req.body)),
  );
  app.delete('/api/admin/skill-groups/:id', { config: { guard: 'admin' } }, (req) =>
    skillGroups.remove(actorOf(req, 'staff'), parse(ZGroupId, req.params).id),
  );
  app.put('/api/admin/skill-groups/:id/members', { config: { guard: 'admin' } }, (req) =>
    skillGroups.setMembers(
      actorOf(req, 'staff'),
      parse(ZGroupId, req.params).id,
      parse(ZSetMembersRequest, req.body).staffIds,
    ),
  );
  app.put('/api/admin/staff/:id/capacity', { config: { guard: 'supervisor' } }, (req) =>
    skillGroups.setCapacity(
      actorOf(req, 'staff'),
      parse(ZUuidParam, req.params).id,
      parse(ZSetCapacityRequest, req.body).maxConcurrent,
    ),
  );
  app.get('/api/admin/tax-offices', { config: { guard: 'supervisor' } }, async () => ({
    offices: await skillGroups.offices(),
  }));
}
