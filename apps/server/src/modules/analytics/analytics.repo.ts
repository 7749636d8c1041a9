/**
 * The SQL of 统计分析: set-based aggregates over a range of stored events, grouped by China (UTC+8) day. Each query
 * starts from a range index (conversations_created_idx, conversations_handoff_idx, conversations_assigned_idx,
 * messages_bot_outcome_idx, bot_feedback_created_idx), so a year stays fast (`npm run bench:analytics`).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

export type Scope = { from: Date; to: Date; officeId?: string | undefined; groupId?: string | undefined };

/** The China date of a timestamp, independent of the session's time zone (China has no daylight saving). */
const day = (col: SQL) => sql`to_char(${col} at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD')`;
const inRange = (col: SQL, s: Scope) => sql`${col} >= ${s.from.toISOString()} and ${col} < ${s.to.toISOString()}`;
/** A conversation of a taxpayer of the office (alias `c`). */
const convOffice = (s: Scope) =>
  s.officeId ? sql` and c.taxpayer_id in (select id from taxpayers where tax_office_id = ${s.officeId})` : sql``;
const convGroup = (s: Scope) => (s.groupId ? sql` and c.handoff_group_id = ${s.groupId}` : sql``);
/** A message (alias `m`) of a conversation of the office. */
const msgOffice = (s: Scope) =>
  s.officeId
    ? sql` and m.conversation_id in (select c.id from conversations c join taxpayers t on t.id = c.taxpayer_id
                                       where t.tax_office_id = ${s.officeId})`
    : sql``;

