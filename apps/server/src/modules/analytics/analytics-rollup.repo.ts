/**
 * The rollup's SQL: recomputes whole China days of the rollup tables (schema.ts, "统计分析 rollups") from the events,
 * with the same expressions as the live queries of analytics.repo.ts, so that a rolled day reads the same figures
 * as the day computed live. The caller runs it in one transaction under the rollup's advisory lock.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db.ts';
import { addDays, startOf } from './analytics-range.ts';
import { chinaDate, rowsOf } from './analytics-sql.ts';

type Exec = Db | Tx;

const TABLES = [
  'analytics_daily',
  'analytics_entries_daily',
  'analytics_unanswered_daily',
  'analytics_handoffs_daily',
  'analytics_waits_daily',
  'analytics_agents_daily',
  'analytics_first_responses_daily',
  'analytics_held_hourly',
] as const;

const botOutcome = sql`m.sender_type = 'bot' and m.payload->>'kind' in ('answer', 'clarify', 'no_answer')`;
/** A message's (alias `m`) conversation and its taxpayer's office (alias `t`). */
const msgConv = sql`join conversations c on c.id = m.conversation_id join taxpayers t on t.id = c.taxpayer_id`;

export const analyticsRollupRepo = {
  /** The China date of the first conversation (nothing happens before one), or null when there is none. */
  async firstDay(db: Exec) {
    const [row] = rowsOf<{ day: string | null }>(
      await db.execute(sql`select to_char(min(created_at) at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD') as day
                             from conversations`),
    );
    return row?.day ?? null;
  },

  /** Fresh statistics after a backfill, so the planner aggregates a year of rows by hash, not by an on-disk sort. */
  async analyze(db: Exec) {
    await db.execute(sql.raw(`analyze ${TABLES.join(', ')}, analytics_rollup_days`));
  },

  /** Serialises rollups across nodes until the transaction ends. */
  async lock(tx: Exec) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('analytics.rollup'))`);
  },

  /** Replaces the rows of the days first … last (China dates) with what the events say now, and marks them rolled. */
  async writeDays(tx: Exec, first: string, last: string) {
    const a = startOf(first).toISOString();
    const b = startOf(addDays(last, 1)).toISOString();
    const span = (col: SQL) => sql`${col} >= ${a}::timestamptz and ${col} < ${b}::timestamptz`;
    for (const table of TABLES) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where day between ${first}::date and ${last}::date`);
    }

    // conversations by creation, the bot's replies by their time, 有用/没用 by the feedback's time
    await tx.execute(sql`
      insert into analytics_daily (day, office_id, group_id, conversations, answered, clarified, no_answer, helpful,
                                   unhelpful)
      select day, office_id, group_id, sum(conversations), sum(answered), sum(clarified), sum(no_answer), sum(helpful),
             sum(unhelpful)
        from (select ${chinaDate(sql`c.created_at`)} as day, t.tax_office_id as office_id, c.handoff_group_id as group_id,
                     count(*) as conversations, 0 as answered, 0 as clarified, 0 as no_answer, 0 as helpful,
                     0 as unhelpful
                from conversations c join taxpayers t on t.id = c.taxpayer_id
               where ${span(sql`c.created_at`)}
               group by 1, 2, 3
              union all
              select ${chinaDate(sql`m.created_at`)}, t.tax_office_id, c.handoff_group_id, 0,
                     count(*) filter (where m.payload->>'kind' = 'answer'),
                     count(*) filter (where m.payload->>'kind' = 'clarify'),
                     count(*) filter (where m.payload->>'kind' = 'no_answer'), 0, 0
                from messages m ${msgConv}
               where ${botOutcome} and ${span(sql`m.created_at`)}
               group by 1, 2, 3
              union all
              select ${chinaDate(sql`f.created_at`)}, t.tax_office_id, c.handoff_group_id, 0, 0, 0, 0,
                     count(*) filter (where f.helpful), count(*) filter (where not f.helpful)
                from bot_feedback f join messages m on m.id = f.message_id ${msgConv}
               where ${span(sql`f.created_at`)}
               group by 1, 2, 3) x
       group by 1, 2, 3`);

    // per entry: answers (top questions) and feedback (problem entries); once per office and once for all
    await tx.execute(sql`
      insert into analytics_entries_daily (day, office_id, entry_id, question, answers, helpful, unhelpful)
      select day, office_id, entry_id, max(question), sum(answers), sum(helpful), sum(unhelpful)
        from (select ${chinaDate(sql`m.created_at`)} as day, t.tax_office_id as office_id,
                     m.payload->>'entryId' as entry_id, max(m.payload->>'question') as question, count(*) as answers,
                     0 as helpful, 0 as unhelpful
                from messages m ${msgConv}
               where ${botOutcome} and m.payload->>'kind' = 'answer' and ${span(sql`m.created_at`)}
               group by 1, 2, 3
              union all
              select ${chinaDate(sql`f.created_at`)}, t.tax_office_id, f.entry_id, null, 0,
                     count(*) filter (where f.helpful), count(*) filter (where not f.helpful)
                from bot_feedback f join messages m on m.id = f.message_id ${msgConv}
               where ${span(sql`f.created_at`)}
               group by 1, 2, 3) x
       group by grouping sets ((day, entry_id), (day, office_id, entry_id))`);

    // the taxpayer's question before each no-answer, trimmed; once per office and once for all
    await tx.execute(sql`
      insert into analytics_unanswered_daily (day, office_id, question, count)
      select day, office_id, question, count(*)
        from (select ${chinaDate(sql`m.created_at`)} as day, t.tax_office_id as office_id, q.body as question
                from messages m ${msgConv}
               cross join lateral (
                 select btrim(p.body) as body from messages p
                  where p.conversation_id = m.conversation_id and p.seq < m.seq and p.sender_type = 'taxpayer'
                  order by p.seq desc limit 1) q
               where ${botOutcome} and m.payload->>'kind' = 'no_answer' and ${span(sql`m.created_at`)}) x
       group by grouping sets ((day, question), (day, office_id, question))`);

    // handoffs by the request's day: outcomes, and the unserved ones' 留言 / appointment within a day
    await tx.execute(sql`
      insert into analytics_handoffs_daily (day, office_id, group_id, reason, handoffs, assigned, queued, abandoned,
                                            unserved, inquiry_conversions, appointment_conversions)
      with h as materialized (
        select c.id, c.taxpayer_id, c.portal_user_id, c.handoff_requested_at,
               ${chinaDate(sql`c.handoff_requested_at`)} as day, t.tax_office_id as office_id,
               c.handoff_group_id as group_id, coalesce(c.handoff_reason, 'unknown') as reason,
               c.assignee_staff_id is not null as assigned, c.handoff_group_id is not null as queued,
               c.handoff_group_id is not null and c.assignee_staff_id is null and c.queue_group_id is null as abandoned,
               c.handoff_group_id is null and c.assignee_staff_id is null as unserved
          from conversations c join taxpayers t on t.id = c.taxpayer_id
         where c.handoff_requested_at is not null and ${span(sql`c.handoff_requested_at`)}),
      inq as (select h.id from h where h.unserved and exists (select 1 from inquiries i where i.conversation_id = h.id)),
      app as (select h.id from h where h.unserved and exists (
                select 1 from appointments a
                 where a.taxpayer_id = h.taxpayer_id and a.portal_user_id = h.portal_user_id
                   and a.created_at >= h.handoff_requested_at
                   and a.created_at < h.handoff_requested_at + interval '1 day'))
      select h.day, h.office_id, h.group_id, h.reason, count(*), count(*) filter (where h.assigned),
             count(*) filter (where h.queued), count(*) filter (where h.abandoned), count(*) filter (where h.unserved),
             count(inq.id), count(app.id)
        from h left join inq on inq.id = h.id left join app on app.id = h.id
       group by 1, 2, 3, 4`);

    // every wait of a taken handoff, counted by its exact value (percentiles)
    await tx.execute(sql`
      insert into analytics_waits_daily (day, office_id, group_id, seconds, count)
      select ${chinaDate(sql`c.handoff_requested_at`)}, t.tax_office_id, c.handoff_group_id,
             greatest(extract(epoch from c.assigned_at - c.handoff_requested_at), 0)::float8, count(*)
        from conversations c join taxpayers t on t.id = c.taxpayer_id
       where c.handoff_requested_at is not null and ${span(sql`c.handoff_requested_at`)} and c.assigned_at is not null
       group by 1, 2, 3, 4`);

    // assignments by their day: per agent, the first replies by exact value, and the held time per China hour
    await tx.execute(sql`
      with a as materialized (
        select c.assignee_staff_id as sid, c.assigned_at, c.closed_at, ${chinaDate(sql`c.assigned_at`)} as day,
               t.tax_office_id as office_id, c.handoff_group_id as group_id, fr.secs, r.score
          from conversations c join taxpayers t on t.id = c.taxpayer_id
          left join lateral (
            select extract(epoch from min(m.created_at) - c.assigned_at) as secs from messages m
             where m.conversation_id = c.id and m.sender_type = 'agent' and m.created_at >= c.assigned_at) fr on true
          left join conversation_ratings r on r.conversation_id = c.id
         where c.assigned_at is not null and ${span(sql`c.assigned_at`)} and c.assignee_staff_id is not null),
      agents as (
        insert into analytics_agents_daily (day, office_id, group_id, staff_id, handled, first_responses,
                                            first_response_seconds, closed, handling_seconds, ratings, score_sum,
                                            satisfied)
        select day, office_id, group_id, sid, count(*), count(secs), coalesce(sum(secs), 0),
               count(*) filter (where closed_at is not null),
               coalesce(sum(extract(epoch from closed_at - assigned_at)) filter (where closed_at is not null), 0),
               count(score), coalesce(sum(score), 0), count(*) filter (where score >= 4)
          from a group by 1, 2, 3, 4),
      first_responses as (
        insert into analytics_first_responses_daily (day, office_id, group_id, staff_id, seconds, count)
        select day, office_id, group_id, sid, secs::float8, count(*) from a where secs is not null
         group by 1, 2, 3, 4, 5)
      insert into analytics_held_hourly (day, office_id, group_id, slot_day, hour, seconds)
      select a.day, a.office_id, a.group_id, ${chinaDate(sql`h`)},
             extract(hour from h at time zone 'UTC' + interval '8 hours')::int,
             sum(extract(epoch from least(h + interval '1 hour', a.t1) - greatest(h, a.t0)))
        from (select day, office_id, group_id, assigned_at as t0, coalesce(closed_at, now()) as t1 from a) a
       cross join lateral generate_series(date_trunc('hour', a.t0), a.t1, interval '1 hour') h
       where a.t1 > a.t0
       group by 1, 2, 3, 4, 5`);

    await tx.execute(sql`
      insert into analytics_rollup_days (day, rolled_at)
      select d::date, now() from generate_series(${first}::date, ${last}::date, interval '1 day') d
      on conflict (day) do update set rolled_at = excluded.rolled_at`);
  },
};
