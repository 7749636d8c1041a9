/**
 * Identity use cases: portal login (demo e-tax portal), portal → chat single sign-on, staff login, sessions with idle
 * and absolute expiry, lockout after repeated failures, password change ending every other session, and the
 * short-lived token a socket presents in its handshake.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  maskPhone,
  passwordProblems,
  type TChatSession,
  type TPortalMe,
  type TSecuritySettings,
  type TStaffMe,
  type TTaxpayerProfile,
  type TTotpSetupResponse,
} from '@zhengna/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { portalUsers, staff } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { identityRepo, type SessionRow, type StaffRow } from './identity.repo.ts';
import type { Actor, PortalActor, StaffActor, TaxpayerActor } from './identity.types.ts';
import { burnVerifyTime, hashPassword, verifyPassword } from './password.ts';
import { type Secrets, seal, unseal } from './secrets.ts';
import { newTotpSecret, totpStepOf } from './totp.ts';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const SSO_TTL_SECONDS = 120;
const REALTIME_TTL_SECONDS = 60;
const PORTAL_ABSOLUTE_HOURS = 8;
const TOUCH_EVERY_MS = 60_000;
/** How long the password step of a two-factor login stays good for the code step. */
export const TOTP_CHALLENGE_TTL_SECONDS = 300;
const CHALLENGE_AUDIENCE = 'zhengna-staff-totp';
const DAY_MS = 24 * 3600_000;

type StaffWho = { staffId: string; name: string; role: StaffActor['role'] };
export type StaffLoginResult =
  | { kind: 'signed-in'; secret: string; me: TStaffMe }
  | { kind: 'totp'; challenge: string; who: StaffWho };

