/** HTTP for identity: the demo portal's login, single sign-on into the chat, staff login, realtime tokens. */
import {
  ZChangePasswordRequest,
  ZChatSessionExchangeRequest,
  ZPortalLoginRequest,
  ZStaffLoginRequest,
  ZStaffLoginTotpRequest,
  ZSwitchEnterpriseRequest,
  ZTotpCodeRequest,
} from '@zhengna/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf, COOKIE } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import { AppError } from '../../platform/app-error.ts';
import type { IdentityService, StaffLoginResult } from './identity.service.ts';

const ZStaffIdParams = z.object({ id: z.uuid('工作人员编号格式不正确') });
/** Routes that still work while a staff member is restricted (expired password, second factor to set up). */
const restricted = { allowRestricted: true } as const;

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
  const answerLogin = (req: FastifyRequest, reply: FastifyReply, result: StaffLoginResult) => {
    if (result.kind === 'totp') {
      req.auditWho = result.who;
      return { needsTotp: true as const, challenge: result.challenge };
    }
    req.auditWho = { staffId: result.me.staffId, name: result.me.name, role: result.me.role };
    setCookie(reply, COOKIE.staff, result.secret);
    return result.me;
  };
  app.post('/api/staff/login', { config: { guard: 'public', rateLimit: loginRateLimit } }, async (req, reply) =>
    answerLogin(req, reply, await identity.staffLogin(parse(ZStaffLoginRequest, req.body))),
  );
  app.post('/api/staff/login/totp', { config: { guard: 'public', rateLimit: loginRateLimit } }, async (req, reply) =>
    answerLogin(req, reply, await identity.completeStaffTotpLogin(parse(ZStaffLoginTotpRequest, req.body))),
  );
  app.post('/api/staff/logout', { config: { guard: 'agent', ...restricted } }, async (req, reply) => {
    await identity.logout(actorOf(req, 'staff'));
    reply.clearCookie(COOKIE.staff, { path: '/' });
    return { ok: true };
  });
  app.get('/api/staff/me', { config: { guard: 'agent', ...restricted } }, (req) =>
    identity.staffMe(actorOf(req, 'staff')),
  );
  app.post('/api/staff/password', { config: { guard: 'agent', ...restricted } }, async (req, reply) => {
    const { secret } = await identity.changeStaffPassword(
      actorOf(req, 'staff'),
      parse(ZChangePasswordRequest, req.body),
    );
    setCookie(reply, COOKIE.staff, secret);
    return { ok: true };
  });

  // ── second factor (TOTP) of the signed-in staff member ───────────
  app.post('/api/staff/totp/setup', { config: { guard: 'agent', ...restricted } }, (req) =>
    identity.setupTotp(actorOf(req, 'staff')),
  );
  app.post('/api/staff/totp/confirm', { config: { guard: 'agent', ...restricted } }, (req) =>
    identity.confirmTotp(actorOf(req, 'staff'), parse(ZTotpCodeRequest, req.body).code),
  );
  app.delete('/api/staff/totp', { config: { guard: 'agent' } }, (req) =>
    identity.disableTotp(actorOf(req, 'staff'), parse(ZTotpCodeRequest, req.body).code),
  );

  // ── 强制下线 (administrators) ──────────────────────────────────────
  app.post('/api/admin/staff/:id/logout', { config: { guard: 'admin' } }, (req) =>
    identity.forceLogoutStaff(actorOf(req, 'staff'), parse(ZStaffIdParams, req.params).id),
  );

  // ── realtime handshake token (chat bearer or staff cookie) ────────
  app.get('/api/realtime/token', { config: { guard: 'participant' } }, (req) => {
    const actor = req.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED');
    return identity.issueRealtimeToken(actor);
  });
}
