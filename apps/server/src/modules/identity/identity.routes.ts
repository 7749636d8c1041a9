/** HTTP for identity: the demo portal's login, single sign-on into the chat, staff login, realtime tokens. */
import {
  ZChangePasswordRequest,
  ZChatSessionExchangeRequest,
  ZPortalLoginRequest,
  ZStaffLoginRequest,
  ZSwitchEnterpriseRequest,
} from '@zhengna/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, COOKIE } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import type { IdentityService } from './identity.service.ts';

const loginRateLimit = { max: 20, timeWindow: '1 minute' };

export function identityRoutes(app: FastifyInstance, deps: { identity: IdentityService; cookieSecure: boolean }) {
  const { identity } = deps;
  const setCookie = (reply: FastifyReply, name: string, value: string) =>
    reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure });

  // ── demo e-tax portal ─────────────────────────────────────────────
  app.post('/api/portal/login', { config: { guard: 'public', rateLimit: loginRateLimit } }, async (req, reply) => {
    const { secret, me } = await identity.portalLogin(parse(ZPortalLoginRequest, req.body));
    setCookie(reply, COOKIE.portal, secret);
    return me;
  });
  app.post('/api/portal/logout', { config: { guard: 'portal' } }, async (req, reply) => {
    await identity.logout(actorOf(req, 'portal'));
    reply.clearCookie(COOKIE.portal, { path: '/' });
    return { ok: true };
  });
  app.get('/api/portal/me', { config: { guard: 'portal' } }, (req) => identity.portalMe(actorOf(req, 'portal')));
  app.post('/api/portal/switch', { config: { guard: 'portal' } }, (req) =>
    identity.switchEnterprise(actorOf(req, 'portal'), parse(ZSwitchEnterpriseRequest, req.body).taxpayerId),
  );
  app.post('/api/portal/chat-token', { config: { guard: 'portal' } }, (req) =>
    identity.issueSsoToken(actorOf(req, 'portal')),
  );

  // ── chat session (single sign-on exchange) ────────────────────────
  app.post('/api/chat/session', { config: { guard: 'public', rateLimit: loginRateLimit } }, async (req) => {
    const { session } = await identity.exchangeSsoToken(parse(ZChatSessionExchangeRequest, req.body).token);
    return session;
  });
  app.post('/api/chat/logout', { config: { guard: 'taxpayer' } }, async (req) => {
    await identity.logout(actorOf(req, 'taxpayer'));
    return { ok: true };
  });
  app.get('/api/chat/profile', { config: { guard: 'taxpayer' } }, (req) =>
    identity.taxpayerProfile(actorOf(req, 'taxpayer')),
  );

  // ── staff ─────────────────────────────────────────────────────────
  app.post('/api/staff/login', { config: { guard: 'public', rateLimit: loginRateLimit } }, async (req, reply) => {
    const { secret, me } = await identity.staffLogin(parse(ZStaffLoginRequest, req.body));
    req.auditWho = { staffId: me.staffId, name: me.name, role: me.role };
    setCookie(reply, COOKIE.staff, secret);
    return me;
  });
  app.post('/api/staff/logout', { config: { guard: 'agent' } }, async (req, reply) => {
    await identity.logout(actorOf(req, 'staff'));
    reply.clearCookie(COOKIE.staff, { path: '/' });
    return { ok: true };
  });
  app.get('/api/staff/me', { config: { guard: 'agent' } }, (req) => identity.staffMe(actorOf(req, 'staff')));
  app.post('/api/staff/password', { config: { guard: 'agent' } }, async (req, reply) => {
    const { secret } = await identity.changeStaffPassword(
      actorOf(req, 'staff'),
      parse(ZChangePasswordRequest, req.body),
    );
    setCookie(reply, COOKIE.staff, secret);
    return { ok: true };
  });

  // ── realtime handshake token (chat bearer or staff cookie) ────────
  app.get('/api/realtime/token', { config: { guard: 'participant' } }, (req) => {
    const actor = req.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED');
    return identity.issueRealtimeToken(actor);
  });
}
