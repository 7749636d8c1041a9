/**
 * Every route declares its guard in `config.guard`; a route without one fails to register (and a test lists them
 * all). The guard resolves the acting identity from the transport that kind of client uses: the portal and staff
 * use httpOnly cookies, the chat (an iframe, where cookies may be third-party) a bearer token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdentityService } from '../modules/identity/identity.service.ts';
import { type Actor, type Guard, passesGuard } from '../modules/identity/identity.types.ts';
import { AppError } from '../platform/app-error.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    guard?: Guard;
    /** Works for a restricted staff member (expired password, second factor to set up): sign-in housekeeping only. */
    allowRestricted?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const COOKIE = { portal: 'zn_portal', staff: 'zn_staff' } as const;

export type RouteGuardEntry = { method: string; url: string; guard: Guard | undefined };

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

export function installGuards(
  app: FastifyInstance,
  opts: { identity: IdentityService; isAllowedOrigin: (origin: string, host: string | undefined) => boolean },
): RouteGuardEntry[] {
  const registry: RouteGuardEntry[] = [];
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    const guard = (route.config as { guard?: Guard } | undefined)?.guard;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) registry.push({ method, url: route.url, guard });
    if (!guard) throw new Error(`Route ${methods.join(',')} ${route.url} declares no guard`);
  });

  app.addHook('onRequest', async (req) => {
    const guard = req.routeOptions.config.guard;
    if (!guard || guard === 'public') return;

    const usesCookie = guard !== 'taxpayer' && !(guard === 'participant' && bearer(req));
    // Cookie sessions: a state-changing request from another site is refused (CSRF), on top of SameSite cookies.
    if (usesCookie && req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin && !opts.isAllowedOrigin(origin, req.headers.host)) throw new AppError('ORIGIN_NOT_ALLOWED');
    }

    let actor: Actor | null = null;
    if (guard === 'portal') {
      actor = await opts.identity.resolveSession(req.cookies[COOKIE.portal] ?? '', 'portal');
    } else if (guard === 'taxpayer') {
      actor = await opts.identity.resolveSession(bearer(req) ?? '', 'chat');
    } else if (guard === 'participant') {
      const token = bearer(req);
      actor = token
        ? await opts.identity.resolveSession(token, 'chat')
        : await opts.identity.resolveSession(req.cookies[COOKIE.staff] ?? '', 'staff');
    } else {
      actor = await opts.identity.resolveSession(req.cookies[COOKIE.staff] ?? '', 'staff');
    }
    if (!actor) throw new AppError('UNAUTHENTICATED');
    // set before the role check: a refused request is still someone's, and the audit log records who was refused
    // (the handler never runs)
    req.actor = actor;
    if (!passesGuard(guard, actor)) throw new AppError('FORBIDDEN');
    if (actor.kind === 'staff' && actor.restricted && !req.routeOptions.config.allowRestricted) {
      throw new AppError(actor.restricted === 'password_expired' ? 'PASSWORD_EXPIRED' : 'TOTP_REQUIRED');
    }
  });

  return registry;
}

/** The actor of a guarded route, narrowed to the kind its guard admits. */
export function actorOf<K extends Actor['kind']>(req: FastifyRequest, kind: K): Extract<Actor, { kind: K }> {
  const a = req.actor;
  if (!a || a.kind !== kind) throw new AppError('UNAUTHENTICATED');
  return a as Extract<Actor, { kind: K }>;
}