export type IdentityDeps = {
  db: Db;
  secrets: Secrets;
  bus: EventBus;
  /** 账号安全 settings (password policy, administrators' second factor), read per request through their cache. */
  security: () => Promise<TSecuritySettings>;
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

  /** What a staff member must do before anything else works: change an expired password, or set up the second factor. */
  async function restrictionOf(s: StaffRow): Promise<StaffActor['restricted']> {
    // a temporary password (new account, administrator's reset) goes through the same must-change step
    if (s.mustChangePassword) return 'password_expired';
    const policy = await deps.security();
    const days = policy.passwordExpiryDays;
    if (days > 0 && Date.now() - s.passwordChangedAt.getTime() > days * DAY_MS) return 'password_expired';
    if (s.role === 'admin' && policy.requireAdminTotp && !s.totpEnabled) return 'totp_enrolment';
    return undefined;
  }

  function meOf(s: StaffRow, restricted: StaffActor['restricted']): TStaffMe {
    return {
      staffId: s.id,
      username: s.username,
      name: s.name,
      role: s.role,
      taxOfficeId: s.taxOfficeId,
      presence: s.presence,
      mustChangePassword: restricted === 'password_expired',
      mustEnrolTotp: restricted === 'totp_enrolment',
      totpEnabled: s.totpEnabled,
    };
  }

  /** Throws VALIDATION_FAILED naming what a new staff password lacks under the current policy. */
  async function assertPasswordPolicy(password: string) {
    const problems = passwordProblems(password, (await deps.security()).passwordMinLength);
    if (problems.length === 0) return;
    const text = problems.join('；');
    throw new AppError('VALIDATION_FAILED', `新密码不符合密码策略：${text}。`, { newPassword: text });
  }

  /** `counted`: the failure count after an attempt reserved beforehand; otherwise the failure is recorded here. */
  async function failedSecondFactor(s: StaffRow, counted?: number): Promise<never> {
    if (counted === undefined) await identityRepo.recordFailure(db, staff, [s.id], LOCK_AFTER_FAILURES, LOCK_MS);
    const left = LOCK_AFTER_FAILURES - (counted ?? s.failedLogins + 1);
    if (left <= 0) throw new AppError('ACCOUNT_LOCKED');
    throw new AppError('TOTP_INVALID', `动态验证码不正确或已使用，再错 ${left} 次账号将被锁定。`);
  }

  async function signInStaff(s: StaffRow): Promise<StaffLoginResult> {
    await identityRepo.clearFailures(db, staff, s.id);
    const { secret } = await openSession({ kind: 'staff', staffId: s.id, absoluteMs: deps.policy.staffAbsoluteMs });
    return { kind: 'signed-in', secret, me: meOf(s, await restrictionOf(s)) };
  }

  /** Resolves a session secret to the actor, enforcing revocation, idle and absolute expiry. */
  async function resolveSession(secret: string, kind: SessionRow['kind']): Promise<Actor | null> {
    if (!secret || secret.length > 200) return null;
    const row = await identityRepo.sessionByTokenHash(db, sha256(secret));
    if (!row || row.kind !== kind) return null;
    return actorFromSession(row);
  }

  /** The actor of a session by its id (a socket's realtime token, a sign-on token's portal session). */
  async function actorOfSession(sessionId: string): Promise<Actor | null> {
    const row = await identityRepo.sessionById(db, sessionId);
    return row ? actorFromSession(row) : null;
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
      const restricted = await restrictionOf(s);
      actor = { kind: 'staff', sessionId: row.id, staffId: s.id, role: s.role, name: s.name };
      if (restricted) actor.restricted = restricted;
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

  /**
   * Ends every session of a staff member and closes their sockets with `reason` (强制下线, and the account changes
   * that need a fresh login: deactivation, a new role, a reset password). Returns how many sessions ended.
   */
  async function endStaffSessions(staffId: string, reason: string): Promise<number> {
    const revoked = await identityRepo.revokeAllFor(db, { staffId });
    deps.bus.publish('session.revoked', { sessionIds: revoked, reason });
    return revoked.length;
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

    resolveSessionById: actorOfSession,

    /** Portal login: a taxpayer id and the password of a person who acts for that taxpayer. */
    async portalLogin(input: { taxpayerNo: string; password: string }) {
      const members = await identityRepo.membersOfTaxpayerNo(db, input.taxpayerNo);
      if (members.length === 0) {
        await burnVerifyTime(input.password);
        throw new AppError('INVALID_CREDENTIALS', '纳税人识别号或密码不正确。');
      }
      if (members.every((m) => isLocked(m.user))) throw new AppError('ACCOUNT_LOCKED');
      // each guess is counted before it is checked: parallel guesses cannot all get past the lock
      const reserved = new Set(
        (
          await identityRepo.reserveAttempt(
            db,
            portalUsers,
            members.filter((m) => !isLocked(m.user)).map((m) => m.user.id),
            LOCK_AFTER_FAILURES,
            LOCK_MS,
          )
        ).map((r) => r.id),
      );
      if (reserved.size === 0) throw new AppError('ACCOUNT_LOCKED');
      for (const m of members) {
        if (!reserved.has(m.user.id)) continue;
        if (await verifyPassword(m.user.passwordHash, input.password)) {
          await identityRepo.clearFailures(db, portalUsers, m.user.id);
          const others = [...reserved].filter((id) => id !== m.user.id);
          await identityRepo.releaseAttempt(db, portalUsers, others, LOCK_AFTER_FAILURES);
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
      // `sid`: the portal session that vouched for the person; its end (logout, password change) voids the token
      const token = await new SignJWT({ tid: actor.taxpayerId, sid: actor.sessionId })
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
      let payload: { sub?: string; tid?: unknown; sid?: unknown; jti?: string; exp?: number };
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
      const { sub, tid, sid, jti, exp } = payload;
      if (!sub || typeof tid !== 'string' || typeof sid !== 'string' || !jti || !exp) {
        throw new AppError('SSO_TOKEN_INVALID');
      }
      if (!(await identityRepo.isMember(db, sub, tid))) throw new AppError('SSO_TOKEN_INVALID');
      // a token minted before the portal session ended (logout, password change) signs no one in
      const vouching = /^[0-9a-f-]{36}$/i.test(sid) ? await actorOfSession(sid) : null;
      if (vouching?.kind !== 'portal' || vouching.portalUserId !== sub) throw new AppError('SSO_TOKEN_INVALID');
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

    /**
     * Staff login. With a second factor enabled the password alone opens no session: the answer is a short-lived
     * signed challenge for {@link completeStaffTotpLogin}, and failures are cleared only once the code is right.
     */
    async staffLogin(input: { username: string; password: string }): Promise<StaffLoginResult> {
      const s = await identityRepo.staffByUsername(db, input.username);
      if (!s?.active) {
        await burnVerifyTime(input.password);
        throw new AppError('INVALID_CREDENTIALS', '用户名或密码不正确。');
      }
      if (isLocked(s)) throw new AppError('ACCOUNT_LOCKED');
      // counted before it is checked: parallel guesses cannot all get past the lock
      const [attempt] = await identityRepo.reserveAttempt(db, staff, [s.id], LOCK_AFTER_FAILURES, LOCK_MS);
      if (!attempt) throw new AppError('ACCOUNT_LOCKED');
      if (!(await verifyPassword(s.passwordHash, input.password))) {
        const left = LOCK_AFTER_FAILURES - attempt.failedLogins;
        if (left <= 0) throw new AppError('ACCOUNT_LOCKED');
        throw new AppError('INVALID_CREDENTIALS', `用户名或密码不正确，再错 ${left} 次账号将被锁定。`);
      }
      if (s.totpEnabled && s.totpSecret) {
        // the password was right: its attempt is given back; failures are cleared only once the code is right
        await identityRepo.releaseAttempt(db, staff, [s.id], LOCK_AFTER_FAILURES);
        const challenge = await new SignJWT({ pwc: s.passwordChangedAt.getTime() })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(s.id)
          .setAudience(CHALLENGE_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime(`${TOTP_CHALLENGE_TTL_SECONDS}s`)
          .sign(deps.secrets.challenge);
        return { kind: 'totp', challenge, who: { staffId: s.id, name: s.name, role: s.role } };
      }
      return signInStaff(s);
    },

    /** The code step of a two-factor login: a wrong or reused code counts toward the lockout like a wrong password. */
    async completeStaffTotpLogin(input: { challenge: string; code: string }): Promise<StaffLoginResult> {
      let payload: { sub?: string; pwc?: unknown };
      try {
        ({ payload } = await jwtVerify(input.challenge, deps.secrets.challenge, {
          audience: CHALLENGE_AUDIENCE,
          algorithms: ['HS256'],
        }));
      } catch {
        throw new AppError('TOTP_CHALLENGE_INVALID');
      }
      const s = payload.sub ? await identityRepo.staffById(db, payload.sub) : undefined;
      // a password changed since the password step voids the challenge
      if (!s?.active || !s.totpEnabled || !s.totpSecret || payload.pwc !== s.passwordChangedAt.getTime()) {
        throw new AppError('TOTP_CHALLENGE_INVALID');
      }
      if (isLocked(s)) throw new AppError('ACCOUNT_LOCKED');
      const [attempt] = await identityRepo.reserveAttempt(db, staff, [s.id], LOCK_AFTER_FAILURES, LOCK_MS);
      if (!attempt) throw new AppError('ACCOUNT_LOCKED');
      const step = totpStepOf(unseal(deps.secrets.seal, s.totpSecret), input.code);
      if (step === null || !(await identityRepo.claimTotpStep(db, s.id, step))) {
        return failedSecondFactor(s, attempt.failedLogins);
      }
      return signInStaff(s);
    },

    async staffMe(actor: StaffActor): Promise<TStaffMe> {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      return meOf(s, actor.restricted);
    },

    /** Starts setting up a second factor: a fresh secret, in force only once a code from it is confirmed. */
    async setupTotp(actor: StaffActor): Promise<TTotpSetupResponse> {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      if (s.totpEnabled) {
        throw new AppError('VALIDATION_FAILED', '已启用双因素认证；如需更换验证器，请先停用后重新绑定。');
      }
      const { secret, uri } = newTotpSecret(s.username);
      await identityRepo.setTotp(db, s.id, { secret: seal(deps.secrets.seal, secret), enabled: false, lastStep: null });
      return { secret, uri };
    },

    async confirmTotp(actor: StaffActor, code: string) {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      if (s.totpEnabled) throw new AppError('VALIDATION_FAILED', '已启用双因素认证，无需重复绑定。');
      if (!s.totpSecret) throw new AppError('VALIDATION_FAILED', '请先点击“开始绑定”获取密钥，再输入动态验证码。');
      const step = totpStepOf(unseal(deps.secrets.seal, s.totpSecret), code);
      if (step === null) throw new AppError('TOTP_INVALID');
      await identityRepo.setTotp(db, s.id, { secret: s.totpSecret, enabled: true, lastStep: step });
      return { ok: true as const };
    },

    /** Turning the second factor off takes a current code (and is refused where administrators must keep it). */
    async disableTotp(actor: StaffActor, code: string) {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      if (!s.totpEnabled || !s.totpSecret) throw new AppError('VALIDATION_FAILED', '尚未启用双因素认证。');
      if (s.role === 'admin' && (await deps.security()).requireAdminTotp) {
        throw new AppError('FORBIDDEN', '系统要求管理员必须启用双因素认证，不能停用。');
      }
      const step = totpStepOf(unseal(deps.secrets.seal, s.totpSecret), code);
      if (step === null || !(await identityRepo.claimTotpStep(db, s.id, step))) return failedSecondFactor(s);
      await identityRepo.setTotp(db, s.id, { secret: null, enabled: false, lastStep: null });
      return { ok: true as const };
    },

    /** 强制下线: ends every session of a staff member, their open sockets included. */
    async forceLogoutStaff(actor: StaffActor, staffId: string) {
      if (staffId === actor.staffId) {
        throw new AppError('VALIDATION_FAILED', '不能强制下线自己，如需退出请使用“退出登录”。');
      }
      const s = await identityRepo.staffById(db, staffId);
      if (!s) throw new AppError('NOT_FOUND', '该工作人员不存在。');
      const sessions = await endStaffSessions(staffId, '登录已失效：管理员已将您强制下线，请重新登录。');
      return { ok: true as const, sessions };
    },

    endStaffSessions,

    assertPasswordPolicy,

    /** Changing a password ends every other session of that person (and their open sockets). */
    async changeStaffPassword(actor: StaffActor, input: { currentPassword: string; newPassword: string }) {
      const s = await identityRepo.staffById(db, actor.staffId);
      if (!s || !(await verifyPassword(s.passwordHash, input.currentPassword))) {
        throw new AppError('INVALID_CREDENTIALS', '当前密码不正确。');
      }
      if (input.currentPassword === input.newPassword) {
        throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同。', {
          newPassword: '新密码不能与当前密码相同',
        });
      }
      await assertPasswordPolicy(input.newPassword);
      await identityRepo.setStaffPassword(db, s.id, await hashPassword(input.newPassword));
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
      let sessionId: string | undefined;
      try {
        const { payload } = await jwtVerify(token, deps.secrets.realtime, {
          audience: 'zhengna-realtime',
          algorithms: ['HS256'],
        });
        sessionId = payload.sub;
      } catch {
        return null;
      }
      if (!sessionId) return null;
      // a database that cannot be asked is not a session that ended: that error goes to the caller
      return actorOfSession(sessionId);
    },

    purgeExpired: () => identityRepo.purgeExpired(db),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
