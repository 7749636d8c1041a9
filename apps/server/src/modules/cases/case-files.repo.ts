/** SQL for the files of 留言, 工单 and 预约. */
import type { TCaseFile } from '@zhengna/contracts';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { appointmentServices, appointments, caseFiles, inquiries, workOrders } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type CaseFileRow = typeof caseFiles.$inferSelect;
export const toCaseFile = (r: CaseFileRow): TCaseFile => ({
  id: r.id,
  fileName: r.fileName,
  mime: r.mime,
  size: r.size,
});

export const caseFilesRepo = {
  async insert(db: Db, v: typeof caseFiles.$inferInsert) {
    const [row] = await db.insert(caseFiles).values(v).returning();
    if (!row) throw new Error('case file insert failed');
    return row;
  },

  /**
   * Binds the uploader's own unbound files to a 留言 or a booking; returns how many were bound (fewer than asked
   * means some id was somebody else's, already used, or made up).
   */
  async bind(
    db: Db,
    who: { portalUserId: string; taxpayerId: string },
    to: { inquiryId: string } | { appointmentId: string },
    ids: string[],
  ) {
    if (ids.length === 0) return 0;
    const rows = await db
      .update(caseFiles)
      .set(to)
      .where(
        and(
          inArray(caseFiles.id, ids),
          eq(caseFiles.uploaderType, 'taxpayer'),
          eq(caseFiles.uploaderId, who.portalUserId),
          eq(caseFiles.taxpayerId, who.taxpayerId),
          isNull(caseFiles.inquiryId),
          isNull(caseFiles.workOrderId),
          isNull(caseFiles.appointmentId),
        ),
      )
      .returning({ id: caseFiles.id });
    return rows.length;
  },

  async ofAppointments(db: Db, appointmentIds: string[]): Promise<Map<string, TCaseFile[]>> {
    const out = new Map<string, TCaseFile[]>();
    if (appointmentIds.length === 0) return out;
    const rows = await db
      .select()
      .from(caseFiles)
      .where(inArray(caseFiles.appointmentId, appointmentIds))
      .orderBy(caseFiles.createdAt);
    for (const r of rows) {
      if (!r.appointmentId) continue;
      out.set(r.appointmentId, [...(out.get(r.appointmentId) ?? []), toCaseFile(r)]);
    }
    return out;
  },

  /** A converted 留言's files are the work order's too. */
  async shareWithWorkOrder(db: Db, inquiryId: string, workOrderId: string) {
    await db.update(caseFiles).set({ workOrderId }).where(eq(caseFiles.inquiryId, inquiryId));
  },

  async ofInquiries(db: Db, inquiryIds: string[]): Promise<Map<string, TCaseFile[]>> {
    const out = new Map<string, TCaseFile[]>();
    if (inquiryIds.length === 0) return out;
    const rows = await db
      .select()
      .from(caseFiles)
      .where(inArray(caseFiles.inquiryId, inquiryIds))
      .orderBy(caseFiles.createdAt);
    for (const r of rows) {
      if (!r.inquiryId) continue;
      out.set(r.inquiryId, [...(out.get(r.inquiryId) ?? []), toCaseFile(r)]);
    }
    return out;
  },

  ofWorkOrder: async (db: Db, workOrderId: string) =>
    (await db.select().from(caseFiles).where(eq(caseFiles.workOrderId, workOrderId)).orderBy(caseFiles.createdAt)).map(
      toCaseFile,
    ),

  /** A file with the cases it belongs to (their owner, office, group and assignee), for the policy. */
  async withCases(db: Db, id: string) {
    const [row] = await db.select().from(caseFiles).where(eq(caseFiles.id, id));
    if (!row) return undefined;
    const [inquiry] = row.inquiryId ? await db.select().from(inquiries).where(eq(inquiries.id, row.inquiryId)) : [];
    const [workOrder] = row.workOrderId
      ? await db.select().from(workOrders).where(eq(workOrders.id, row.workOrderId))
      : [];
    // a booking's ownership in the cases' terms: its service's office, its agent
    const [booking] = row.appointmentId
      ? await db
          .select({
            taxpayerId: appointments.taxpayerId,
            taxOfficeId: appointmentServices.taxOfficeId,
            assigneeStaffId: appointments.staffId,
          })
          .from(appointments)
          .innerJoin(appointmentServices, eq(appointmentServices.id, appointments.serviceId))
          .where(eq(appointments.id, row.appointmentId))
      : [];
    const appointment = booking ? { ...booking, groupId: null } : undefined;
    return { file: row, inquiry, workOrder, appointment };
  },
};
