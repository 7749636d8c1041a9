/** SQL for 预约: services, lazily created slots with their guarded counters, bookings and the sweep's claims. */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import {
  appointmentServices,
  appointmentSlots,
  appointments,
  conversations,
  portalUsers,
  staff,
  taxOffices,
  taxpayers,
} from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type ServiceRow = typeof appointmentServices.$inferSelect;
export type AppointmentRow = typeof appointments.$inferSelect;
const LIST_LIMIT = 300;

const view = {
  a: appointments,
  serviceName: appointmentServices.name,
  channel: appointmentServices.channel,
  taxOfficeId: appointmentServices.taxOfficeId,
  taxOfficeName: taxOffices.name,
  cancelMinutes: appointmentServices.cancelMinutes,
  taxpayerName: taxpayers.name,
  taxpayerNo: taxpayers.taxpayerNo,
  staffName: staff.name,
};
export type AppointmentView = {
  a: AppointmentRow;
  serviceName: string;
  channel: 'text' | 'av' | 'phone';
  taxOfficeId: string;
  taxOfficeName: string;
  cancelMinutes: number;
  taxpayerName: string;
  taxpayerNo: string;
  staffName: string | null;
};

/** A unique index said no (PostgreSQL and PGlite both report 23505, possibly wrapped by drizzle). */
export const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

