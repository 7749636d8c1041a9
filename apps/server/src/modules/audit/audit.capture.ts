/**
 * Records staff HTTP actions in the audit log, from one hook rather than in every handler: changes (any POST, PUT,
 * PATCH or DELETE under /api), reads of personal data and logins (the routes named in audited-routes.ts).
 *
 * It runs in onSend, before the response leaves: a read is on record by the time its data reaches the browser, and
 * the status is final by then (the error handler has already mapped a refusal). Only the route, its `:id`, the
 * status and the address are kept — never a body, so never message text, a password, a token or a full number.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditService, type AuditWho, resultOfStatus } from './audit.service.ts';
import { auditedRoute, CHANGE_METHODS, derivedAction } from './audited-routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the staff login route once it knows who signed in (there is no session actor yet). */
    auditWho?: AuditWho;
  }
}

/** The username a login tried (never the password), as typed, bounded. */
function usernameTried(req: FastifyRequest): string {
  const u = (req.body as { username?: unknown } | undefined)?.username;
  return typeof u === 'string' ? u.trim().slice(0, 64) : '';
}

export function installAuditCapture(app: FastifyInstance, deps: { audit: AuditService }) {
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    if (!url?.startsWith('/api/')) return payload;
    const named = auditedRoute(req.method, url);
    const changing = CHANGE_METHODS.has(req.method);
    if (!named && !changing) return payload;
    const kind = named?.kind ?? (changing ? 'change' : 'read');

    const actor = req.actor;
    let who: AuditWho;
    let target: { type: string; id: string | null } | null = null;
    const id = (req.params as { id?: unknown } | undefined)?.id;
    if (named?.target) target = { type: named.target, id: typeof id === 'string' ? id : null };
    if (actor?.kind === 'staff') {
      who = { staffId: actor.staffId, name: actor.name, role: actor.role };
    } else if (kind === 'login') {
      const username = usernameTried(req);
      who = req.auditWho ?? { staffId: null, name: username || '（未填写用户名）', role: null };
      target = { type: 'username', id: username || null };
    } else {
      return payload; // taxpayers, the portal, and requests without a login
    }

    await deps.audit.record({
      who,
      kind,
      action: named?.action ?? derivedAction(req.method, url),
      target,
      result: resultOfStatus(reply.statusCode),
      status: String(reply.statusCode),
      ip: req.ip,
      request: `${req.method} ${req.url.split('?')[0]}`,
    });
    return payload;
  });
}
