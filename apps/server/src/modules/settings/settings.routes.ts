/** HTTP for service settings (administrators): human service hours, handoff rules, 留言 and 工单. */
import { ZCaseSettings, ZHandoffRules, ZSecuritySettings, ZServiceHours, ZSettingUpdate } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { SettingsService } from './settings.service.ts';

export function settingsRoutes(app: FastifyInstance, deps: { settings: SettingsService }) {
  const { settings } = deps;
  app.get('/api/admin/settings/service-hours', { config: { guard: 'supervisor' } }, () =>
    settings.get('service_hours'),
  );
  app.put('/api/admin/settings/service-hours', { config: { guard: 'admin' } }, (req) =>
    settings.update(actorOf(req, 'staff'), 'service_hours', parse(ZSettingUpdate(ZServiceHours), req.body)),
  );
  app.get('/api/admin/settings/handoff-rules', { config: { guard: 'supervisor' } }, () =>
    settings.get('handoff_rules'),
  );
  app.put('/api/admin/settings/handoff-rules', { config: { guard: 'admin' } }, (req) =>
    settings.update(actorOf(req, 'staff'), 'handoff_rules', parse(ZSettingUpdate(ZHandoffRules), req.body)),
  );
  app.get('/api/admin/settings/cases', { config: { guard: 'supervisor' } }, () => settings.get('cases'));
  app.put('/api/admin/settings/cases', { config: { guard: 'admin' } }, (req) =>
    settings.update(actorOf(req, 'staff'), 'cases', parse(ZSettingUpdate(ZCaseSettings), req.body)),
  );
  // 账号安全: the password policy and the administrators' second factor
  app.get('/api/admin/settings/security', { config: { guard: 'supervisor' } }, () => settings.get('security'));
  app.put('/api/admin/settings/security', { config: { guard: 'admin' } }, (req) =>
    settings.update(actorOf(req, 'staff'), 'security', parse(ZSettingUpdate(ZSecuritySettings), req.body)),
  );
}
