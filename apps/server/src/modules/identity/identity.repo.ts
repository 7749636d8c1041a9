/** SQL for identity: taxpayers, portal users, staff, sessions, used single sign-on tokens. */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import {
  portalUsers,
  portalUserTaxpayers,
  sessions,
  staff,
  taxOffices,
  taxpayers,
  usedSsoTokens,
} from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type StaffRow = typeof staff.$inferSelect;
export type PortalUserRow = typeof portalUsers.$inferSelect;

const profileColumns = {
  taxpayerId: taxpayers.id,
  taxpayerNo: taxpayers.taxpayerNo,
  name: taxpayers.name,
  type: taxpayers.type,
  industry: taxpayers.industry,
  region: taxpayers.region,
  taxOfficeId: taxpayers.taxOfficeId,
  taxOfficeName: taxOffices.name,
  creditGrade: taxpayers.creditGrade,
};

export const identityRepo = {
  async membersOfTaxpayerNo(db: Db, taxpayerNo: string) {
    return db
      .select({ user: portalUsers, taxpayerId: taxpayers.id })
      .from(taxpayers)
      .innerJoin(portalUserTaxpayers, eq(portalUserTaxpayers.taxpayerId, taxpayers.id))
      .innerJoin(portalUsers, eq(portalUsers.id, portalUserTaxpayers.userId))
      .where(eq(taxpayers.taxpayerNo, taxpayerNo));
  },

  async isMember(db: Db, portalUserId: string, taxpayerId: string): Promise<boolean> {
    const rows = await db
      .select({ one: sql`1` })
      .from(portalUserTaxpayers)
      .where(and(eq(portalUserTaxpayers.userId, portalUserId), eq(portalUserTaxpayers.taxpayerId, taxpayerId)));
    return rows.length > 0;
  },

  async profile(db: Db, taxpayerId: string) {
    const [row] = await db
      .select(profileColumns)
      .from(taxpayers)
      .innerJoin(taxOffices, eq(taxOffices.id, taxpayers.taxOfficeId))
      .where(eq(taxpayers.id, taxpayerId));
    return row;
  },

  async enterprisesOf(db: Db, portalUserId: string) {
    return db
      .select({
        taxpayerId: taxpayers.id,
        taxpayerNo: taxpayers.taxpayerNo,
        name: taxpayers.name,
        type: taxpayers.type,
      })
      .from(portalUserTaxpayers)
      .innerJoin(taxpayers, eq(taxpayers.id, portalUserTaxpayers.taxpayerId))
      .where(eq(portalUserTaxpayers.userId, portalUserId))
      .orderBy(taxpayers.taxpayerNo);
  },

  async portalUser(db: Db, id: string) {
    const [row] = await db.select().from(portalUsers).where(eq(portalUsers.id, id));
    return row;
  },

  async staffByUsername(db: Db, username: string) {
    const [row] = await db.select().from(staff).where(eq(staff.username, username));
    return row;
  },

  async staffById(db: Db, id: string) {
    const [row] = await db.select().from(staff).where(eq(staff.id, id));
    return row;
  },

  async recordFailure(
    db: Db,
    table: typeof staff | typeof portalUsers,
    ids: string[],
    lockAfter: number,
    lockMs: number,
  ) {
    if (ids.length === 0) return;
    await db
      .update(table)
      .set({
        failedLogins: sql`${table.failedLogins} + 1`,
        lockedUntil: sql`case when ${table.failedLogins} + 1 >= ${lockAfter} then now() + (${lockMs} || ' milliseconds')::interval else ${table.lockedUntil} end`,
      })
      .where(inArray(table.id, ids));
  },

  /**
   * Counts one attempt before the password or code is checked (so a burst of parallel guesses cannot all pass the
   * lock check first): every id not locked now gets one more failure, locked from `lockAfter` on. Returns those ids
   * with their new count; an id missing from the answer is locked.
   */
  async reserveAttempt(
    db: Db,
    table: typeof staff | typeof portalUsers,
    ids: string[],
    lockAfter: number,
    lockMs: number,
  ): Promise<{ id: string; failedLogins: number }[]> {
    if (ids.length === 0) return [];
    return db
      .update(table)
      .set({
        failedLogins: sql`${table.failedLogins} + 1`,
        lockedUntil: sql`case when ${table.failedLogins} + 1 >= ${lockAfter} then now() + (${lockMs} || ' milliseconds')::interval else ${table.lockedUntil} end`,
      })
      .where(and(inArray(table.id, ids), or(isNull(table.lockedUntil), sql`${table.lockedUntil} <= now()`)))
      .returning({ id: table.id, failedLogins: table.failedLogins });
  },

  /** Gives back attempts reserved by {@link reserveAttempt} that turned out right (a lock they set is lifted). */
  async releaseAttempt(db: Db, table: typeof staff | typeof portalUsers, ids: string[], lockAfter: number) {
    if (ids.length === 0) return;
    await db
      .update(table)
      .set({
        failedLogins: sql`greatest(${table.failedLogins} - 1, 0)`,
        lockedUntil: sql`case when ${table.failedLogins} - 1 >= ${lockAfter} then ${table.lockedUntil} else null end`,
      })
      .where(inArray(table.id, ids));
  },

  async clearFailures(db: Db, table: typeof staff | typeof portalUsers, id: string) {
    await db.update(table).set({ failedLogins: 0, lockedUntil: null }).where(eq(table.id, id));
  },

  async insertSession(db: Db, values: typeof sessions.$inferInsert): Promise<SessionRow> {
    const [row] = await db.insert(sessions).values(values).returning();
    if (!row) throw new Error('session insert returned nothing');
    return row;
  },

  async sessionByTokenHash(db: Db, tokenHash: string) {
    const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
    return row;
  },

  async sessionById(db: Db, id: string) {
    const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
    return row;
  },

  async touchSession(db: Db, id: string) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
  },

  async updateSessionTaxpayer(db: Db, id: string, taxpayerId: string) {
    await db.update(sessions).set({ taxpayerId }).where(eq(sessions.id, id));
  },

  async revokeSession(db: Db, id: string) {
    await db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  },

  /** Revokes every live session of a person or staff member; returns their ids so sockets can be closed. */
  async revokeAllFor(db: Db, who: { portalUserId?: string; staffId?: string }, exceptId?: string): Promise<string[]> {
    const owner = who.staffId ? eq(sessions.staffId, who.staffId) : eq(sessions.portalUserId, who.portalUserId ?? '');
    const rows = await db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(owner, isNull(sessions.revokedAt), exceptId ? sql`${sessions.id} <> ${exceptId}` : undefined))
      .returning({ id: sessions.id });
    return rows.map((r) => r.id);
  },

  /** A staff member's own new password: it also lifts the must-change flag a temporary password set. */
  async setStaffPassword(db: Db, id: string, passwordHash: string) {
    // the database clock, like sessions.created_at, which it is compared with
    await db
      .update(staff)
      .set({ passwordHash, passwordChangedAt: sql`now()`, mustChangePassword: false })
      .where(eq(staff.id, id));
  },

  /** Sets (or, with null, removes) the second factor; `enabled` once a code from it was confirmed. */
  async setTotp(db: Db, id: string, v: { secret: string | null; enabled: boolean; lastStep: number | null }) {
    await db
      .update(staff)
      .set({ totpSecret: v.secret, totpEnabled: v.enabled, totpLastStep: v.lastStep })
      .where(eq(staff.id, id));
  },

  /** Records a code's time step as used; false when it (or a later one) was used already — a code works once. */
  async claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
    const rows = await db
      .update(staff)
      .set({ totpLastStep: step })
      .where(and(eq(staff.id, id), or(isNull(staff.totpLastStep), lt(staff.totpLastStep, step))))
      .returning({ id: staff.id });
    return rows.length === 1;
  },

  /** A live session under a new secret, dated now (so it outlives an earlier password change). */
  async rotateSession(db: Db, id: string, tokenHash: string) {
    await db
      .update(sessions)
      .set({ tokenHash, createdAt: sql`now()`, lastSeenAt: sql`now()` })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  },

  /** true when this jti was not used before (and is now recorded). */
  async claimSsoToken(db: Db, jti: string, expiresAt: Date): Promise<boolean> {
    const rows = await db
      .insert(usedSsoTokens)
      .values({ jti, expiresAt })
      .onConflictDoNothing()
      .returning({ jti: usedSsoTokens.jti });
    return rows.length === 1;
  },

  async purgeExpired(db: Db) {
    const now = new Date();
    await db.delete(usedSsoTokens).where(lt(usedSsoTokens.expiresAt, now));
    // keep revoked/expired sessions for a day for the audit trail, then drop them
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    await db.delete(sessions).where(or(lt(sessions.expiresAt, dayAgo), lt(sessions.revokedAt, dayAgo)));
  },
};
