/**
 * SQL for the human queue. Assignment is one transaction (one round trip) that locks the head of the queue (SKIP
 * LOCKED, so parallel assigners take different conversations) and then one chosen agent's row, and only then counts
 * that agent's load —
 * in a new statement, so it sees every assignment committed while it waited for the lock. That is what keeps one
 * conversation from two agents and every agent within their cap, across any number of nodes.
 */
import { performance } from 'node:perf_hooks';
import { and, asc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import { conversations, portalUsers, skillGroups, staff, staffSkillGroups, taxpayers } from '../../db/schema.ts';
import { type Db, runScript } from '../../platform/db.ts';
import type { ConversationOwner } from '../conversation/conversation.policy.ts';
import type { GroupRow } from './routing.ts';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

export type Assignment = { conversationId: string; staffId: string };

/** What the announcement of an assignment says, read in the assigning statement itself. */
export type AssignmentDetails = {
  agentName: string;
  taxpayerName: string;
  reason: string | null;
  /** Who the conversation belongs to (spares the message writer a read); absent if unknown. */
  owner?: ConversationOwner;
};
export type AssignOutcome = (Assignment & { details?: AssignmentDetails }) | 'none' | 'busy';
/** Called with the duration of each assignment transaction (the decision) and how it ended. */
export type DecisionHook = (ms: number, outcome: 'assigned' | 'none' | 'busy') => void;

export type RouteGroup = GroupRow & { online: boolean };
export type RouteInfo = {
  status: string;
  assigneeStaffId: string | null;
  queueGroupId: string | null;
  officeChain: string[];
  groups: RouteGroup[];
};
/** Office trees are a few levels deep; this only bounds a cycle. */
const MAX_OFFICE_DEPTH = 32;

type AssignedRow = {
  id: string;
  portal_user_id: string;
  taxpayer_id: string;
  handoff_reason: string | null;
  staff_name: string;
  taxpayer_name: string;
};

/** Agents a transaction tries before it gives up ('busy'); only races with other nodes make it try a second. */
const MAX_AGENT_TRIES = 20;

/** Whether an online agent of the group is under their cap (no locks: a hint, checked again under the lock). */
const roomIn = (groupId: string | SQL) => sql`exists (
  select 1 from staff s join staff_skill_groups g on g.staff_id = s.id
   where g.group_id = ${groupId} and s.presence = 'online' and s.active
     and (select count(*) from conversations c where c.assignee_staff_id = s.id and c.status = 'open') < s.max_concurrent)`;

/** A uuid[] literal for ANY(): drizzle would spread a JS array into separate parameters. */
const pgUuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/*
 * assignOne's transaction, sent as one script (runScript: one round trip, one implicit transaction). The first
 * statement keeps what it locked in two transaction-local settings; the second, a new statement with a new snapshot,
 * reads them back. '' stands for none.
 */
const PICKED_HEAD = sql.raw(`nullif(current_setting('zhengna.assign_head', true), '')::uuid`);
const PICKED_STAFF = sql.raw(`nullif(current_setting('zhengna.assign_staff', true), '')::uuid`);

/** 1. Lock the head of the queue and the least-loaded agent with room, both SKIP LOCKED; commit asynchronously. */
const pickStatement = (groupId: string, tried: string[]) => sql`
  with head as (
    select id from conversations
     where queue_group_id = ${groupId} and assignee_staff_id is null and status = 'open'
     order by queued_at, id
     limit 1
     for update skip locked
  ), candidates as (
    select s.id, s.last_assigned_at,
           (select count(*) from conversations c where c.assignee_staff_id = s.id and c.status = 'open') as load,
           s.max_concurrent
      from staff s join staff_skill_groups g on g.staff_id = s.id
     where g.group_id = ${groupId} and s.presence = 'online' and s.active
       and not (s.id = any(${pgUuidArray(tried)}::uuid[]))
  ), agent as (
    select s.id from staff s join candidates k on k.id = s.id
     where k.load < k.max_concurrent
     order by k.load, k.last_assigned_at nulls first, k.id
     limit 1
     for update of s skip locked
  ), pick as (
    select (select id from head) as head,
           case when exists (select 1 from head) then (select id from agent) end as staff_id,
           (select count(*)::int from candidates where load < max_concurrent) as room
  )
  select set_config('zhengna.assign_head', coalesce(head::text, ''), true) as head,
         set_config('synchronous_commit', 'off', true) as async_commit,
         set_config('zhengna.assign_staff', coalesce(staff_id::text, ''), true) as staff_id,
         room
    from pick`;

/** 2. Under those locks, count the agent's load again and assign only if they are still under their cap. */
const assignStatement = sql`
  with load as (
    select count(*)::int as n from conversations where assignee_staff_id = ${PICKED_STAFF} and status = 'open'
  ), assigned as (
    update conversations c
       set assignee_staff_id = s.id, assigned_at = now(), queue_group_id = null
      from staff s
     where c.id = ${PICKED_HEAD} and c.assignee_staff_id is null and c.status = 'open'
       and s.id = ${PICKED_STAFF} and s.presence = 'online' and s.active
       and (select n from load) < s.max_concurrent
    returning c.id, c.portal_user_id, c.taxpayer_id, c.handoff_reason, s.name as staff_name
  ), touched as (
    -- a data-modifying WITH runs whether or not it is referenced
    update staff set last_assigned_at = now()
     where id = ${PICKED_STAFF} and exists (select 1 from assigned)
    returning id
  )
  select a.id, a.portal_user_id, a.taxpayer_id, a.handoff_reason, a.staff_name, t.name as taxpayer_name
    from assigned a join taxpayers t on t.id = a.taxpayer_id`;

export const handoffRepo = {
  groups: (db: Db) => db.select().from(skillGroups),

  /**
   * Everything a handoff request decides on, in one statement: the conversation's state, the taxpayer's office and
   * its parents (nearest first), and every skill group with whether any of its agents is online.
   */
  async routeInfo(db: Db, conversationId: string): Promise<RouteInfo | undefined> {
    const [row] = rowsOf<{
      status: string;
      assignee_staff_id: string | null;
      queue_group_id: string | null;
      chain: string[] | string | null;
      groups: RouteGroup[] | string | null;
    }>(
      await db.execute(sql`
        with recursive chain (id, parent_id, depth) as (
          select o.id, o.parent_id, 0
            from conversations c join taxpayers t on t.id = c.taxpayer_id join tax_offices o on o.id = t.tax_office_id
           where c.id = ${conversationId}
          union all
          select o.id, o.parent_id, ch.depth + 1 from tax_offices o join chain ch on o.id = ch.parent_id
           where ch.depth < ${MAX_OFFICE_DEPTH}
        )
        select c.status, c.assignee_staff_id, c.queue_group_id,
               (select json_agg(ch.id order by ch.depth) from chain ch) as chain,
               (select json_agg(json_build_object(
                         'id', g.id, 'business', g.business, 'taxOfficeId', g.tax_office_id,
                         'fallbackGroupId', g.fallback_group_id,
                         'online', exists (select 1 from staff_skill_groups m join staff s on s.id = m.staff_id
                                            where m.group_id = g.id and s.presence = 'online' and s.active)))
                  from skill_groups g) as groups
          from conversations c where c.id = ${conversationId}`),
    );
    if (!row) return undefined;
    // json comes back parsed from both drivers; a string would only mean a driver without the json parser
    const parse = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
    const chain: string[] = [];
    // a cycle in the office tree ends the chain where it repeats
    for (const id of parse(row.chain) ?? []) {
      if (chain.includes(id)) break;
      chain.push(id);
    }
    return {
      status: row.status,
      assigneeStaffId: row.assignee_staff_id,
      queueGroupId: row.queue_group_id,
      officeChain: chain,
      groups: parse(row.groups) ?? [],
    };
  },

  /**
   * Puts the conversation in the group's queue (keeping its place if it already waited) and, in the same statement,
   * tells whether an online agent of the group has room — if not, there is nothing to assign now.
   */
  async enqueue(db: Db, conversationId: string, groupId: string): Promise<{ enqueued: boolean; room: boolean }> {
    const [row] = rowsOf<{ enqueued: boolean; room: boolean }>(
      await db.execute(sql`
        with q as (
          update conversations set queue_group_id = ${groupId}, handoff_group_id = ${groupId},
                                 queued_at = coalesce(queued_at, now())
           where id = ${conversationId} and status = 'open' and assignee_staff_id is null
          returning id
        )
        select exists (select 1 from q) as enqueued, ${roomIn(groupId)} as room`),
    );
    return { enqueued: Boolean(row?.enqueued), room: Boolean(row?.room) };
  },

  /** Moves a waiting conversation to another group's queue, keeping its place in time (overflow). */
  async enqueueInto(db: Db, conversationId: string, groupId: string) {
    await db
      .update(conversations)
      .set({ queueGroupId: groupId, handoffGroupId: groupId })
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

  /**
   * The agent's groups where somebody waits and an online agent has room (after the agent freed a place): the only
   * ones worth draining, found in one statement instead of one look per group.
   */
  async groupsToDrain(db: Db, staffId: string): Promise<string[]> {
    return rowsOf<{ group_id: string }>(
      await db.execute(sql`
        select m.group_id from staff_skill_groups m
         where m.staff_id = ${staffId}
           and exists (select 1 from conversations c
                        where c.queue_group_id = m.group_id and c.assignee_staff_id is null and c.status = 'open')
           and ${roomIn(sql`m.group_id`)}`),
    ).map((r) => r.group_id);
  },

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
      .set({
        assigneeStaffId: null,
        assignedAt: null,
        queueGroupId: groupId,
        handoffGroupId: groupId,
        queuedAt: new Date(),
      })
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
   * Gives the oldest waiting conversation of the group to its least-loaded online agent within their cap.
   *
   * First a look without locks, outside any transaction (at a peak most calls find nobody waiting or every agent
   * full, and those should cost one read, not a transaction); skipPeek when the caller has just seen both. Then one
   * transaction of two statements, sent together (runScript: one round trip — every round trip would hold the locks
   * for a turn of a busy event loop):
   *  1. lock the head of the queue and the least-loaded agent with room, both SKIP LOCKED (parallel assigners take
   *     different conversations and never wait for one another's agents, so no deadlocks);
   *  2. a NEW statement — so a new snapshot that sees every assignment committed while this one was choosing —
   *     counts that agent's load again under the lock and assigns only if they are still under their cap; it also
   *     returns what the announcement needs (no reads after the commit).
   * It commits without waiting for the WAL flush (synchronous_commit off, for this transaction only): nobody learns of
   * the assignment before the agent_joined message is stored, and that later commit waits for the flush of all WAL
   * before it, this one's included. A crash in between can only lose an assignment nobody was told of, and leaves the
   * conversation waiting in its queue (the sweep assigns it again).
   * If step 2 finds the agent full (another node's assignment committed in between) the next agent is tried, in a new
   * transaction.
   * 'busy' means agents with room were only skipped because other assigners hold them: try again shortly.
   */
  async assignOne(
    db: Db,
    groupId: string,
    opts: { onDecision?: DecisionHook; skipPeek?: boolean } = {},
  ): Promise<AssignOutcome> {
    if (!opts.skipPeek) {
      const [peek] = rowsOf<{ waiting: boolean; room: boolean }>(
        await db.execute(sql`
          select exists (select 1 from conversations
                          where queue_group_id = ${groupId} and assignee_staff_id is null and status = 'open') as waiting,
                 ${roomIn(groupId)} as room`),
      );
      if (!peek?.waiting || !peek.room) return 'none';
    }
    const tried: string[] = [];
    for (let attempt = 0; attempt < MAX_AGENT_TRIES; attempt++) {
      const t0 = performance.now();
      const [picked, assigned] = await runScript(db, [pickStatement(groupId, tried), assignStatement]);
      const pick = rowsOf<{ head: string; staff_id: string; room: number }>({ rows: picked })[0];
      const done = rowsOf<AssignedRow>({ rows: assigned })[0];
      // the two statements and the commit are one round trip: this is the whole transaction
      const ms = performance.now() - t0;
      if (done && pick?.staff_id) {
        opts.onDecision?.(ms, 'assigned');
        return {
          conversationId: done.id,
          staffId: pick.staff_id,
          details: {
            agentName: done.staff_name,
            taxpayerName: done.taxpayer_name,
            reason: done.handoff_reason,
            owner: { id: done.id, portalUserId: done.portal_user_id, taxpayerId: done.taxpayer_id },
          },
        };
      }
      if (!pick?.head || !pick.staff_id) {
        const outcome = pick?.head && Number(pick.room) > 0 ? 'busy' : 'none';
        opts.onDecision?.(ms, outcome);
        return outcome;
      }
      // full after all (an assignment committed between the two statements): the next agent, in a new transaction
      opts.onDecision?.(ms, 'busy');
      tried.push(pick.staff_id);
    }
    return 'busy';
  },
};
