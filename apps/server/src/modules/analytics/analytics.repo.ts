/**
 * The SQL of 统计分析: set-based aggregates over a range, grouped by China (UTC+8) day. A range is split (Scope) into
 * the days the analytics.rollup job has written (read from the small rollup tables, analytics-rollup.repo.ts) and
 * the others — today, and any day not rolled up yet — computed from the events by the original queries, each from
 * a range index (conversations_created_idx, conversations_handoff_idx, conversations_assigned_idx,
 * messages_bot_outcome_idx, bot_feedback_created_idx). Both branches give the same rows for the same events, so a
 * section's figures do not depend on which days were rolled up; `npm run bench:analytics` times a year.
 *
 * 留言/工单 and appointments read their own (small, indexed) tables live for the whole range
 * (analytics-cases.repo.ts).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { analyticsCasesRepo } from './analytics-cases.repo.ts';
import {
  chinaDate,
  liveIn,
  n,
  nn,
  rolledIn,
  rowsOf,
  type Scope,
  unionAll,
  weightedPercentiles,
} from './analytics-sql.ts';

export type { Scope } from './analytics-sql.ts';

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
/** Feedback (alias `f`) on a message of a conversation of the office. */
const feedbackOffice = (s: Scope) =>
  s.officeId ? sql` and f.message_id in (select m.id from messages m where true${msgOffice(s)})` : sql``;
/** A rollup row (alias `r`) of the office / group. */
const rOffice = (s: Scope) => (s.officeId ? sql` and r.office_id = ${s.officeId}` : sql``);
const rGroup = (s: Scope) => (s.groupId ? sql` and r.group_id = ${s.groupId}` : sql``);
/** Tables with a row for all offices (office_id null) besides the office's own: read one level. */
const rOfficeLevel = (s: Scope) => (s.officeId ? sql` and r.office_id = ${s.officeId}` : sql` and r.office_id is null`);
const botOutcome = sql`m.sender_type = 'bot' and m.payload->>'kind' in ('answer', 'clarify', 'no_answer')`;

