/**
 * Identity use cases: portal login (demo e-tax portal), portal → chat single sign-on, staff login, sessions with idle
 * and absolute expiry, lockout after repeated failures, password change ending every other session, and the
 * short-lived token a socket presents in its handshake.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { maskPhone, type TChatSession, type TPortalMe, type TStaffMe, type TTaxpayerProfile } from '@zhengna/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { portalUsers, staff } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { identityRepo, type SessionRow } from './identity.repo.ts';
import type { Actor, PortalActor, StaffActor, TaxpayerActor } from './identity.types.ts';
import { burnVerifyTime, hashPassword, verifyPassword } from './password.ts';
import type { Secrets } from './secrets.ts';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const SSO_TTL_SECONDS = 120;
const REALTIME_TTL_SECONDS = 60;
const PORTAL_ABSOLUTE_HOURS = 8;
const TOUCH_EVERY_MS = 60_000;

export type IdentityDeps = {
  db: Db;
  secrets: Secrets;
  bus: EventBus;
  policy: {
    staffIdleMs: number;
    staffAbsoluteMs: number;
    taxpayerIdleMs: number;
    taxpayerAbsoluteMs: number;
  };
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export function createIdentityService(deps: IdentityDeps) {
  const { db } = deps;

  async function openSession(values: {
    kind: SessionRow['kind'];
    portalUserId?: string;
    taxpayerId?: string;
    staffId?: string;
    absoluteMs: number;
  }) {
    const secret = newSecret();
    const row = await identityRepo.insertSession(db, {
      kind: values.kind,
      portalUserId: values.portalUserId ?? null,
      taxpayerId: values.taxpayerId ?? null,
      staffId: values.staffId ?? null,
      tokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + values.absoluteMs),
    });
    return { secret, session: row };
  }

  async function profileOf(taxpayerId: string): Promise<TTaxpayerProfile> {
    const p = await identityRepo.profile(db, taxpayerId);
    if (!p) throw new AppError('NOT_FOUND');
    return p;
  }

  function isLocked(row: { lockedUntil: Date | null }) {
    return row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now();
  }

  /** Resolves a session secret to the actor, enforcing revocation, idle and absolute expiry. */
  async function resolveSession(secret: string, kind: SessionRow['kind']): Promise<Actor | null> {
    if (!secret || secret.length > 200) return null;
    const row = await identityRepo.sessionByTokenHash(db, sha256(secret));
    if (!row || row.kind !== kind) return null;
    return actorFromSession(row);
  }

  async function actorFromSession(row: SessionRow): Promise<Actor | null> {
    const now = Date.now();
    if (row.revokedAt || row.expiresAt.getTime() <= now) return null;
    const idleMs = row.kind === 'staff' ? deps.policy.staffIdleMs : deps.policy.taxpayerIdleMs;
    if (now - row.lastSeenAt.getTime() > idleMs) return null;

    let actor: Actor | null = null;
    if (row.kind === 'staff' && row.staffId) {
      const s = await identityRepo.staffById(db, row.staffId);
      // a session older than the last password change is dead even if not revoked (belt and braces)
      if (!s?.active || s.passwordChangedAt > row.createdAt) return null;
      actor = { kind: 'staff', sessionId: row.id, staffId: s.id, role: s.role, name: s.name };
    } else if (row.portalUserId && row.taxpayerId) {
      const u = await identityRepo.portalUser(db, row.portalUserId);
      if (!u || u.passwordChangedAt > row.createdAt) return null;
      actor =
        row.kind === 'chat'
          ? {
              kind: 'taxpayer',
              sessionId: row.id,
              portalUserId: u.id,
              taxpayerId: row.taxpayerId,
              personName: u.name,
            }
          : { kind: 'portal', sessionId: row.id, portalUserId: u.id, taxpayerId: row.taxpayerId };
    }
    if (actor && now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await identityRepo.touchSession(db, row.id);
    return actor;
  }

  async function portalMe(actor: PortalActor): Promise<TPortalMe> {
    const user = await identityRepo.portalUser(db, actor.portalUserId);
    if (!user) throw new AppError('UNAUTHENTICATED');
    return {
      userId: user.id,
      personName: user.name,
      phone: maskPhone(user.phone),
      current: await profileOf(actor.taxpayerId),
      enterprises: await identityRepo.enterprisesOf(db, user.id),
    };
  }

  return {
    resolveSession,

    async resolveSessionById(sessionId: string): Promise<Actor | null> {
      const row = await identityRepo.sessionById(db, sessionId);
      return row ? actorFromSession(row) : null;
    },

    /** Portal login: a taxpayer id and the password of a person who acts for that taxpayer. */
    async portalLogin(input: { taxpayerNo: string; password: string }) {
      const members = await identityRepo.membersOfTaxpayerNo(db, input.taxpayerNo);
      if (members.length === 0) {
        await burnVerifyTime(input.password);
        throw new AppError('INVALID_CREDENTIALS', '纳税人识别号或密码不正确。');
      }
      if (members.every((m) => isLocked(m.user))) throw new AppError('ACCOUNT_LOCKED');
      for (const m of members) {
        if (isLocked(m.user)) continue;
        if (await verifyPassword(m.user.passwordHash, input.password)) {
          await identityRepo.clearFailures(db, portalUsers, m.user.id);
          const { secret, session } = await openSession({
            kind: 'portal',
            portalUserId: m.user.id,
            taxpayerId: m.taxpayerId,
            absoluteMs: PORTAL_ABSOLUTE_HOURS * 3600_000,
          });
          const actor: PortalActor = {
            kind: 'portal',
            sessionId: session.id,
            portalUserId: m.user.id,
            taxpayerId: m.taxpayerId,
          };
          return { secret, me: await portalMe(actor) };
        }
      }
      const ids = members.map((m) => m.user.id);
      await identityRepo.recordFailure(db, portalUsers, ids, LOCK_AFTER_FAILURES, LOCK_MS);
      throw new AppError('INVALID_CREDENTIALS', '纳税人识别号或密码不正确。');
    },

    portalMe,

    async switchEnterprise(actor: PortalActor, taxpayerId: string): Promise<TPortalMe> {
      if (!(await identityRepo.isMember(db, actor.portalUserId, taxpayerId))) {
        throw new AppError('FORBIDDEN', '您不是该企业的办税人员，无法切换。');
      }
      await identityRepo.updateSessionTaxpayer(db, actor.sessionId, taxpayerId);
      return portalMe({ ...actor, taxpayerId });
    },

    /** The portal signs a short-lived, single-use token that the chat exchanges for its own session. */
    async issueSsoToken(actor: PortalActor) {
      const token = await new SignJWT({ tid: actor.taxpayerId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(actor.portalUserId)
        .setJti(randomUUID())
        .setIssuer('zhengna-portal')
        .setAudience('zhengna-chat')
        .setIssuedAt()
        .setExpirationTime(`${SSO_TTL_SECONDS}s`)
        .sign(deps.secrets.sso);
      return { token, expiresInSeconds: SSO_TTL_SECONDS };
    },

    async exchangeSsoToken(token: string): Promise<{ secret: string; session: TChatSession }> {
      let payload: { sub?: string; tid?: unknown; jti?: string; exp?: number };
      try {
        ({ payload } = await jwtVerify(token, deps.secrets.sso, {
          issuer: 'zhengna-portal',
          audience: 'zhengna-chat',
          algorithms: ['HS256'],
        }));
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new AppError('SSO_TOKEN_EXPIRED');
        throw new AppError('SSO_TOKEN_INVALID');
      }
      const { sub, tid, jti, exp } = payload;
      if (!sub || typeof tid !== 'string' || !jti || !exp) throw new AppError('SSO_TOKEN_INVALID');
      if (!(await identityRepo.isMember(db, sub, tid))) throw new AppError('SSO_TOKEN_INVALID');
      if (!(await identityRepo.claimSsoToken(db, jti, new Date(exp * 1000)))) {
        throw new AppError('SSO_TOKEN_REPLAYED');
      }
      const user = await identityRepo.portalUser(db, sub);
      if (!user) throw new AppError('SSO_TOKEN_INVALID');
      const { secret, session } = await openSession({
        kind: 'chat',
        portalUserId: sub,
        taxpayerId: tid,
        absoluteMs: deps.policy.taxpayerAbsoluteMs,
      });
      return {
        secret,
        session: {
          accessToken: secret,
          expiresAt: session.expiresAt.toISOString(),
          profile: await profileOf(tid),
          personName: user.name,
        },
      };
    },

    async taxpayerProfile(actor: TaxpayerActor) {
      return profileOf(actor.taxpayerId);
    },

    async staffLogin(input: { username: string; password: string }): Promise<{ secret: string; me: TStaffMe }> {
      const s = await identityRepo.staffByUsername(db, input.username);
      if (!s?.active) {
        await burnVerifyTime(input.password);
        throw new AppError('INVALID_CREDENTIALS', '用户名或密码不正确。');
      }
      if (isLocked(s)) throw new AppError('ACCOUNT_LOCKED');
      if (!(await verifyPassword(s.passwordHash, input.password))) {
        await identityRepo.recordFailure(db, staff, [s.id], LOCK_AFTER_FAILURES, LOCK_MS);
        const left = LOCK_AFTER_FAILURES - (s.failedLogins + 1);
        if (left <= 0) throw new AppError('ACCOUNT_LOCKED');
        throw new AppError('INVALID_CREDENTIALS', `用户名或密码不正确，再错 ${left} 次账号将被锁定。`);
      }
      await identityRepo.clearFailures(db, staff, s.id);
      const { secret } = await openSession({ kind: 'staff', staffId: s.id, absoluteMs: deps.policy.staffAbsoluteMs });
      return {
        secret,
        me: {
          staffId: s.id,
          username: s.username,
          name: s.name,
          role: s.role,
          taxOfficeId: s.taxOfficeId,
          presence: s.presence,
        },
      };
    },

    async staffMe(actor: StaffActor): Promise<TStaffMe> {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      return {
        staffId: s.id,
        username: s.username,
        name: s.name,
        role: s.role,
        taxOfficeId: s.taxOfficeId,
        presence: s.presence,
      };
    },

    /** Changing a password ends every other session of that person (and their open sockets). */
    async changeStaffPassword(actor: StaffActor, input: { currentPassword: string; newPassword: string }) {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s || !(await verifyPassword(s.passwordHash, input.currentPassword))) {
        throw new AppError('INVALID_CREDENTIALS', '当前密码不正确。');
      }
      if (input.currentPassword === input.newPassword) {
        throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同。');
      }
      await identityRepo.setPassword(db, staff, s.id, await hashPassword(input.newPassword));
      const revoked = await identityRepo.revokeAllFor(db, { staffId: s.id }, actor.sessionId);
      deps.bus.publish('session.revoked', { sessionIds: revoked, reason: '密码已修改，请重新登录。' });
      // the caller's session (and its sockets) carries on under a fresh secret, dated after the change
      const secret = newSecret();
      await identityRepo.rotateSession(db, actor.sessionId, sha256(secret));
      return { secret };
    },

    async logout(actor: Actor) {
      await identityRepo.revokeSession(db, actor.sessionId);
      deps.bus.publish('session.revoked', { sessionIds: [actor.sessionId], reason: '已退出登录。' });
    },

    async issueRealtimeToken(actor: Actor) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(actor.sessionId)
        .setAudience('zhengna-realtime')
        .setIssuedAt()
        .setExpirationTime(`${REALTIME_TTL_SECONDS}s`)
        .sign(deps.secrets.realtime);
      return { token, expiresInSeconds: REALTIME_TTL_SECONDS };
    },

    /** The socket handshake: a valid, unexpired realtime token whose session is still alive. */
    async actorFromRealtimeToken(token: string): Promise<Actor | null> {
      try {
        const { payload } = await jwtVerify(token, deps.secrets.realtime, {
          audience: 'zhengna-realtime',
          algorithms: ['HS256'],
        });
        if (!payload.sub) return null;
        const row = await identityRepo.sessionById(db, payload.sub);
        return row ? actorFromSession(row) : null;
      } catch {
        return null;
      }
    },

    purgeExpired: () => identityRepo.purgeExpired(db),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
