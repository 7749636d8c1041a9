/** SQL for 组织与人员: staff accounts (never their secrets) and the tax-office tree with what depends on it. */
import { and, asc, count, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  appointmentServices,
  inquiries,
  skillGroups,
  staff,
  taxOffices,
  taxpayers,
  workOrders,
} from '../../db/schema.ts';
import { type Db, escapeLike, type Tx } from '../../platform/db.ts';

type Q = Db | Tx;
export type OfficeRow = typeof taxOffices.$inferSelect;

/** What the console may see of a staff row: deliberately no password hash and no second-factor secret. */
const accountColumns = {
  id: staff.id,
  username: staff.username,
  name: staff.name,
  role: staff.role,
  officeId: staff.taxOfficeId,
  officeName: taxOffices.name,
  active: staff.active,
  mustChangePassword: staff.mustChangePassword,
  lockedUntil: staff.lockedUntil,
  totpEnabled: staff.totpEnabled,
  presence: staff.presence,
  maxConcurrent: staff.maxConcurrent,
  createdAt: staff.createdAt,
  version: staff.version,
};
export type AccountRow = {
  id: string;
  username: string;
  name: string;
  role: 'agent' | 'supervisor' | 'admin';
  officeId: string;
  officeName: string;
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  presence: 'online' | 'busy' | 'away';
  maxConcurrent: number;
  createdAt: Date;
  version: number;
};

export type StaffFilter = {
  q?: string;
  role?: AccountRow['role'];
  /** The office and its sub-offices. */
  officeIds?: string[];
  active?: boolean;
};

