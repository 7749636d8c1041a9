/**
 * SQL for calls. Every change of state is one conditional UPDATE (`… where id = $1 and state in (…) returning`), so
 * when two nodes, two tabs or a timer and a person race, exactly one of them moves the call and the others see zero
 * rows. Timestamps come from the database clock, the same for every node.
 */
import type { TCallRecordsQuery, TCallState } from '@zhengna/contracts';
import { and, count, desc, eq, getTableColumns, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import { calls, conversations, portalUsers, staff, taxpayers } from '../../db/schema.ts';
import type { Db } from '../../platform/db.ts';

export type CallRow = typeof calls.$inferSelect;
/** A call with the names both sides see. */
export type CallWithNames = CallRow & { agentName: string; taxpayerName: string };
/** A call with its conversation's assignment, for the checks before a step or a signal. */
export type CallAccess = CallWithNames & {
  conversationStatus: 'open' | 'closed';
  assigneeStaffId: string | null;
};

const LIVE: TCallState[] = ['requested', 'inviting', 'connecting', 'active'];

// qualified by hand: inside a subquery of RETURNING an unqualified column could bind to the subquery's own table
const withNames = {
  ...getTableColumns(calls),
  agentName: sql<string>`(select s.name from staff s where s.id = "calls"."staff_id")`,
  taxpayerName: sql<string>`(select p.name from portal_users p where p.id = "calls"."portal_user_id")`,
};

/** The call's agent still holds its conversation: checked inside a party's UPDATE, so a transfer cannot slip in. */
const assignmentLive = sql`exists (select 1 from conversations c
  where c.id = "calls"."conversation_id" and c.status = 'open' and c.assignee_staff_id = "calls"."staff_id")`;

/** Seconds from connected_at to now (0 for a call that never connected). */
export const durationSoFar = sql`coalesce(round(extract(epoch from (now() - ${calls.connectedAt})))::int, 0)`;

/** What a system end sets: a live call that was up is `ended`, one that never was is `cancelled`. */
const systemEnd = {
  state: sql`case when ${calls.state} in ('connecting', 'active') then 'ended' else 'cancelled' end`,
  endedBy: 'system',
  endedAt: sql`now()`,
  durationSeconds: durationSoFar,
} as const;

/** The ring and connection limits the sweep and the timers apply. */
export type ExpiryRule = { state: 'requested' | 'inviting' | 'connecting'; afterSeconds: number };

function expirySet(state: ExpiryRule['state']) {
  switch (state) {
    case 'inviting':
      return { state: 'missed', endedBy: 'system', endedAt: sql`now()` } as const;
    case 'requested':
      return { state: 'cancelled', endedBy: 'system', endedAt: sql`now()` } as const;
    case 'connecting':
      return { state: 'failed', failureReason: 'network', endedBy: 'system', endedAt: sql`now()` } as const;
  }
}

function expiryClock(state: ExpiryRule['state']) {
  switch (state) {
    case 'inviting':
      return calls.invitedAt;
    case 'requested':
      return calls.createdAt;
    case 'connecting':
      return calls.answeredAt;
  }
}

export const callsRepo = {
  /** The call, its two names and its conversation's assignment: one read, primary keys only. */
  async access(db: Db, callId: string): Promise<CallAccess | undefined> {
    const [row] = await db
      .select({
        ...getTableColumns(calls),
        agentName: staff.name,
        taxpayerName: portalUsers.name,
        conversationStatus: conversations.status,
        assigneeStaffId: conversations.assigneeStaffId,
      })
      .from(calls)
      .innerJoin(conversations, eq(conversations.id, calls.conversationId))
      .innerJoin(staff, eq(staff.id, calls.staffId))
      .innerJoin(portalUsers, eq(portalUsers.id, calls.portalUserId))
      .where(eq(calls.id, callId));
    return row;
  },

  /** A new call; the partial unique index refuses a second live call in the conversation (23505). */
  async insert(db: Db, values: PgInsertValue<typeof calls>): Promise<CallWithNames> {
    const [row] = await db.insert(calls).values(values).returning(withNames);
    if (!row) throw new Error('call insert returned nothing');
    return row;
  },

  /**
   * A party's step: moves the call if it is still in one of `from` and its agent still holds the conversation.
   * Undefined when it was not (the caller re-reads to say why).
   */
  async step(
    db: Db,
    callId: string,
    from: readonly TCallState[],
    set: Partial<Record<keyof CallRow, unknown>>,
  ): Promise<CallWithNames | undefined> {
    const [row] = await db
      .update(calls)
      .set(set as never)
      .where(and(eq(calls.id, callId), inArray(calls.state, [...from]), assignmentLive))
      .returning(withNames);
    return row;
  },

  /**
   * Calls whose ring or connection time ran out, moved to their final state: one call (`callId`, a node's timer) or
   * every one (the sweep). The clock is checked in the same statement either way, so each call expires once.
   */
  async expire(db: Db, rule: ExpiryRule, callId?: string): Promise<CallWithNames[]> {
    const clock = expiryClock(rule.state);
    const conditions: SQL[] = [
      eq(calls.state, rule.state),
      sql`${clock} <= now() - make_interval(secs => ${rule.afterSeconds})`,
    ];
    if (callId) conditions.push(eq(calls.id, callId));
    return db
      .update(calls)
      .set(expirySet(rule.state) as never)
      .where(and(...conditions))
      .returning(withNames);
  },

  /**
   * The assignment ended: every live call of the conversation whose agent no longer holds it ends (all of them when
   * the conversation is about to close).
   */
  async endStale(db: Db, conversationId: string, closing: boolean): Promise<CallWithNames[]> {
    return db
      .update(calls)
      .set(systemEnd as never)
      .where(
        and(
          eq(calls.conversationId, conversationId),
          inArray(calls.state, LIVE),
          closing ? undefined : sql`not ${assignmentLive}`,
        ),
      )
      .returning(withNames);
  },

  /** Live calls anywhere whose agent no longer holds the conversation (a node died between the two changes). */
  async endOrphaned(db: Db): Promise<CallWithNames[]> {
    return db
      .update(calls)
      .set(systemEnd as never)
      .where(and(inArray(calls.state, LIVE), sql`not ${assignmentLive}`))
      .returning(withNames);
  },

  /** Supervisors' records: newest first, one page and the total. `from`/`to` are moments (CST days, resolved). */
  /** The calls not over yet that this person is a party of (taxpayer: as that enterprise; staff: as the agent). */
  async liveFor(
    db: Db,
    who: { staffId: string } | { portalUserId: string; taxpayerId: string },
  ): Promise<CallWithNames[]> {
    const party =
      'staffId' in who
        ? eq(calls.staffId, who.staffId)
        : and(eq(calls.portalUserId, who.portalUserId), eq(calls.taxpayerId, who.taxpayerId));
    return db
      .select(withNames)
      .from(calls)
      .where(and(party, inArray(calls.state, LIVE)))
      .orderBy(calls.createdAt)
      .limit(20);
  },

  async records(db: Db, q: TCallRecordsQuery & { fromAt?: Date; toBefore?: Date }) {
    const where = and(
      q.fromAt ? gte(calls.createdAt, q.fromAt) : undefined,
      q.toBefore ? lt(calls.createdAt, q.toBefore) : undefined,
      q.kind ? eq(calls.kind, q.kind) : undefined,
      q.state ? eq(calls.state, q.state) : undefined,
      q.staffId ? eq(calls.staffId, q.staffId) : undefined,
      q.conversationId ? eq(calls.conversationId, q.conversationId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      db
        .select({
          ...getTableColumns(calls),
          agentName: staff.name,
          taxpayerName: portalUsers.name,
          taxpayerNo: taxpayers.taxpayerNo,
        })
        .from(calls)
        .innerJoin(staff, eq(staff.id, calls.staffId))
        .innerJoin(portalUsers, eq(portalUsers.id, calls.portalUserId))
        .innerJoin(taxpayers, eq(taxpayers.id, calls.taxpayerId))
        .where(where)
        .orderBy(desc(calls.createdAt), desc(calls.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      db.select({ n: count() }).from(calls).where(where),
    ]);
    return { rows, total: Number(total?.n ?? 0) };
  },
};

/** A unique index said no (PostgreSQL and PGlite both report 23505, possibly wrapped by drizzle); which one. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } } | null;
  if (e?.code === '23505') return e.constraint ?? '';
  if (e?.cause?.code === '23505') return e.cause.constraint ?? '';
  return null;
}