export const appointmentRepo = {
  // ── services ──
  services: (db: Db, onlyActive: boolean) =>
    db
      .select({ s: appointmentServices, officeName: taxOffices.name })
      .from(appointmentServices)
      .innerJoin(taxOffices, eq(taxOffices.id, appointmentServices.taxOfficeId))
      .where(onlyActive ? eq(appointmentServices.active, true) : undefined)
      .orderBy(asc(appointmentServices.taxOfficeId), asc(appointmentServices.name)),

  async service(db: Db, id: string) {
    const [row] = await db
      .select({ s: appointmentServices, officeName: taxOffices.name })
      .from(appointmentServices)
      .innerJoin(taxOffices, eq(taxOffices.id, appointmentServices.taxOfficeId))
      .where(eq(appointmentServices.id, id));
    return row;
  },

  async insertService(db: Db, v: typeof appointmentServices.$inferInsert) {
    const [row] = await db.insert(appointmentServices).values(v).returning();
    if (!row) throw new Error('appointment service insert failed');
    return row;
  },

  /** Saves a change only over the version it was based on. */
  async updateService(db: Db, id: string, version: number, v: Partial<typeof appointmentServices.$inferInsert>) {
    const [row] = await db
      .update(appointmentServices)
      .set({ ...v, version: sql`${appointmentServices.version} + 1` })
      .where(and(eq(appointmentServices.id, id), eq(appointmentServices.version, version)))
      .returning();
    return row;
  },

  /** A new capacity applies to the slots still ahead (the counter guard uses the slot's own capacity). */
  async setFutureCapacity(db: Db, serviceId: string, capacity: number, now: Date) {
    await db
      .update(appointmentSlots)
      .set({ capacity })
      .where(and(eq(appointmentSlots.serviceId, serviceId), gte(appointmentSlots.startsAt, now)));
  },

  // ── slots ──
  slotsBetween: (db: Db, serviceId: string, from: Date, to: Date) =>
    db
      .select()
      .from(appointmentSlots)
      .where(
        and(
          eq(appointmentSlots.serviceId, serviceId),
          gte(appointmentSlots.startsAt, from),
          lt(appointmentSlots.startsAt, to),
        ),
      ),

  /** The slot's row, created on first booking (a concurrent first booking creates it once). */
  async ensureSlot(db: Db, v: { serviceId: string; startsAt: Date; endsAt: Date; capacity: number }) {
    await db.insert(appointmentSlots).values(v).onConflictDoNothing();
    const [row] = await db
      .select()
      .from(appointmentSlots)
      .where(and(eq(appointmentSlots.serviceId, v.serviceId), eq(appointmentSlots.startsAt, v.startsAt)));
    if (!row) throw new Error('appointment slot missing');
    return row;
  },

  /** Takes one place if one is left: the race guard. Two takers of the last place cannot both get a row back. */
  async takePlace(db: Db, slotId: string) {
    const [row] = await db
      .update(appointmentSlots)
      .set({ booked: sql`${appointmentSlots.booked} + 1` })
      .where(and(eq(appointmentSlots.id, slotId), lt(appointmentSlots.booked, appointmentSlots.capacity)))
      .returning();
    return row;
  },

  async freePlace(db: Db, slotId: string) {
    await db
      .update(appointmentSlots)
      .set({ booked: sql`greatest(${appointmentSlots.booked} - 1, 0)` })
      .where(eq(appointmentSlots.id, slotId));
  },

  // ── bookings ──
  async insertOnce(db: Db, v: typeof appointments.$inferInsert) {
    const [row] = await db.insert(appointments).values(v).returning();
    return row;
  },

  async byClientKey(db: Db, portalUserId: string, clientKey: string) {
    const [row] = await db
      .select()
      .from(appointments)
      .where(and(eq(appointments.portalUserId, portalUserId), eq(appointments.clientKey, clientKey)));
    return row;
  },

  async bookedInSlot(db: Db, slotId: string, taxpayerId: string) {
    const [row] = await db
      .select({ id: appointments.id })
      .from(appointments)
      .where(
        and(
          eq(appointments.slotId, slotId),
          eq(appointments.taxpayerId, taxpayerId),
          eq(appointments.status, 'booked'),
        ),
      );
    return row;
  },

  /** The taxpayer's live bookings of a service between two moments (to mark their own slots). */
  ownBookedStarts: (db: Db, taxpayerId: string, serviceId: string, from: Date, to: Date) =>
    db
      .select({ startsAt: appointments.startsAt })
      .from(appointments)
      .where(
        and(
          eq(appointments.taxpayerId, taxpayerId),
          eq(appointments.serviceId, serviceId),
          eq(appointments.status, 'booked'),
          gte(appointments.startsAt, from),
          lt(appointments.startsAt, to),
        ),
      ),

  list: (db: Db, where: SQL | undefined, order: 'asc' | 'desc' = 'asc') =>
    db
      .select(view)
      .from(appointments)
      .innerJoin(appointmentServices, eq(appointmentServices.id, appointments.serviceId))
      .innerJoin(taxOffices, eq(taxOffices.id, appointmentServices.taxOfficeId))
      .innerJoin(taxpayers, eq(taxpayers.id, appointments.taxpayerId))
      .leftJoin(staff, eq(staff.id, appointments.staffId))
      .where(where)
      .orderBy(order === 'asc' ? asc(appointments.startsAt) : desc(appointments.startsAt))
      .limit(LIST_LIMIT) as Promise<AppointmentView[]>,

  async one(db: Db, id: string): Promise<AppointmentView | undefined> {
    const [row] = await appointmentRepo.list(db, eq(appointments.id, id));
    return row;
  },

  /** A transition that only happens from 已预约 (and, for staff, not over another agent's start). */
  async transition(db: Db, id: string, set: Partial<typeof appointments.$inferInsert>, extra?: SQL) {
    const [row] = await db
      .update(appointments)
      .set(set)
      .where(and(eq(appointments.id, id), eq(appointments.status, 'booked'), extra))
      .returning();
    return row;
  },

  /** Moves a live booking from one slot to another (the new place already taken by the caller). */
  async move(db: Db, id: string, fromSlotId: string, to: { slotId: string; startsAt: Date; endsAt: Date }) {
    const [row] = await db
      .update(appointments)
      .set({ ...to, remindedAt: null })
      .where(and(eq(appointments.id, id), eq(appointments.status, 'booked'), eq(appointments.slotId, fromSlotId)))
      .returning();
    return row;
  },

  /** The taxpayer wrote in a conversation an agent started from a booking around now: they came. */
  async attendByConversation(db: Db, conversationId: string, at: Date) {
    await db
      .update(appointments)
      .set({ attendedAt: at })
      .where(
        and(
          eq(appointments.conversationId, conversationId),
          eq(appointments.status, 'booked'),
          isNull(appointments.attendedAt),
          isNotNull(appointments.startedAt),
          // the (status, starts_at) index, and an old booking's conversation does not count
          gte(appointments.startsAt, new Date(at.getTime() - 86_400_000)),
        ),
      );
  },

  // ── the sweep: each claim is one statement, so two nodes never both act on a row ──
  claimReminders: (db: Db, now: Date, remindMinutes: number) =>
    db
      .update(appointments)
      .set({ remindedAt: now })
      .where(
        and(
          eq(appointments.status, 'booked'),
          isNull(appointments.remindedAt),
          gte(appointments.startsAt, now),
          lt(appointments.startsAt, new Date(now.getTime() + remindMinutes * 60_000)),
        ),
      )
      .returning(),

  /**
   * Not attended by the end of the grace period: 失约. A phone call-back the agent has started is theirs to complete
   * (the taxpayer does not check in to a phone call).
   */
  claimNoShows: (db: Db, now: Date, graceMinutes: number) =>
    db
      .update(appointments)
      .set({ status: 'no_show', noShowAt: now })
      .where(
        and(
          eq(appointments.status, 'booked'),
          isNull(appointments.attendedAt),
          lt(appointments.startsAt, new Date(now.getTime() - graceMinutes * 60_000)),
          or(isNull(appointments.startedMode), ne(appointments.startedMode, 'phone')),
        ),
      )
      .returning(),

  // ── 失约 counts ──
  async noShowStats(db: Db, taxpayerIds: string[] | null, since: Date) {
    const rows = await db
      .select({
        taxpayerId: appointments.taxpayerId,
        taxpayerName: taxpayers.name,
        taxpayerNo: taxpayers.taxpayerNo,
        n: count(),
        last: sql<string>`max(${appointments.noShowAt})`,
      })
      .from(appointments)
      .innerJoin(taxpayers, eq(taxpayers.id, appointments.taxpayerId))
      .where(
        and(
          eq(appointments.status, 'no_show'),
          gte(appointments.noShowAt, since),
          taxpayerIds ? inArray(appointments.taxpayerId, taxpayerIds) : undefined,
        ),
      )
      .groupBy(appointments.taxpayerId, taxpayers.name, taxpayers.taxpayerNo)
      .orderBy(desc(count()));
    return rows.map((r) => ({ ...r, n: Number(r.n), last: new Date(r.last) }));
  },

  // ── people and conversations ──
  async profilePhone(db: Db, portalUserId: string) {
    const [row] = await db
      .select({ phone: portalUsers.phone })
      .from(portalUsers)
      .where(eq(portalUsers.id, portalUserId));
    return row?.phone ?? '';
  },

  async staffOffice(db: Db, staffId: string) {
    const [row] = await db.select({ taxOfficeId: staff.taxOfficeId }).from(staff).where(eq(staff.id, staffId));
    return row?.taxOfficeId ?? '';
  },

  async openConversation(db: Db, who: { portalUserId: string; taxpayerId: string }) {
    const [row] = await db
      .select()
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

  async createConversation(db: Db, who: { portalUserId: string; taxpayerId: string }) {
    const [row] = await db
      .insert(conversations)
      .values({ portalUserId: who.portalUserId, taxpayerId: who.taxpayerId, entryPage: 'appointment' })
      .onConflictDoNothing()
      .returning();
    return row;
  },

  /**
   * The booking's agent takes the taxpayer's open conversation (out of any queue). An appointment is planned work, so
   * the agent's concurrent cap does not refuse it; a conversation another agent is serving is not taken over.
   */
  async takeConversation(db: Db, conversationId: string, staffId: string) {
    const [row] = await db
      .update(conversations)
      .set({ assigneeStaffId: staffId, assignedAt: new Date(), queueGroupId: null, queuedAt: null })
      .where(
        and(
          eq(conversations.id, conversationId),
          eq(conversations.status, 'open'),
          or(isNull(conversations.assigneeStaffId), eq(conversations.assigneeStaffId, staffId)),
        ),
      )
      .returning();
    return row;
  },
};