/** A unique index said no (PostgreSQL and PGlite both report 23505, possibly wrapped by drizzle). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export const organizationRepo = {
  async listStaff(db: Db, f: StaffFilter, page: { offset: number; limit: number }) {
    const where: SQL[] = [];
    if (f.q) {
      const pattern = `%${escapeLike(f.q)}%`;
      where.push(or(ilike(staff.username, pattern), ilike(staff.name, pattern)) as SQL);
    }
    if (f.role) where.push(eq(staff.role, f.role));
    if (f.officeIds) where.push(inArray(staff.taxOfficeId, f.officeIds));
    if (f.active !== undefined) where.push(eq(staff.active, f.active));
    const [rows, [total]] = await Promise.all([
      db
        .select(accountColumns)
        .from(staff)
        .innerJoin(taxOffices, eq(taxOffices.id, staff.taxOfficeId))
        .where(and(...where))
        .orderBy(asc(staff.username))
        .offset(page.offset)
        .limit(page.limit),
      db
        .select({ n: count() })
        .from(staff)
        .where(and(...where)),
    ]);
    return { rows: rows as AccountRow[], total: total?.n ?? 0 };
  },

  async accountById(db: Q, id: string): Promise<AccountRow | undefined> {
    const [row] = await db
      .select(accountColumns)
      .from(staff)
      .innerJoin(taxOffices, eq(taxOffices.id, staff.taxOfficeId))
      .where(eq(staff.id, id));
    return row as AccountRow | undefined;
  },

  /** Usernames are unique regardless of case: "Agent3" next to "agent3" would only confuse. */
  async usernameTaken(db: Db, username: string): Promise<boolean> {
    const rows = await db
      .select({ id: staff.id })
      .from(staff)
      .where(sql`lower(${staff.username}) = lower(${username})`)
      .limit(1);
    return rows.length > 0;
  },

  async insertStaff(
    db: Db,
    v: { username: string; name: string; role: AccountRow['role']; taxOfficeId: string; passwordHash: string },
  ): Promise<string> {
    const [row] = await db
      .insert(staff)
      .values({ ...v, mustChangePassword: true })
      .returning({ id: staff.id });
    if (!row) throw new Error('staff insert returned nothing');
    return row.id;
  },

  /** The row, locked until the transaction ends (the account editor's read-check-write). */
  async lockStaff(tx: Tx, id: string) {
    const [row] = await tx
      .select({ id: staff.id, role: staff.role, active: staff.active, version: staff.version })
      .from(staff)
      .where(eq(staff.id, id))
      .for('update');
    return row;
  },

  /** Locks every active administrator (in id order) and returns their ids. */
  async lockActiveAdmins(tx: Tx): Promise<string[]> {
    const rows = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), eq(staff.active, true)))
      .orderBy(asc(staff.id))
      .for('update');
    return rows.map((r) => r.id);
  },

  async updateStaff(
    tx: Tx,
    id: string,
    v: {
      name: string;
      role: AccountRow['role'];
      taxOfficeId: string;
      active: boolean;
      maxConcurrent?: number;
      presence?: 'away';
    },
  ) {
    await tx
      .update(staff)
      .set({ ...v, version: sql`${staff.version} + 1` })
      .where(eq(staff.id, id));
  },

  /** A temporary password: must be changed at the next login; failures and a lock are forgotten. */
  async resetPassword(db: Db, id: string, passwordHash: string): Promise<boolean> {
    const rows = await db
      .update(staff)
      .set({
        passwordHash,
        // the database clock, like sessions.created_at: sessions from before the reset are dead
        passwordChangedAt: sql`now()`,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
      })
      .where(eq(staff.id, id))
      .returning({ id: staff.id });
    return rows.length === 1;
  },

  // ── tax offices ────────────────────────────────────────────────────

  allOffices: (db: Q): Promise<OfficeRow[]> => db.select().from(taxOffices).orderBy(asc(taxOffices.id)),

  /** Every office, locked: moves are checked for cycles against a tree nobody else is changing. */
  lockOffices: (tx: Tx): Promise<OfficeRow[]> => tx.select().from(taxOffices).orderBy(asc(taxOffices.id)).for('update'),

  async officeById(db: Q, id: string): Promise<OfficeRow | undefined> {
    const [row] = await db.select().from(taxOffices).where(eq(taxOffices.id, id));
    return row;
  },

  async insertOffice(db: Db, v: { id: string; name: string; parentId: string | null }): Promise<OfficeRow> {
    const [row] = await db.insert(taxOffices).values(v).returning();
    if (!row) throw new Error('tax office insert returned nothing');
    return row;
  },

  async updateOffice(tx: Tx, id: string, v: { name: string; parentId: string | null }): Promise<OfficeRow> {
    const [row] = await tx
      .update(taxOffices)
      .set({ ...v, version: sql`${taxOffices.version} + 1` })
      .where(eq(taxOffices.id, id))
      .returning();
    if (!row) throw new Error('tax office update returned nothing');
    return row;
  },

  async deleteOffice(tx: Tx, id: string) {
    await tx.delete(taxOffices).where(eq(taxOffices.id, id));
  },

  /** What still refers to an office (and so keeps it from being deleted), by kind. */
  async officeDependants(db: Q, id: string) {
    const countWhere = async (table: PgTable, where: SQL) => {
      const [row] = await db.select({ n: count() }).from(table).where(where);
      return row?.n ?? 0;
    };
    // one after another: inside a transaction they share one connection anyway
    return {
      children: await countWhere(taxOffices, eq(taxOffices.parentId, id)),
      staff: await countWhere(staff, eq(staff.taxOfficeId, id)),
      taxpayers: await countWhere(taxpayers, eq(taxpayers.taxOfficeId, id)),
      skillGroups: await countWhere(skillGroups, eq(skillGroups.taxOfficeId, id)),
      inquiries: await countWhere(inquiries, eq(inquiries.taxOfficeId, id)),
      workOrders: await countWhere(workOrders, eq(workOrders.taxOfficeId, id)),
      appointmentServices: await countWhere(appointmentServices, eq(appointmentServices.taxOfficeId, id)),
    };
  },
};