export const analyticsRepo = {
  /** The China dates between from and to (both included) that are in the rollup tables. */
  async rolledDays(db: Db, from: string, to: string) {
    const rows = rowsOf<{ day: string }>(
      await db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') as day from analytics_rollup_days
         where day between ${from}::date and ${to}::date`),
    );
    return new Set(rows.map((r) => r.day));
  },

  async conversationsByDay(db: Db, s: Scope) {
    const rows = rowsOf<{ day: string; n: number }>(
      await db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') as day, sum(n)::int as n from (${unionAll(
          s,
          () => sql`
            select r.day, r.conversations as n from analytics_daily r
             where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
          () => sql`
            select ${chinaDate(sql`c.created_at`)} as day, count(*)::int as n
              from conversations c
             where ${liveIn(sql`c.created_at`, s)}${convOffice(s)}${convGroup(s)}
             group by 1`,
        )}) x group by 1`),
    );
    return new Map(rows.map((r) => [r.day, n(r.n)]));
  },

  async botOutcomesByDay(db: Db, s: Scope) {
    return rowsOf<{ day: string; answered: number; clarified: number; no_answer: number }>(
      await db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') as day, sum(answered)::int as answered, sum(clarified)::int as clarified, sum(no_answer)::int as no_answer
          from (${unionAll(
            s,
            () => sql`
              select r.day, r.answered, r.clarified, r.no_answer from analytics_daily r
               where ${rolledIn(s)}${rOffice(s)}`,
            () => sql`
              select ${chinaDate(sql`m.created_at`)} as day,
                     count(*) filter (where m.payload->>'kind' = 'answer')::int as answered,
                     count(*) filter (where m.payload->>'kind' = 'clarify')::int as clarified,
                     count(*) filter (where m.payload->>'kind' = 'no_answer')::int as no_answer
                from messages m
               where ${botOutcome} and ${liveIn(sql`m.created_at`, s)}${msgOffice(s)}
               group by 1`,
          )}) x
         group by 1`),
    ).map((r) => ({ day: r.day, answered: n(r.answered), clarified: n(r.clarified), noAnswer: n(r.no_answer) }));
  },

  async feedbackByDay(db: Db, s: Scope) {
    return rowsOf<{ day: string; helpful: number; unhelpful: number }>(
      await db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') as day, sum(helpful)::int as helpful, sum(unhelpful)::int as unhelpful
          from (${unionAll(
            s,
            () => sql`
              select r.day, r.helpful, r.unhelpful from analytics_daily r
               where ${rolledIn(s)}${rOffice(s)}`,
            () => sql`
              select ${chinaDate(sql`f.created_at`)} as day,
                     count(*) filter (where f.helpful)::int as helpful,
                     count(*) filter (where not f.helpful)::int as unhelpful
                from bot_feedback f
               where ${liveIn(sql`f.created_at`, s)}${feedbackOffice(s)}
               group by 1`,
          )}) x
         group by 1`),
    ).map((r) => ({ day: r.day, helpful: n(r.helpful), unhelpful: n(r.unhelpful) }));
  },

  async topQuestions(db: Db, s: Scope, limit = 10) {
    return rowsOf<{ entry_id: string; question: string | null; n: number }>(
      await db.execute(sql`
        select y.entry_id, coalesce(e.question, y.question) as question, y.n
          from (select entry_id, max(question) as question, sum(n)::int as n
                  from (${unionAll(
                    s,
                    () => sql`
                      select r.entry_id, r.question, r.answers as n from analytics_entries_daily r
                       where ${rolledIn(s)}${rOfficeLevel(s)} and r.answers > 0`,
                    () => sql`
                      select m.payload->>'entryId' as entry_id, max(m.payload->>'question') as question,
                             count(*)::int as n
                        from messages m
                       where ${botOutcome} and m.payload->>'kind' = 'answer'
                         and ${liveIn(sql`m.created_at`, s)}${msgOffice(s)}
                       group by 1`,
                  )}) x
                 group by 1) y
          left join kb_entries e on e.id = y.entry_id
         order by 3 desc, 1 limit ${limit}`),
    ).map((r) => ({ entryId: r.entry_id, question: r.question ?? '', count: n(r.n) }));
  },

  /** The taxpayer's message each no-answer replied to, grouped by its trimmed text. */
  async topUnanswered(db: Db, s: Scope, limit = 10) {
    return rowsOf<{ question: string; n: number }>(
      await db.execute(sql`
        select question, sum(n)::int as n
          from (${unionAll(
            s,
            () => sql`
              select r.question, r.count as n from analytics_unanswered_daily r
               where ${rolledIn(s)}${rOfficeLevel(s)}`,
            () => sql`
              select q.body as question, count(*)::int as n
                from messages m
                cross join lateral (
                  select btrim(p.body) as body from messages p
                   where p.conversation_id = m.conversation_id and p.seq < m.seq and p.sender_type = 'taxpayer'
                   order by p.seq desc limit 1) q
               where ${botOutcome} and m.payload->>'kind' = 'no_answer'
                 and ${liveIn(sql`m.created_at`, s)}${msgOffice(s)}
               group by 1`,
          )}) x
         group by 1 order by 2 desc, 1 limit ${limit}`),
    ).map((r) => ({ question: r.question, count: n(r.n) }));
  },

  /** Entries marked 没用 at least twice in the range. */
  async problemEntries(db: Db, s: Scope, limit = 10) {
    return rowsOf<{ entry_id: string; question: string | null; helpful: number; unhelpful: number }>(
      await db.execute(sql`
        select y.entry_id, e.question, y.helpful, y.unhelpful
          from (select entry_id, sum(helpful)::int as helpful, sum(unhelpful)::int as unhelpful
                  from (${unionAll(
                    s,
                    () => sql`
                      select r.entry_id, r.helpful, r.unhelpful from analytics_entries_daily r
                       where ${rolledIn(s)}${rOfficeLevel(s)} and r.unhelpful + r.helpful > 0`,
                    () => sql`
                      select f.entry_id, count(*) filter (where f.helpful)::int as helpful,
                             count(*) filter (where not f.helpful)::int as unhelpful
                        from bot_feedback f
                       where ${liveIn(sql`f.created_at`, s)}${feedbackOffice(s)}
                       group by 1`,
                  )}) x
                 group by 1 having sum(unhelpful) >= 2) y
          left join kb_entries e on e.id = y.entry_id
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
    const handoffs = sql`
      from conversations c
     where c.handoff_requested_at is not null and ${liveIn(sql`c.handoff_requested_at`, s)}${convOffice(s)}${convGroup(s)}`;
    // every wait with its day, and again under k = null for the range's own percentiles
    const waits = sql`
      with w as (${unionAll(
        s,
        () => sql`
          select r.day, r.seconds as v, r.count as n from analytics_waits_daily r
           where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
        () => sql`
          select ${chinaDate(sql`c.handoff_requested_at`)} as day,
                 -- the taken ones only: the others have no wait
                 greatest(extract(epoch from c.assigned_at - c.handoff_requested_at), 0)::float8 as v, 1 as n
            ${handoffs} and c.assigned_at is not null`,
      )})
      select day as k, v, sum(n) as n from w group by 1, 2
      union all
      select null, v, sum(n) from w group by 2`;
    const [counts, percentiles] = await Promise.all([
      db.execute(sql`
        select to_char(day, 'YYYY-MM-DD') as day, sum(handoffs)::int as handoffs, sum(assigned)::int as assigned,
               sum(queued)::int as queued, sum(abandoned)::int as abandoned, sum(unserved)::int as unserved
          from (${unionAll(
            s,
            () => sql`
              select r.day, r.handoffs, r.assigned, r.queued, r.abandoned, r.unserved
                from analytics_handoffs_daily r
               where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
            () => sql`
              select ${chinaDate(sql`c.handoff_requested_at`)} as day, count(*)::int as handoffs,
                     count(*) filter (where c.assignee_staff_id is not null)::int as assigned,
                     count(*) filter (where c.handoff_group_id is not null)::int as queued,
                     count(*) filter (where c.handoff_group_id is not null and c.assignee_staff_id is null
                                        and c.queue_group_id is null)::int as abandoned,
                     count(*) filter (where c.handoff_group_id is null and c.assignee_staff_id is null)::int
                       as unserved
                ${handoffs}
               group by 1`,
          )}) x
         group by grouping sets ((day), ())`),
      db.execute(sql`
        select to_char(k, 'YYYY-MM-DD') as day, p0 as p50, p1 as p90
          from (${weightedPercentiles(waits, [0.5, 0.9])}) p`),
    ]);
    const waitsOf = new Map(
      rowsOf<{ day: string | null; p50: number | null; p90: number | null }>(percentiles).map((r) => [r.day, r]),
    );
    return rowsOf<{
      day: string | null;
      handoffs: number;
      assigned: number;
      queued: number;
      abandoned: number;
      unserved: number;
    }>(counts).map((r) => ({
      day: r.day,
      handoffs: n(r.handoffs),
      assigned: n(r.assigned),
      queued: n(r.queued),
      abandoned: n(r.abandoned),
      unserved: n(r.unserved),
      p50: nn(waitsOf.get(r.day)?.p50),
      p90: nn(waitsOf.get(r.day)?.p90),
    }));
  },

  async handoffsByReason(db: Db, s: Scope) {
    return rowsOf<{ reason: string; n: number }>(
      await db.execute(sql`
        select reason, sum(n)::int as n
          from (${unionAll(
            s,
            () => sql`
              select r.reason, r.handoffs as n from analytics_handoffs_daily r
               where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
            () => sql`
              select coalesce(c.handoff_reason, 'unknown') as reason, count(*)::int as n
                from conversations c
               where c.handoff_requested_at is not null and ${liveIn(sql`c.handoff_requested_at`, s)}
                     ${convOffice(s)}${convGroup(s)}
               group by 1`,
          )}) x
         group by 1 order by 2 desc, 1`),
    ).map((r) => ({ reason: r.reason, count: n(r.n) }));
  },

  /**
   * Of the unserved handoffs: a 留言 left from the chat, an appointment booked by the same person within a day. An
   * unserved handoff never queued, so a skill group filter does not apply.
   */
  async unservedConversions(db: Db, s: Scope) {
    // EXISTS in WHERE (a semi-join), not in an aggregate's FILTER (a subplan run per row)
    const live = () => sql`
      with u as materialized (
        select c.id, c.taxpayer_id, c.portal_user_id, c.handoff_requested_at
          from conversations c
         where c.handoff_requested_at is not null and ${liveIn(sql`c.handoff_requested_at`, s)}
           and c.handoff_group_id is null and c.assignee_staff_id is null${convOffice(s)})
      select (select count(*) from u where exists (select 1 from inquiries i where i.conversation_id = u.id))::int
               as inquiries,
             (select count(*) from u where exists (
                select 1 from appointments a
                 where a.taxpayer_id = u.taxpayer_id and a.portal_user_id = u.portal_user_id
                   and a.created_at >= u.handoff_requested_at
                   and a.created_at < u.handoff_requested_at + interval '1 day'))::int as appointments`;
    const [row] = rowsOf<{ inquiries: number; appointments: number }>(
      await db.execute(sql`
        select coalesce(sum(inquiries), 0)::int as inquiries, coalesce(sum(appointments), 0)::int as appointments
          from (${unionAll(
            s,
            () => sql`
              select sum(r.inquiry_conversions)::int as inquiries, sum(r.appointment_conversions)::int as appointments
                from analytics_handoffs_daily r
               where ${rolledIn(s)}${rOffice(s)}`,
            live,
          )}) x`),
    );
    return { inquiries: n(row?.inquiries), appointments: n(row?.appointments) };
  },

  /** Per agent, for the conversations taken in the range. */
  async agents(db: Db, s: Scope) {
    // the live days' assignments, each with its first reply and rating
    const live = sql`
      select a.sid, a.assigned_at, a.closed_at, fr.secs, r.score
        from (select c.id, c.assignee_staff_id as sid, c.assigned_at, c.closed_at
                from conversations c
               where c.assigned_at is not null and ${liveIn(sql`c.assigned_at`, s)}
                 and c.assignee_staff_id is not null${convOffice(s)}${convGroup(s)}) a
        left join lateral (
          select extract(epoch from min(m.created_at) - a.assigned_at) as secs from messages m
           where m.conversation_id = a.id and m.sender_type = 'agent' and m.created_at >= a.assigned_at) fr on true
        left join conversation_ratings r on r.conversation_id = a.id`;
    const firstResponses = sql`
      select sid as k, v, sum(n) as n
        from (${unionAll(
          s,
          () => sql`
            select r.staff_id as sid, r.seconds as v, r.count as n from analytics_first_responses_daily r
             where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
          () => sql`select sid, secs::float8 as v, 1 as n from l where secs is not null`,
        )}) x
       group by 1, 2`;
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
        with ${s.live.length ? sql`l as materialized (${live}),` : sql``}
        per as (
          select sid, sum(handled) as handled, sum(fr_n) as fr_n, sum(fr_sum) as fr_sum, sum(closed) as closed,
                 sum(handling) as handling, sum(ratings) as ratings, sum(score_sum) as score_sum,
                 sum(satisfied) as satisfied
            from (${unionAll(
              s,
              () => sql`
                select r.staff_id as sid, r.handled, r.first_responses as fr_n, r.first_response_seconds as fr_sum,
                       r.closed, r.handling_seconds as handling, r.ratings, r.score_sum, r.satisfied
                  from analytics_agents_daily r
                 where ${rolledIn(s)}${rOffice(s)}${rGroup(s)}`,
              () => sql`
                select sid, count(*)::int as handled, count(secs)::int as fr_n, coalesce(sum(secs), 0) as fr_sum,
                       count(*) filter (where closed_at is not null)::int as closed,
                       coalesce(sum(extract(epoch from closed_at - assigned_at)) filter (where closed_at is not null), 0)
                         as handling,
                       count(score)::int as ratings, coalesce(sum(score), 0)::int as score_sum,
                       count(*) filter (where score >= 4)::int as satisfied
                  from l group by sid`,
            )}) x
           group by sid),
        p as (${weightedPercentiles(firstResponses, [0.5])})
        select st.id as staff_id, st.name, per.handled::int as handled, p.p0 as fr_p50,
               per.fr_sum / nullif(per.fr_n, 0) as fr_avg, per.handling / nullif(per.closed, 0) as handling_avg,
               per.ratings::int as ratings, per.score_sum::numeric / nullif(per.ratings, 0) as avg_score,
               per.satisfied::int as satisfied
          from per join staff st on st.id = per.sid
          left join p on p.k = per.sid
         order by 3 desc, 2`),
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

  /**
   * Seconds of agent-held conversation per China hour of the day, over the range (an open one counts until now, or
   * on a rolled-up day until that day was last rolled up).
   */
  async heldSecondsByHour(db: Db, s: Scope) {
    const rows = rowsOf<{ hour: number; secs: number }>(
      await db.execute(sql`
        select hour, sum(secs) as secs
          from (${unionAll(
            s,
            // a conversation taken on a rolled day counts up to the end of the range: its hours up to the last day
            () => sql`
              select r.hour, r.seconds as secs from analytics_held_hourly r
               where ${rolledIn(s)} and r.slot_day <= ${s.toDay}::date${rOffice(s)}${rGroup(s)}`,
            () => sql`
              with a as (
                select greatest(c.assigned_at, ${s.from.toISOString()}::timestamptz) as t0,
                       least(coalesce(c.closed_at, now()), ${s.to.toISOString()}::timestamptz) as t1
                  from conversations c
                 where c.assigned_at is not null and ${liveIn(sql`c.assigned_at`, s)}
                   and c.assignee_staff_id is not null${convOffice(s)}${convGroup(s)})
              select extract(hour from h at time zone 'UTC' + interval '8 hours')::int as hour,
                     sum(extract(epoch from least(h + interval '1 hour', a.t1) - greatest(h, a.t0))) as secs
                from a cross join lateral generate_series(date_trunc('hour', a.t0), a.t1, interval '1 hour') h
               where a.t1 > a.t0
               group by 1`,
          )}) x
         group by 1`),
    );
    return new Map(rows.map((r) => [n(r.hour), Number(r.secs ?? 0)]));
  },

  ...analyticsCasesRepo,
};
