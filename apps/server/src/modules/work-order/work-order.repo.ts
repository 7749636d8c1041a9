/** SQL for 工单 and their steps. */
import { and, asc, eq, gt, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { staff, taxOffices, taxpayers, workOrderSteps, workOrders } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type WorkOrderRow = typeof workOrders.$inferSelect;
export type StepInsert = typeof workOrderSteps.$inferInsert;
const LIST_LIMIT = 200;
export const OPEN_STATUSES = ['pending', 'processing'] as const;

export const workOrderRepo = {
  async insert(db: Db, v: typeof workOrders.$inferInsert) {
    const [row] = await db.insert(workOrders).values(v).returning();
    if (!row) throw new Error('work order insert failed');
    return row;
  },

  insertStep: (db: Db, v: StepInsert) => db.insert(workOrderSteps).values(v),

  async byId(db: Db, id: string) {
    const [row] = await db.select().from(workOrders).where(eq(workOrders.id, id));
    return row;
  },

  staffList: (db: Db, where: SQL | undefined) =>
    db
      .select({
        w: workOrders,
        taxpayerName: taxpayers.name,
        taxpayerNo: taxpayers.taxpayerNo,
        officeName: taxOffices.name,
        assigneeName: staff.name,
      })
      .from(workOrders)
      .innerJoin(taxpayers, eq(taxpayers.id, workOrders.taxpayerId))
      .innerJoin(taxOffices, eq(taxOffices.id, workOrders.taxOfficeId))
      .leftJoin(staff, eq(staff.id, workOrders.assigneeStaffId))
      .where(where)
      .orderBy(
        sql`case when ${workOrders.status} in ('pending', 'processing') then 0 else 1 end`,
        asc(workOrders.dueAt),
      )
      .limit(LIST_LIMIT),

  async staffOne(db: Db, id: string) {
    const [row] = await workOrderRepo.staffList(db, eq(workOrders.id, id));
    return row;
  },

  steps: (db: Db, workOrderId: string) =>
    db
      .select({ s: workOrderSteps, staffName: staff.name })
      .from(workOrderSteps)
      .leftJoin(staff, eq(staff.id, workOrderSteps.staffId))
      .where(eq(workOrderSteps.workOrderId, workOrderId))
      .orderBy(asc(workOrderSteps.createdAt), asc(workOrderSteps.id)),

  /** Applies a change only if nobody changed the order since `version` (then the version moves on). */
  async updateVersioned(db: Db, id: string, version: number, set: Partial<typeof workOrders.$inferInsert>) {
    const [row] = await db
      .update(workOrders)
      .set({ ...set, version: sql`${workOrders.version} + 1`, updatedAt: new Date() })
      .where(and(eq(workOrders.id, id), eq(workOrders.version, version)))
      .returning();
    return row;
  },

  /** Open orders not yet reminded whose deadline is still ahead (the caller works out each one's reminder time). */
  remindCandidates: (db: Db, now: Date) =>
    db
      .select()
      .from(workOrders)
      .where(
        and(
          inArray(workOrders.status, [...OPEN_STATUSES]),
          isNull(workOrders.remindedAt),
          isNull(workOrders.escalatedAt),
          gt(workOrders.dueAt, now),
          lt(workOrders.dueAt, new Date(now.getTime() + 90 * 86_400_000)),
        ),
      )
      .limit(500),

  /** Marks one order reminded, if no other sweep did: true for the one that did. */
  async claimReminder(db: Db, id: string, now: Date) {
    const rows = await db
      .update(workOrders)
      .set({ remindedAt: now })
      .where(and(eq(workOrders.id, id), isNull(workOrders.remindedAt), inArray(workOrders.status, [...OPEN_STATUSES])))
      .returning();
    return rows[0];
  },

  /** Overdue open orders, marked escalated in the same statement so only one sweep (node) acts on each. */
  claimOverdue: (db: Db, now: Date) =>
    db
      .update(workOrders)
      .set({ escalatedAt: now })
      .where(
        and(inArray(workOrders.status, [...OPEN_STATUSES]), lt(workOrders.dueAt, now), isNull(workOrders.escalatedAt)),
      )
      .returning(),

  async taxpayerName(db: Db, taxpayerId: string) {
    const [row] = await db.select({ name: taxpayers.name }).from(taxpayers).where(eq(taxpayers.id, taxpayerId));
    return row?.name ?? '';
  },
};
