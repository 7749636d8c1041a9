/** SQL for 留言. */
import { and, asc, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { conversations, inquiries, portalUsers, staff, taxOffices, taxpayers } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type InquiryRow = typeof inquiries.$inferSelect;
const LIST_LIMIT = 200;

const staffView = {
  i: inquiries,
  taxpayerName: taxpayers.name,
  taxpayerNo: taxpayers.taxpayerNo,
  officeName: taxOffices.name,
  assigneeName: staff.name,
};

export const inquiryRepo = {
  /** One 留言 per person and client key: a repeat returns nothing (and the caller reads the first). */
  async insertOnce(db: Db, v: typeof inquiries.$inferInsert): Promise<InquiryRow | undefined> {
    const [row] = await db.insert(inquiries).values(v).onConflictDoNothing().returning();
    return row;
  },

  async byClientKey(db: Db, portalUserId: string, clientKey: string) {
    const [row] = await db
      .select()
      .from(inquiries)
      .where(and(eq(inquiries.portalUserId, portalUserId), eq(inquiries.clientKey, clientKey)));
    return row;
  },

  async byId(db: Db, id: string) {
    const [row] = await db.select().from(inquiries).where(eq(inquiries.id, id));
    return row;
  },

  ownList: (db: Db, taxpayerId: string) =>
    db
      .select({ i: inquiries, officeName: taxOffices.name })
      .from(inquiries)
      .innerJoin(taxOffices, eq(taxOffices.id, inquiries.taxOfficeId))
      .where(eq(inquiries.taxpayerId, taxpayerId))
      .orderBy(desc(inquiries.createdAt))
      .limit(LIST_LIMIT),

  staffList: (db: Db, where: SQL | undefined) =>
    db
      .select(staffView)
      .from(inquiries)
      .innerJoin(taxpayers, eq(taxpayers.id, inquiries.taxpayerId))
      .innerJoin(taxOffices, eq(taxOffices.id, inquiries.taxOfficeId))
      .leftJoin(staff, eq(staff.id, inquiries.assigneeStaffId))
      .where(where)
      .orderBy(sql`case when ${inquiries.status} = 'pending' then 0 else 1 end`, asc(inquiries.dueAt))
      .limit(LIST_LIMIT),

  async staffOne(db: Db, id: string) {
    const [row] = await inquiryRepo.staffList(db, eq(inquiries.id, id));
    return row;
  },

  /** pending → replied, once. */
  async reply(db: Db, id: string, reply: string, staffId: string) {
    const [row] = await db
      .update(inquiries)
      .set({ status: 'replied', reply, repliedAt: new Date(), repliedBy: staffId, updatedAt: new Date() })
      .where(and(eq(inquiries.id, id), eq(inquiries.status, 'pending')))
      .returning();
    return row;
  },

  /** pending → converted, once. */
  async markConverted(db: Db, id: string, workOrderId: string) {
    const [row] = await db
      .update(inquiries)
      .set({ status: 'converted', workOrderId, updatedAt: new Date() })
      .where(and(eq(inquiries.id, id), eq(inquiries.status, 'pending')))
      .returning();
    return row;
  },

  /** Overdue, not yet escalated: marked escalated in the same statement, so only one sweep (node) acts on each. */
  async claimOverdue(db: Db, now: Date) {
    return db
      .update(inquiries)
      .set({ escalatedAt: now, updatedAt: now })
      .where(and(eq(inquiries.status, 'pending'), lt(inquiries.dueAt, now), sql`${inquiries.escalatedAt} is null`))
      .returning();
  },

  async taxpayerName(db: Db, taxpayerId: string) {
    const [row] = await db.select({ name: taxpayers.name }).from(taxpayers).where(eq(taxpayers.id, taxpayerId));
    return row?.name ?? '';
  },

  async profilePhone(db: Db, portalUserId: string) {
    const [row] = await db
      .select({ phone: portalUsers.phone })
      .from(portalUsers)
      .where(eq(portalUsers.id, portalUserId));
    return row?.phone ?? '';
  },

  async openConversation(db: Db, who: { portalUserId: string; taxpayerId: string }) {
    const [row] = await db
      .select({ id: conversations.id, portalUserId: conversations.portalUserId, taxpayerId: conversations.taxpayerId })
      .from(conversations)
      .where(
        and(
          eq(conversations.portalUserId, who.portalUserId),
          eq(conversations.taxpayerId, who.taxpayerId),
          eq(conversations.status, 'open'),
        ),
      );
    return row;
  },

  async conversationOwner(db: Db, id: string) {
    const [row] = await db
      .select({ portalUserId: conversations.portalUserId, taxpayerId: conversations.taxpayerId })
      .from(conversations)
      .where(eq(conversations.id, id));
    return row;
  },
};
