/**
 * SQL for the human queue. Assignment is one transaction that locks the head of the queue (SKIP LOCKED, so parallel
 * assigners take different conversations) and then one chosen agent's row, and only then counts that agent's load —
 * in a new statement, so it sees every assignment committed while it waited for the lock. That is what keeps one
 * conversation from two agents and every agent within their cap, across any number of nodes.
 */
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import {
  conversations,
  portalUsers,
  skillGroups,
  staff,
  staffSkillGroups,
  taxOffices,
  taxpayers,
} from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

export type Assignment = { conversationId: string; staffId: string };

export const handoffRepo = {
  groups: (db: Db) => db.select().from(skillGroups),

  async officeChain(db: Db, officeId: string): Promise<string[]> {
    const offices = await db.select().from(taxOffices);
    const parent = new Map(offices.map((o) => [o.id, o.parentId]));
    const chain: string[] = [];
    for (let id: string | null | undefined = officeId; id && !chain.includes(id); id = parent.get(id)) chain.push(id);
    return chain;
  },

  async enqueue(db: Db, conversationId: string, groupId: string): Promise<boolean> {
    const rows = await db
      .update(conversations)
      .set({ queueGroupId: groupId, queuedAt: sql`coalesce(${conversations.queuedAt}, now())` })
      .where(
        and(
          eq(conversations.id, conversationId),
          eq(conversations.status, 'open'),
          isNull(conversations.assigneeStaffId),
        ),
      )
      .returning({ id: conversations.id });
    return rows.length > 0;
  },

  /** Moves a waiting conversation to another group's queue, keeping its place in time (overflow). */
  async enqueueInto(db: Db, conversationId: string, groupId: string) {
    await db
      .update(conversations)
      .set({ queueGroupId: groupId })
      .where(and(eq(conversations.id, conversationId), isNull(conversations.assigneeStaffId)));
  },

  async leave(db: Db, conversationId: string) {
    const rows = await db
      .update(conversations)
      .set({ queueGroupId: null, queuedAt: null })
      .where(and(eq(conversations.id, conversationId), isNull(conversations.assigneeStaffId)))
      .returning({ id: conversations.id });
    return rows.length > 0;
  },

  /** Queued conversations of a group, oldest first. */
  queued: (db: Db, groupId: string) =>
    db
      .select({
        id: conversations.id,
        portalUserId: conversations.portalUserId,
        taxpayerId: conversations.taxpayerId,
        queuedAt: conversations.queuedAt,
      })
      .from(conversations)
      .where(
        and(
          eq(conversations.queueGroupId, groupId),
          isNull(conversations.assigneeStaffId),
          eq(conversations.status, 'open'),
        ),
      )
      .orderBy(asc(conversations.queuedAt), asc(conversations.id)),

  async onlineAgents(db: Db, groupIds: string[]): Promise<number> {
    if (groupIds.length === 0) return 0;
    const [row] = await db
      .select({ n: sql<number>`count(distinct ${staff.id})::int` })
      .from(staff)
      .innerJoin(staffSkillGroups, eq(staffSkillGroups.staffId, staff.id))
      .where(and(inArray(staffSkillGroups.groupId, groupIds), eq(staff.presence, 'online'), eq(staff.active, true)));
    return Number(row?.n ?? 0);
  },

  groupsOf: async (db: Db, staffId: string) =>
    (await db.select().from(staffSkillGroups).where(eq(staffSkillGroups.staffId, staffId))).map((r) => r.groupId),

  async setPresence(db: Db, staffId: string, presence: 'online' | 'busy' | 'away') {
    await db.update(staff).set({ presence }).where(eq(staff.id, staffId));
  },

  /** Groups with somebody waiting (for the periodic sweep). */
  async groupsWithQueue(db: Db): Promise<string[]> {
    const rows = await db
      .selectDistinct({ g: conversations.queueGroupId })
      .from(conversations)
      .where(and(isNotNull(conversations.queueGroupId), isNull(conversations.assigneeStaffId)));
    return rows.flatMap((r) => (r.g ? [r.g] : []));
  },

  /**
   * Gives one conversation to one agent if they are under their cap (accept, manual assignment, transfer). Same
   * locking as assignOne: the agent's row first, then the count.
   */
  async assignTo(
    db: Db,
    conversationId: string,
    staffId: string,
    opts: { replace: boolean },
  ): Promise<'ok' | 'full' | 'gone'> {
    return db.transaction(async (tx) => {
      const [conv] = rowsOf<{ id: string; assignee_staff_id: string | null }>(
        await tx.execute(
          sql`select id, assignee_staff_id from conversations where id = ${conversationId} and status = 'open' for update`,
        ),
      );
      if (!conv || (conv.assignee_staff_id && !opts.replace)) return 'gone';
      if (conv.assignee_staff_id === staffId) return 'ok';
      await tx.execute(sql`select id from staff where id = ${staffId} for update`);
      const [cap] = rowsOf<{ load: number; max: number }>(
        await tx.execute(sql`
          select (select count(*)::int from conversations c where c.assignee_staff_id = s.id and c.status = 'open') as load,
                 s.max_concurrent as max
            from staff s where s.id = ${staffId} and s.active`),
      );
      if (!cap || Number(cap.load) >= Number(cap.max)) return 'full';
      await tx
        .update(conversations)
        .set({ assigneeStaffId: staffId, assignedAt: new Date(), queueGroupId: null, queuedAt: null })
        .where(eq(conversations.id, conversationId));
      await tx.update(staff).set({ lastAssignedAt: new Date() }).where(eq(staff.id, staffId));
      return 'ok';
    });
  },

  /** Back to a group's queue (transfer to a group): unassigned, waiting from now. */
  async requeue(db: Db, conversationId: string, groupId: string) {
    await db
      .update(conversations)
      .set({ assigneeStaffId: null, assignedAt: null, queueGroupId: groupId, queuedAt: new Date() })
      .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'open')));
  },

  /** Agents with their presence and current load. */
  async agents(db: Db) {
    return db
      .select({
        staffId: staff.id,
        name: staff.name,
        role: staff.role,
        presence: staff.presence,
        maxConcurrent: staff.maxConcurrent,
        // qualified by hand: drizzle would render the column unqualified, and inside the subquery that means c.id
        load: sql<number>`(select count(*)::int from conversations c where c.assignee_staff_id = "staff"."id" and c.status = 'open')`,
      })
      .from(staff)
      .where(eq(staff.active, true))
      .orderBy(asc(staff.name));
  },

  /** Waiting conversations (of some groups, or all), oldest first, with who is waiting. */
  async queuedWithDetails(db: Db, groupIds: string[] | null) {
    return db
      .select({
        conversationId: conversations.id,
        groupId: skillGroups.id,
        groupName: skillGroups.name,
        queuedAt: conversations.queuedAt,
        reason: conversations.handoffReason,
        taxpayerName: taxpayers.name,
        personName: portalUsers.name,
      })
      .from(conversations)
      .innerJoin(skillGroups, eq(skillGroups.id, conversations.queueGroupId))
      .innerJoin(taxpayers, eq(taxpayers.id, conversations.taxpayerId))
      .innerJoin(portalUsers, eq(portalUsers.id, conversations.portalUserId))
      .where(
        and(
          isNull(conversations.assigneeStaffId),
          eq(conversations.status, 'open'),
          groupIds ? inArray(conversations.queueGroupId, groupIds.length ? groupIds : ['-']) : undefined,
        ),
      )
      .orderBy(asc(conversations.queuedAt));
  },

  /**
   * Conversations with an agent whose last visible message is not the taxpayer's and is older than `before`:
   * `stage` 'warn' looks for a last message from the agent side, 'close' for our idle warning as the last message.
   */
  async idle(db: Db, before: Date, stage: 'warn' | 'close') {
    return rowsOf<{ id: string }>(
      await db.execute(sql`
        select c.id from conversations c
          join lateral (
            select m.sender_type, m.payload->>'kind' as kind, m.created_at from messages m
             where m.conversation_id = c.id and not m.private
             order by m.seq desc limit 1) last on true
         where c.status = 'open' and c.assignee_staff_id is not null
           and last.created_at < ${before.toISOString()}::timestamptz
           and last.sender_type <> 'taxpayer'
           and ${stage === 'close' ? sql`last.kind = 'idle_warning'` : sql`coalesce(last.kind, '') <> 'idle_warning'`}
         limit 200`),
    );
  },

  /** Assignments whose agent_joined notice never went out (see sweep). */
  async unannounced(db: Db): Promise<Assignment[]> {
    return rowsOf<{ id: string; assignee_staff_id: string }>(
      await db.execute(sql`
        select c.id, c.assignee_staff_id from conversations c
         where c.status = 'open' and c.assignee_staff_id is not null and c.assigned_at is not null
           and not exists (
             select 1 from messages m
              where m.conversation_id = c.id and m.payload->>'kind' = 'agent_joined'
                and m.created_at >= c.assigned_at - interval '5 seconds')
           and c.assigned_at < now() - interval '10 seconds'
         limit 100`),
    ).map((r) => ({ conversationId: r.id, staffId: r.assignee_staff_id }));
  },

  /**
   * Gives the oldest waiting conversation of the group to its least-loaded online agent, or returns null.
   * Candidates are read without locks first (at a peak most agents are full, and locking them all would make every
   * assigner wait for every other); then one agent row at a time is locked (SKIP LOCKED: an agent another assigner
   * holds is skipped, never waited for) and their load counted again under the lock. 'busy' means free agents were
   * only skipped because others held them: try again shortly.
   */
  async assignOne(db: Db, groupId: string): Promise<Assignment | 'none' | 'busy'> {
    const candidates = rowsOf<{ id: string }>(
      await db.execute(sql`
        select s.id from staff s
          join staff_skill_groups g on g.staff_id = s.id
         where g.group_id = ${groupId} and s.presence = 'online' and s.active
           and (select count(*) from conversations c where c.assignee_staff_id = s.id and c.status = 'open') < s.max_concurrent
         order by (select count(*) from conversations c where c.assignee_staff_id = s.id and c.status = 'open'),
                  s.last_assigned_at nulls first, s.id
         limit 20`),
    );
    if (candidates.length === 0) return 'none';
    return db.transaction(async (tx) => {
      const [head] = rowsOf<{ id: string }>(
        await tx.execute(sql`
          select id from conversations
           where queue_group_id = ${groupId} and assignee_staff_id is null and status = 'open'
           order by queued_at, id
           limit 1
           for update skip locked`),
      );
      if (!head) return 'none';
      let contended = false;
      for (const candidate of candidates) {
        // SKIP LOCKED: never wait for another assigner (no deadlocks); its agent may be full by the time it commits
        const [agent] = rowsOf<{ id: string }>(
          await tx.execute(sql`
            select s.id from staff s where s.id = ${candidate.id} and s.presence = 'online' and s.active
               for update skip locked`),
        );
        if (!agent) {
          contended = true;
          continue;
        }
        const [load] = rowsOf<{ n: number; max: number }>(
          await tx.execute(sql`
            select (select count(*)::int from conversations c where c.assignee_staff_id = s.id and c.status = 'open') as n,
                   s.max_concurrent as max
              from staff s where s.id = ${candidate.id}`),
        );
        if (!load || Number(load.n) >= Number(load.max)) continue;
        await tx
          .update(conversations)
          .set({ assigneeStaffId: candidate.id, assignedAt: new Date(), queueGroupId: null })
          .where(and(eq(conversations.id, head.id), isNull(conversations.assigneeStaffId)));
        await tx.update(staff).set({ lastAssignedAt: new Date() }).where(eq(staff.id, candidate.id));
        return { conversationId: head.id, staffId: candidate.id };
      }
      return contended ? 'busy' : 'none';
    });
  },
};