const n = (v: unknown) => Number(v ?? 0);
const nn = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export const analyticsRepo = {
  async conversationsByDay(db: Db, s: Scope) {
    const rows = rowsOf<{ day: string; n: number }>(
      await db.execute(sql`
        select ${day(sql`c.created_at`)} as day, count(*)::int as n
          from conversations c
         where ${inRange(sql`c.created_at`, s)}${convOffice(s)}${convGroup(s)}
         group by 1`),
    );
    return new Map(rows.map((r) => [r.day, n(r.n)]));
  },

  async botOutcomesByDay(db: Db, s: Scope) {
    return rowsOf<{ day: string; answered: number; clarified: number; no_answer: number }>(
      await db.execute(sql`
        select ${day(sql`m.created_at`)} as day,
               count(*) filter (where m.payload->>'kind' = 'answer')::int as answered,
               count(*) filter (where m.payload->>'kind' = 'clarify')::int as clarified,
               count(*) filter (where m.payload->>'kind' = 'no_answer')::int as no_answer
          from messages m
         where m.sender_type = 'bot' and m.payload->>'kind' in ('answer', 'clarify', 'no_answer')
           and ${inRange(sql`m.created_at`, s)}${msgOffice(s)}
         group by 1`),
    ).map((r) => ({ day: r.day, answered: n(r.answered), clarified: n(r.clarified), noAnswer: n(r.no_answer) }));
  },

  async feedbackByDay(db: Db, s: Scope) {
    const office = s.officeId
      ? sql` and f.message_id in (select m.id from messages m where true${msgOffice(s)})`
      : sql``;
    return rowsOf<{ day: string; helpful: number; unhelpful: number }>(
      await db.execute(sql`
        select ${day(sql`f.created_at`)} as day,
               count(*) filter (where f.helpful)::int as helpful,
               count(*) filter (where not f.helpful)::int as unhelpful
          from bot_feedback f
         where ${inRange(sql`f.created_at`, s)}${office}
         group by 1`),
    ).map((r) => ({ day: r.day, helpful: n(r.helpful), unhelpful: n(r.unhelpful) }));
  },

  async topQuestions(db: Db, s: Scope, limit = 10) {
    return rowsOf<{ entry_id: string; question: string; n: number }>(
      await db.execute(sql`
        select m.payload->>'entryId' as entry_id, coalesce(max(e.question), max(m.payload->>'question')) as question,
               count(*)::int as n
          from messages m left join kb_entries e on e.id = m.payload->>'entryId'
         where m.sender_type = 'bot' and m.payload->>'kind' in ('answer', 'clarify', 'no_answer')
           and m.payload->>'kind' = 'answer' and ${inRange(sql`m.created_at`, s)}${msgOffice(s)}
         group by 1 order by 3 desc, 1 limit ${limit}`),
    ).map((r) => ({ entryId: r.entry_id, question: r.question ?? '', count: n(r.n) }));
  },

  /** The taxpayer's message each no-answer replied to, grouped by its trimmed text. */
  async topUnanswered(db: Db, s: Scope, limit = 10) {
    return rowsOf<{ question: string; n: number }>(
      await db.execute(sql`
        select q.body as question, count(*)::int as n
          from messages m
          cross join lateral (
            select btrim(p.body) as body from messages p
             where p.conversation_id = m.conversation_id and p.seq < m.seq and p.sender_type = 'taxpayer'
             order by p.seq desc limit 1) q
         where m.sender_type = 'bot' and m.payload->>'kind' in ('answer', 'clarify', 'no_answer')
           and m.payload->>'kind' = 'no_answer' and ${inRange(sql`m.created_at`, s)}${msgOffice(s)}
         group by 1 order by 2 desc, 1 limit ${limit}`),
    ).map((r) => ({ question: r.question, count: n(r.n) }));
  },

  /** Entries marked 没用 at least twice in the range. */
  async problemEntries(db: Db, s: Scope, limit = 10) {
    const office = s.officeId
      ? sql` and f.message_id in (select m.id from messages m where true${msgOffice(s)})`
      : sql``;
    return rowsOf<{ entry_id: string; question: string | null; helpful: number; unhelpful: number }>(
      await db.execute(sql`
        select f.entry_id, max(e.question) as question,
               count(*) filter (where f.helpful)::int as helpful,
               count(*) filter (where not f.helpful)::int as unhelpful
          from bot_feedback f left join kb_entries e on e.id = f.entry_id
         where ${inRange(sql`f.created_at`, s)}${office}
         group by 1 having count(*) filter (where not f.helpful) >= 2
         order by 4 desc, 3, 1 limit ${limit}`),
    ).map((r) => ({
      entryId: r.entry_id,
      question: r.question ?? r.entry_id,
      helpful: n(r.helpful),
      unhelpful: n(r.unhelpful),
    }));
  },

  /**
   * Handoffs by day of the request, plus a total row (day null): taken, abandoned (queued, left or closed before an
   * agent took it), unserved (never queued: nobody online or outside service hours) and the wait percentiles.
   */
  async handoffsByDay(db: Db, s: Scope) {
    return rowsOf<{
      day: string | null;
      handoffs: number;
      assigned: number;
      queued: number;
      abandoned: number;
      unserved: number;
      p50: number | null;
      p90: number | null;
    }>(
      await db.execute(sql`
        with h as (
          select ${day(sql`c.handoff_requested_at`)} as day, c.assignee_staff_id, c.handoff_group_id,
                 c.queue_group_id,
                 -- greatest() skips nulls: not taken stays null, out of the percentiles
                 case when c.assigned_at is not null
                      then greatest(extract(epoch from c.assigned_at - c.handoff_requested_at), 0) end as wait
            from conversations c
           where c.handoff_requested_at is not null and ${inRange(sql`c.handoff_requested_at`, s)}
                 ${convOffice(s)}${convGroup(s)})
        select day, count(*)::int as handoffs,
               count(*) filter (where assignee_staff_id is not null)::int as assigned,
               count(*) filter (where handoff_group_id is not null)::int as queued,
               count(*) filter (where handoff_group_id is not null and assignee_staff_id is null
                                  and queue_group_id is null)::int as abandoned,
               count(*) filter (where handoff_group_id is null and assignee_staff_id is null)::int as unserved,
               percentile_cont(0.5) within group (order by wait) as p50,
               percentile_cont(0.9) within group (order by wait) as p90
          from h group by grouping sets ((day), ())`),
    ).map((r) => ({
      day: r.day,
      handoffs: n(r.handoffs),
      assigned: n(r.assigned),
      queued: n(r.queued),
      abandoned: n(r.abandoned),
      unserved: n(r.unserved),
      p50: nn(r.p50),
      p90: nn(r.p90),
    }));
  },

  async handoffsByReason(db: Db, s: Scope) {
    return rowsOf<{ reason: string; n: number }>(
      await db.execute(sql`
        select coalesce(c.handoff_reason, 'unknown') as reason, count(*)::int as n
          from conversations c
         where c.handoff_requested_at is not null and ${inRange(sql`c.handoff_requested_at`, s)}
               ${convOffice(s)}${convGroup(s)}
         group by 1 order by 2 desc, 1`),
    ).map((r) => ({ reason: r.reason, count: n(r.n) }));
  },

  /** Of the unserved handoffs: a 留言 left from the chat, an appointment booked by the same person within a day. */
  async unservedConversions(db: Db, s: Scope) {
    // EXISTS in WHERE (a semi-join), not in an aggregate's FILTER (a subplan run per row)
    const [row] = rowsOf<{ inquiries: number; appointments: number }>(
      await db.execute(sql`
        with u as materialized (
          select c.id, c.taxpayer_id, c.portal_user_id, c.handoff_requested_at
            from conversations c
           where c.handoff_requested_at is not null and ${inRange(sql`c.handoff_requested_at`, s)}
             and c.handoff_group_id is null and c.assignee_staff_id is null${convOffice(s)})
        select (select count(*) from u where exists (select 1 from inquiries i where i.conversation_id = u.id))::int
                 as inquiries,
               (select count(*) from u where exists (
                  select 1 from appointments a
                   where a.taxpayer_id = u.taxpayer_id and a.portal_user_id = u.portal_user_id
                     and a.created_at >= u.handoff_requested_at
                     and a.created_at < u.handoff_requested_at + interval '1 day'))::int as appointments`),
    );
    return { inquiries: n(row?.inquiries), appointments: n(row?.appointments) };
  },

  /** Per agent, for the conversations taken in the range. */
  async agents(db: Db, s: Scope) {
    return rowsOf<{
      staff_id: string;
      name: string;
      handled: number;
      fr_p50: number | null;
      fr_avg: number | null;
      handling_avg: number | null;
      ratings: number;
      avg_score: number | null;
      satisfied: number;
    }>(
      await db.execute(sql`
        with a as (
          select c.id, c.assignee_staff_id as sid, c.assigned_at, c.closed_at
            from conversations c
           where c.assigned_at is not null and ${inRange(sql`c.assigned_at`, s)}
             and c.assignee_staff_id is not null${convOffice(s)}${convGroup(s)})
        select s.id as staff_id, s.name, count(*)::int as handled,
               percentile_cont(0.5) within group (order by fr.secs) as fr_p50, avg(fr.secs) as fr_avg,
               avg(extract(epoch from a.closed_at - a.assigned_at)) filter (where a.closed_at is not null)
                 as handling_avg,
               count(r.score)::int as ratings, avg(r.score) as avg_score,
               count(*) filter (where r.score >= 4)::int as satisfied
          from a join staff s on s.id = a.sid
          left join lateral (
            select extract(epoch from min(m.created_at) - a.assigned_at) as secs from messages m
             where m.conversation_id = a.id and m.sender_type = 'agent' and m.created_at >= a.assigned_at) fr on true
          left join conversation_ratings r on r.conversation_id = a.id
         group by s.id, s.name order by 3 desc, 2`),
    ).map((r) => ({
      staffId: r.staff_id,
      name: r.name,
      handled: n(r.handled),
      firstResponseP50Seconds: nn(r.fr_p50),
      firstResponseAvgSeconds: nn(r.fr_avg),
      handlingAvgSeconds: nn(r.handling_avg),
      ratings: n(r.ratings),
      avgScore: r.avg_score === null ? null : Math.round(Number(r.avg_score) * 100) / 100,
      satisfiedRate: n(r.ratings) ? n(r.satisfied) / n(r.ratings) : null,
    }));
  },

  /** Seconds of agent-held conversation per China hour of the day, over the range (open ones count until now). */
  async heldSecondsByHour(db: Db, s: Scope) {
    const rows = rowsOf<{ hour: number; secs: number }>(
      await db.execute(sql`
        with a as (
          select greatest(c.assigned_at, ${s.from.toISOString()}::timestamptz) as t0,
                 least(coalesce(c.closed_at, now()), ${s.to.toISOString()}::timestamptz) as t1
            from conversations c
           where c.assigned_at is not null and ${inRange(sql`c.assigned_at`, s)}
             and c.assignee_staff_id is not null${convOffice(s)}${convGroup(s)})
        select extract(hour from h at time zone 'UTC' + interval '8 hours')::int as hour,
               sum(extract(epoch from least(h + interval '1 hour', a.t1) - greatest(h, a.t0))) as secs
          from a cross join lateral generate_series(date_trunc('hour', a.t0), a.t1, interval '1 hour') h
         where a.t1 > a.t0
         group by 1`),
    );
    return new Map(rows.map((r) => [n(r.hour), Number(r.secs ?? 0)]));
  },

  async caseTotals(db: Db, s: Scope) {
    const office = (t: string) => (s.officeId ? sql` and ${sql.raw(t)}.tax_office_id = ${s.officeId}` : sql``);
    const group = (t: string) => (s.groupId ? sql` and ${sql.raw(t)}.group_id = ${s.groupId}` : sql``);
    const [row] = rowsOf<Record<string, number>>(
      await db.execute(sql`
        select
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)}${office('i')}${group('i')})::int
            as i_created,
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)} and i.replied_at is not null
             ${office('i')}${group('i')})::int as i_finished,
          (select count(*) from inquiries i where ${inRange(sql`i.created_at`, s)} and i.replied_at <= i.due_at
             ${office('i')}${group('i')})::int as i_on_time,
          (select count(*) from inquiries i where i.status = 'pending' and i.due_at < now()
             ${office('i')}${group('i')})::int as i_overdue,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)}${office('w')}${group('w')})::int
            as w_created,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)} and w.done_at is not null
             ${office('w')}${group('w')})::int as w_finished,
          (select count(*) from work_orders w where ${inRange(sql`w.created_at`, s)} and w.done_at <= w.due_at
             ${office('w')}${group('w')})::int as w_on_time,
          (select count(*) from work_orders w where w.status in ('pending', 'processing') and w.due_at < now()
             ${office('w')}${group('w')})::int as w_overdue`),
    );
    const totals = (p: 'i' | 'w') => {
      const finished = n(row?.[`${p}_finished`]);
      const onTime = n(row?.[`${p}_on_time`]);
      return {
        created: n(row?.[`${p}_created`]),
        finished,
        onTime,
        onTimeRate: finished ? onTime / finished : null,
        overdueOpen: n(row?.[`${p}_overdue`]),
      };
    };
    return { inquiries: totals('i'), workOrders: totals('w') };
  },

  async casesByDay(db: Db, s: Scope) {
    const office = s.officeId ? sql` and tax_office_id = ${s.officeId}` : sql``;
    const group = s.groupId ? sql` and group_id = ${s.groupId}` : sql``;
    return rowsOf<{ day: string; inquiries: number; work_orders: number }>(
      await db.execute(sql`
        select day, count(*) filter (where k = 'i')::int as inquiries, count(*) filter (where k = 'w')::int as work_orders
          from (select ${day(sql`created_at`)} as day, 'i' as k from inquiries
                 where ${inRange(sql`created_at`, s)}${office}${group}
                union all
                select ${day(sql`created_at`)}, 'w' from work_orders
                 where ${inRange(sql`created_at`, s)}${office}${group}) x
         group by 1`),
    ).map((r) => ({ day: r.day, inquiries: n(r.inquiries), workOrders: n(r.work_orders) }));
  },

  /** Open 留言 and 工单 past their deadline now, oldest deadline first (no taxpayer data). */
  async overdue(db: Db, s: Scope, limit = 100) {
    const office = (t: string) => (s.officeId ? sql` and ${sql.raw(t)}.tax_office_id = ${s.officeId}` : sql``);
    const group = (t: string) => (s.groupId ? sql` and ${sql.raw(t)}.group_id = ${s.groupId}` : sql``);
    return rowsOf<{
      kind: 'inquiry' | 'work_order';
      id: string;
      number: string | null;
      type: string;
      due_at: string | Date;
      office_name: string;
      assignee_name: string | null;
    }>(
      await db.execute(sql`
        select * from (
          select 'inquiry' as kind, i.id::text as id, null::text as number, i.type, i.due_at,
                 o.name as office_name, st.name as assignee_name
            from inquiries i join tax_offices o on o.id = i.tax_office_id
            left join staff st on st.id = i.assignee_staff_id
           where i.status = 'pending' and i.due_at < now()${office('i')}${group('i')}
          union all
          select 'work_order', w.id::text, w.number, w.type, w.due_at, o.name, st.name
            from work_orders w join tax_offices o on o.id = w.tax_office_id
            left join staff st on st.id = w.assignee_staff_id
           where w.status in ('pending', 'processing') and w.due_at < now()${office('w')}${group('w')}) x
         order by due_at, id limit ${limit}`),
    ).map((r) => ({
      kind: r.kind,
      id: r.id,
      number: r.number,
      type: r.type,
      dueAt: new Date(r.due_at).toISOString(),
      officeName: r.office_name,
      assigneeName: r.assignee_name,
    }));
  },

  async appointmentsByDay(db: Db, s: Scope) {
    const office = s.officeId
      ? sql` and a.service_id in (select id from appointment_services where tax_office_id = ${s.officeId})`
      : sql``;
    return rowsOf<{ day: string; booked: number; completed: number; no_show: number; cancelled: number }>(
      await db.execute(sql`
        select ${day(sql`a.starts_at`)} as day, count(*)::int as booked,
               count(*) filter (where a.status = 'completed')::int as completed,
               count(*) filter (where a.status = 'no_show')::int as no_show,
               count(*) filter (where a.status = 'cancelled')::int as cancelled
          from appointments a
         where ${inRange(sql`a.starts_at`, s)}${office}
         group by 1`),
    ).map((r) => ({
      day: r.day,
      booked: n(r.booked),
      completed: n(r.completed),
      noShow: n(r.no_show),
      cancelled: n(r.cancelled),
    }));
  },
};
