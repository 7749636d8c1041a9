/**
 * Factories for the identity records. The demo seed calls them with fixed values; tests call them with none and get
 * fresh, unique records of their own.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { TStaffRole, TTaxpayerType } from '@zhengna/contracts';
import { hashPassword } from '../modules/identity/password.ts';
import type { Db } from '../platform/db.ts';
import { portalUsers, portalUserTaxpayers, staff, taxOffices, taxpayers } from './schema.ts';

const uniq = () => randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();

export async function createTaxOffice(db: Db, v: Partial<typeof taxOffices.$inferInsert> = {}) {
  const [row] = await db
    .insert(taxOffices)
    .values({ id: v.id ?? `T${uniq()}`, name: v.name ?? `测试税务局${uniq()}`, parentId: v.parentId ?? null })
    .onConflictDoNothing()
    .returning();
  return row ?? { id: v.id as string, name: v.name as string, parentId: v.parentId ?? null };
}

export async function createTaxpayer(
  db: Db,
  v: Partial<Omit<typeof taxpayers.$inferInsert, 'type'>> & { type?: TTaxpayerType; taxOfficeId: string },
) {
  const [row] = await db
    .insert(taxpayers)
    .values({
      taxpayerNo: v.taxpayerNo ?? `91370000${uniq()}`,
      name: v.name ?? `测试企业${uniq()}有限公司`,
      type: v.type ?? 'general',
      industry: v.industry ?? '软件和信息技术服务业',
      region: v.region ?? '济南市历下区',
      taxOfficeId: v.taxOfficeId,
      creditGrade: v.creditGrade ?? 'B',
    })
    .returning();
  if (!row) throw new Error('taxpayer insert failed');
  return row;
}

/** A person acting for the given taxpayers. Pass `passwordHash` to skip hashing (bulk test data). */
export async function createPortalUser(
  db: Db,
  v: {
    name?: string;
    phone?: string;
    idNumber?: string;
    password?: string;
    passwordHash?: string;
    taxpayerIds: string[];
  },
) {
  const [row] = await db
    .insert(portalUsers)
    .values({
      name: v.name ?? '测试办税员',
      phone: v.phone ?? `139${String(randomInt(0, 1e8)).padStart(8, '0')}`,
      idNumber: v.idNumber ?? `37010219900101${String(randomInt(0, 1e4)).padStart(4, '0')}`,
      passwordHash: v.passwordHash ?? (await hashPassword(v.password ?? 'Zhengna@2026')),
    })
    .returning();
  if (!row) throw new Error('portal user insert failed');
  if (v.taxpayerIds.length > 0) {
    await db.insert(portalUserTaxpayers).values(v.taxpayerIds.map((taxpayerId) => ({ userId: row.id, taxpayerId })));
  }
  return row;
}

export async function createStaff(
  db: Db,
  v: {
    username?: string;
    name?: string;
    role?: TStaffRole;
    taxOfficeId: string;
    password?: string;
    passwordHash?: string;
  },
) {
  const [row] = await db
    .insert(staff)
    .values({
      username: v.username ?? `staff_${uniq().toLowerCase()}`,
      name: v.name ?? '测试坐席',
      role: v.role ?? 'agent',
      taxOfficeId: v.taxOfficeId,
      passwordHash: v.passwordHash ?? (await hashPassword(v.password ?? 'Agent@2026')),
    })
    .returning();
  if (!row) throw new Error('staff insert failed');
  return row;
}
