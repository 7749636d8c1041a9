/**
 * What each audited HTTP route is called in the audit log. Every staff request that changes something (POST, PUT,
 * PATCH, DELETE under /api) is recorded; a route missing here still is, under a name made from its path, and a test
 * lists the staff routes that lack a stable name. Staff GETs are recorded only when listed here: those that return a
 * taxpayer's personal data (people's names and numbers, transcripts, case contents, call records, files).
 */
import type { TAuditKind } from '@zhengna/contracts';

export type AuditedRoute = {
  action: string;
  /** The record the route's `:id` names. */
  target?: string;
  /** Default: `change` for a state-changing method, `read` for GET. */
  kind?: TAuditKind;
};

const routes: Record<string, AuditedRoute> = {
  // ── staff sign-in ────────────────────────────────────────────────
  'POST /api/staff/login': { action: 'staff.login', kind: 'login' },
  'POST /api/staff/logout': { action: 'staff.logout', kind: 'login' },
  'POST /api/staff/password': { action: 'staff.password.change' },
  'POST /api/staff/login/totp': { action: 'staff.login.totp', kind: 'login' },
  'POST /api/staff/totp/setup': { action: 'staff.totp.setup' },
  'POST /api/staff/totp/confirm': { action: 'staff.totp.enable' },
  'DELETE /api/staff/totp': { action: 'staff.totp.disable' },

  // ── reads of personal data ───────────────────────────────────────
  'GET /api/workspace/conversations/:id/card': { action: 'workspace.taxpayer.read', target: 'conversation' },
  'GET /api/workspace/conversations/:id/messages': { action: 'conversation.messages.read', target: 'conversation' },
  'GET /api/files/:id': { action: 'conversation.file.read', target: 'file' },
  'GET /api/workspace/inquiries': { action: 'inquiry.list' },
  'GET /api/workspace/work-orders': { action: 'work-order.list' },
  'GET /api/workspace/work-orders/:id': { action: 'work-order.read', target: 'work_order' },
  'GET /api/workspace/case-files/:id': { action: 'case-file.read', target: 'case_file' },
  'GET /api/workspace/appointments': { action: 'appointment.list' },
  'GET /api/workspace/appointments/no-shows': { action: 'appointment.no-shows.list' },
  'GET /api/workspace/calls': { action: 'call.records.list' },
  'GET /api/admin/sms/outbox': { action: 'sms.outbox.list' },
  'GET /api/admin/audit': { action: 'audit.search' },
  'POST /api/workspace/conversations/:id/reveal-phone': {
    action: 'workspace.taxpayer.phone.reveal',
    target: 'conversation',
    kind: 'reveal',
  },

  // ── workspace ────────────────────────────────────────────────────
  'POST /api/workspace/presence': { action: 'staff.presence.update' },
  'POST /api/workspace/conversations/:id/accept': { action: 'conversation.accept', target: 'conversation' },
  'POST /api/workspace/conversations/:id/assign': { action: 'conversation.assign', target: 'conversation' },
  'POST /api/workspace/conversations/:id/transfer': { action: 'conversation.transfer', target: 'conversation' },
  'POST /api/workspace/conversations/:id/end': { action: 'conversation.end', target: 'conversation' },
  'POST /api/workspace/conversations/:id/attachments': {
    action: 'conversation.attachment.upload',
    target: 'conversation',
  },
  'POST /api/workspace/canned-replies': { action: 'canned-reply.create' },
  'DELETE /api/workspace/canned-replies/:id': { action: 'canned-reply.delete', target: 'canned_reply' },
  'POST /api/workspace/inquiries/:id/reply': { action: 'inquiry.reply', target: 'inquiry' },
  'POST /api/workspace/inquiries/:id/convert': { action: 'inquiry.convert', target: 'inquiry' },
  'POST /api/workspace/work-orders/:id/actions': { action: 'work-order.act', target: 'work_order' },
  'POST /api/workspace/appointments/:id/start': { action: 'appointment.start', target: 'appointment' },
  'POST /api/workspace/appointments/:id/complete': { action: 'appointment.complete', target: 'appointment' },

  // ── admin console ────────────────────────────────────────────────
  'PUT /api/admin/settings/service-hours': { action: 'settings.service-hours.update' },
  'PUT /api/admin/settings/handoff-rules': { action: 'settings.handoff.update' },
  'PUT /api/admin/settings/cases': { action: 'settings.cases.update' },
  'PUT /api/admin/settings/appointments': { action: 'settings.appointments.update' },
  'PUT /api/admin/settings/security': { action: 'settings.security.update' },
  'POST /api/admin/staff/:id/logout': { action: 'staff.sessions.force-logout', target: 'staff' },
  'PUT /api/admin/shortcuts': { action: 'settings.shortcuts.update' },
  'DELETE /api/admin/shortcuts/:id': { action: 'settings.shortcuts.delete', target: 'shortcut' },
  'PUT /api/admin/skill-groups': { action: 'skill-group.save' },
  'DELETE /api/admin/skill-groups/:id': { action: 'skill-group.delete', target: 'skill_group' },
  'PUT /api/admin/skill-groups/:id/members': { action: 'skill-group.members.update', target: 'skill_group' },
  'PUT /api/admin/staff/:id/capacity': { action: 'staff.capacity.update', target: 'staff' },
  'POST /api/admin/staff': { action: 'staff.create' },
  'PUT /api/admin/staff/:id': { action: 'staff.update', target: 'staff' },
  'POST /api/admin/staff/:id/reset-password': { action: 'staff.password.reset', target: 'staff' },
  'POST /api/admin/tax-offices': { action: 'tax-office.create' },
  'PUT /api/admin/tax-offices/:id': { action: 'tax-office.update', target: 'tax_office' },
  'DELETE /api/admin/tax-offices/:id': { action: 'tax-office.delete', target: 'tax_office' },
  'POST /api/admin/appointment-services': { action: 'appointment-service.create' },
  'PUT /api/admin/appointment-services/:id': { action: 'appointment-service.update', target: 'appointment_service' },
  'DELETE /api/admin/appointment-services/:id': {
    action: 'appointment-service.delete',
    target: 'appointment_service',
  },
  'POST /api/admin/knowledge/test': { action: 'knowledge.test' },
  'POST /api/admin/knowledge/import': { action: 'knowledge.import' },
  'POST /api/admin/knowledge/import-table': { action: 'knowledge.import' },
  'GET /api/admin/knowledge/export': { action: 'knowledge.export' },
  'POST /api/admin/knowledge/entries': { action: 'knowledge.entry.create' },
  'POST /api/admin/knowledge/topics': { action: 'knowledge.topic.create' },
  'PUT /api/admin/knowledge/topics/:id': { action: 'knowledge.topic.update', target: 'knowledge_topic' },
  'PUT /api/admin/knowledge/synonyms': { action: 'knowledge.synonyms.update' },
  'PUT /api/admin/knowledge/entries/:id': { action: 'knowledge.entry.save', target: 'knowledge_entry' },
  'POST /api/admin/knowledge/entries/:id/publish': { action: 'knowledge.entry.publish', target: 'knowledge_entry' },
  'POST /api/admin/knowledge/entries/:id/unpublish': { action: 'knowledge.entry.unpublish', target: 'knowledge_entry' },
  'POST /api/admin/knowledge/entries/:id/discard-draft': {
    action: 'knowledge.entry.discard-draft',
    target: 'knowledge_entry',
  },
  'POST /api/admin/knowledge/entries/:id/rollback': { action: 'knowledge.entry.rollback', target: 'knowledge_entry' },
  'POST /api/admin/pushes': { action: 'push.create' },
  'POST /api/admin/pushes/preview': { action: 'push.preview' },
  'POST /api/admin/pushes/:id/send': { action: 'push.send', target: 'push' },
  'POST /api/admin/pushes/:id/cancel': { action: 'push.cancel', target: 'push' },
};

export const AUDITED_ROUTE_KEYS = Object.keys(routes);

export const CHANGE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function auditedRoute(method: string, url: string): AuditedRoute | undefined {
  return routes[`${method} ${url}`];
}

/** A name for a changing route nobody named yet: `PUT /api/admin/foo/:id/bar` → `admin.foo.bar.put`. */
export function derivedAction(method: string, url: string): string {
  const parts = url
    .replace(/^\/api\//, '')
    .split('/')
    .filter((p) => p && !p.startsWith(':'));
  return [...parts, method.toLowerCase()].join('.');
}
