/**
 * 统计分析 benchmark (issue #10): on a fresh PostgreSQL database, seeds BENCH_CONVERSATIONS (1 000 000) conversations
 * spread over the last 365 days — each with its taxpayer question and the bot's reply (70 % answered, 10 % clarified,
 * 20 % no answer; half of them a second turn), 有用/没用 feedback on a tenth of the answers, 20 % handoffs (by
 * reason; 4 % abandoned, 2 % outside service hours) taken by 50 agents with their first reply and a rating — plus
 * 留言, 工单 and appointments; ANALYZEs, runs the analytics.rollup job once over the year (`rollupMs`: what a new
 * deployment's first run costs; later runs redo two days), then times each dashboard section (GET
 * /api/admin/analytics/…: the service call, its queries in parallel; rolled-up days from the rollup tables, today
 * from the events) BENCH_RUNS (20) times for a 30-day and a 365-day range.
 *
 *   npm run bench:analytics      PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *
 * Prints one JSON object on stdout; progress goes to stderr. Target: p95 ≤ 500 ms for every query.
 */
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { startApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { createAnalyticsService } from '../apps/server/src/modules/analytics/analytics.service.ts';
import { rollupAnalytics } from '../apps/server/src/modules/analytics/analytics-rollup.ts';
import { createTestDatabase } from '../apps/server/test/pg-database.ts';

const runStart = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench ${((performance.now() - runStart) / 1000).toFixed(1)}s] ${msg}\n`);
const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] || dflt);
  if (!Number.isFinite(v) || v < 1) throw new Error(`${name} must be a positive number`);
  return Math.floor(v);
};

const CONVERSATIONS = num('BENCH_CONVERSATIONS', 1_000_000);
const RUNS = num('BENCH_RUNS', 20);
const TAXPAYERS = 10_000;
const AGENTS = 50;
const TARGET_P95_MS = 500;
const round1 = (v: number) => Math.round(v * 10) / 10;

/** Deterministic ids, so later inserts can name earlier rows without a join. */
const id = (prefix: string, g: string) => sql.raw(`md5('${prefix}' || ${g})::uuid`);

/** Seeds over its own connection: the app's pool fails a statement after 15 s, and a bulk insert takes longer. */
async function seed(url: string) {
  const t0 = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = drizzle(client);
  const x = (q: SQL) => db.execute(q);
  const N = CONVERSATIONS;
  await x(sql`insert into tax_offices (id, name) select 'B' || g, '基准税务局' || g from generate_series(0, 9) g`);
  await x(sql`
    insert into taxpayers (id, taxpayer_no, name, type, industry, region, tax_office_id)
    select ${id('t', 'g')}, 'BENCH' || lpad(g::text, 10, '0'), '基准企业' || g, 'general', '批发业', '基准区', 'B' || (g % 10)
      from generate_series(0, ${TAXPAYERS - 1}) g`);
  await x(sql`
    insert into portal_users (id, name, phone, id_number, password_hash)
    select ${id('u', 'g')}, '办税员' || g, '139' || lpad(g::text, 8, '0'), 'ID' || g, 'x'
      from generate_series(0, ${TAXPAYERS - 1}) g`);
  await x(sql`
    insert into staff (id, username, name, role, tax_office_id, password_hash)
    select ${id('s', 'g')}, 'bench_agent_' || g, '坐席' || g, 'agent', 'B' || (g % 10), 'x'
      from generate_series(0, ${AGENTS - 1}) g`);
  await x(sql`
    insert into skill_groups (id, name, business) select 'bg' || g, '基准组' || g, 'general' from generate_series(0, 4) g`);
  log('conversations');
  // g: 0 … N-1, evenly over the last 365 days; every fifth one asks for a human
  await x(sql`
    insert into conversations (id, taxpayer_id, portal_user_id, status, created_at, closed_at, last_message_at, last_seq,
                               handoff_requested_at, handoff_reason, handoff_group_id, assignee_staff_id, assigned_at)
    select ${id('c', 'g')}, ${id('t', '(g % 10000)')}, ${id('u', '(g % 10000)')}, 'closed', ts, ts + interval '20 minutes',
           ts + interval '20 minutes', case when g % 2 = 0 then 4 else 2 end + case when g % 5 = 0 then 1 else 0 end,
           case when g % 5 = 0 then ts + interval '1 minute' end,
           case when g % 5 = 0 then (array['keyword','intent','emotion','no_answer','unresolved','multi_turn','button'])[1 + g / 5 % 7] end,
           case when g % 5 = 0 and g % 50 <> 0 then 'bg' || (g / 5 % 5) end,
           case when g % 5 = 0 and g % 50 <> 0 and g % 25 <> 5 then ${id('s', '(g / 5 % 50)')} end,
           case when g % 5 = 0 and g % 50 <> 0 and g % 25 <> 5 then ts + interval '1 minute' + (g % 300) * interval '1 second' end
      from (select g, now() - interval '365 days' + g * (interval '365 days' / ${N}) as ts
              from generate_series(0, ${N - 1}) g) s`);
  log('messages');
  // turn t (1, and 2 for even g): the taxpayer's question at seq 2t-1, the bot's reply at seq 2t
  await x(sql`
    insert into messages (id, conversation_id, seq, sender_type, sender_id, sender_name, body, payload, created_at)
    select ${id('m', "g || '-' || seq")}, ${id('c', 'g')}, seq,
           case when seq % 2 = 1 then 'taxpayer' else 'bot' end, null,
           case when seq % 2 = 1 then '办税员' else '智能助手' end,
           case when seq % 2 = 1 then '问题' || ((g + seq) % 2000) else '答复' end,
           case when seq % 2 = 1 then null
                when (g + seq) % 10 < 7 then jsonb_build_object('kind', 'answer', 'entryId', 'E' || ((g + seq) % 500),
                                                             'question', '条目' || ((g + seq) % 500), 'documents', '[]'::jsonb)
                when (g + seq) % 10 = 7 then '{"kind":"clarify","candidates":[]}'::jsonb
                else '{"kind":"no_answer","offers":[]}'::jsonb end,
           ts + seq * interval '10 seconds'
      from (select g, now() - interval '365 days' + g * (interval '365 days' / ${N}) as ts
              from generate_series(0, ${N - 1}) g) s
      cross join lateral generate_series(1, case when g % 2 = 0 then 4 else 2 end) seq`);
  log('agent replies, feedback, ratings');
  await x(sql`
    insert into messages (id, conversation_id, seq, sender_type, sender_id, sender_name, body, created_at)
    select ${id('m', "c.id::text || '-a'")}, c.id, c.last_seq, 'agent', c.assignee_staff_id::text, '坐席', '您好',
           c.assigned_at + (15 + c.last_seq * 7) * interval '1 second'
      from conversations c where c.assignee_staff_id is not null`);
  await x(sql`
    insert into bot_feedback (message_id, entry_id, helpful, created_at)
    select m.id, m.payload->>'entryId', abs(hashtext(m.id::text)) % 3 <> 0, m.created_at + interval '5 seconds'
      from messages m
     where m.sender_type = 'bot' and m.payload->>'kind' = 'answer' and abs(hashtext(m.id::text)) % 10 = 0`);
  await x(sql`
    insert into conversation_ratings (conversation_id, score, staff_id, created_at)
    select c.id, 1 + abs(hashtext(c.id::text)) % 5, c.assignee_staff_id, c.closed_at
      from conversations c where c.assignee_staff_id is not null and abs(hashtext(c.id::text)) % 2 = 0`);
  log('留言, 工单, appointments');
  const cases = Math.max(1, Math.floor(N / 20));
  await x(sql`
    insert into inquiries (taxpayer_id, portal_user_id, tax_office_id, type, content, phone, receive_by, status, group_id,
                           due_at, replied_at, client_key, created_at)
    select ${id('t', '(g % 10000)')}, ${id('u', '(g % 10000)')}, 'B' || (g % 10), 'policy', '留言', '13900000000', 'inbox',
           case when g % 10 = 0 then 'pending' else 'replied' end, 'bg' || (g % 5), ts + interval '3 days',
           case when g % 10 <> 0 then ts + (g % 5) * interval '1 day' end, 'k' || g, ts
      from (select g, now() - interval '365 days' + g * (interval '365 days' / ${cases}) as ts
              from generate_series(0, ${cases - 1}) g) s`);
  await x(sql`
    insert into work_orders (number, taxpayer_id, type, title, content, receive_by, tax_office_id, group_id, status, due_at,
                             done_at, created_at)
    select 'GD' || g, ${id('t', '(g % 10000)')}, 'general', '工单', '内容', 'inbox', 'B' || (g % 10), 'bg' || (g % 5),
           case when g % 8 = 0 then 'processing' else 'done' end, ts + interval '5 days',
           case when g % 8 <> 0 then ts + (g % 7) * interval '1 day' end, ts
      from (select g, now() - interval '365 days' + g * (interval '365 days' / ${Math.floor(cases / 2)}) as ts
              from generate_series(0, ${Math.floor(cases / 2) - 1}) g) s`);
  await x(sql`
    insert into appointment_services (id, name, tax_office_id, business, channel, schedule, slot_minutes, capacity)
    select ${id('as', 'g')}, '发票业务视频辅导' || g, 'B' || g, 'invoice', 'av', '{}'::jsonb, 30, 1000
      from generate_series(0, 9) g`);
  await x(sql`
    insert into appointment_slots (id, service_id, starts_at, ends_at, capacity, booked)
    select ${id('sl', "sv || '-' || d")}, ${id('as', 'sv')}, date_trunc('day', now()) - d * interval '1 day' + interval '2 hours',
           date_trunc('day', now()) - d * interval '1 day' + interval '150 minutes', 1000, 0
      from generate_series(0, 9) sv cross join generate_series(0, 364) d`);
  await x(sql`
    insert into appointments (number, service_id, slot_id, taxpayer_id, portal_user_id, starts_at, ends_at, phone, description,
                              receive_by, status, client_key, created_at)
    select 'YY' || g, ${id('as', '(g % 10)')}, ${id('sl', "(g % 10) || '-' || (g / 10 % 365)")},
           ${id('t', '(g % 10000)')}, ${id('u', '(g % 10000)')},
           date_trunc('day', now()) - (g / 10 % 365) * interval '1 day' + interval '2 hours',
           date_trunc('day', now()) - (g / 10 % 365) * interval '1 day' + interval '150 minutes', '139', '预约',
           'inbox', (array['completed','completed','completed','no_show','cancelled'])[1 + g % 5], 'a' || g,
           date_trunc('day', now()) - (g / 10 % 365 + 2) * interval '1 day'
      from generate_series(0, ${cases - 1}) g`);
  log('analyze');
  await x(sql`vacuum analyze`);
  await client.end();
  return (performance.now() - t0) / 1000;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

async function main() {
  process.env.TEST_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
  // BENCH_REUSE_URL: time the queries on a database an earlier BENCH_KEEP_DB=1 run seeded (and keep it)
  const reuse = process.env.BENCH_REUSE_URL;
  const database = reuse ? { url: reuse, drop: async () => {} } : await createTestDatabase();
  const app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      SEED_KB: 'false',
      BOT_ENABLED: 'false',
      DATA_DIR: 'memory://',
      DATABASE_URL: database.url,
    }),
    { jobs: false },
  );
  try {
    log(`seeding ${CONVERSATIONS} conversations over 365 days`);
    const seedSeconds = reuse ? 0 : await seed(database.url);
    const [counts] = (
      (await app.db.execute(sql`select (select count(*) from conversations)::int as conversations,
                                       (select count(*) from messages)::int as messages`)) as unknown as {
        rows: { conversations: number; messages: number }[];
      }
    ).rows;
    log(`seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
    if (process.env.BENCH_KEEP_DB === '1') log(`database ${database.url}`);
    log('rollup');
    const rollupStart = performance.now();
    const rolled = await rollupAnalytics(app.db);
    const rollupMs = performance.now() - rollupStart;
    log(`rolled up ${rolled.days} days in ${(rollupMs / 1000).toFixed(1)} s`);
    const analytics = createAnalyticsService({ db: app.db });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const daysBack = (n: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const ranges = { '30d': { from: daysBack(29), to: today }, '365d': { from: daysBack(365), to: today } };
    const queries: Record<string, { p50Ms: number; p95Ms: number }> = {};
    const cases: [string, () => Promise<unknown>][] = [];
    for (const [label, r] of Object.entries(ranges)) {
      for (const section of ['bot', 'handoff', 'agents', 'cases', 'appointments'] as const) {
        cases.push([`${section}.${label}`, () => analytics[section](r)]);
      }
      cases.push([`bot.${label}.office`, () => analytics.bot({ ...r, officeId: 'B3' })]);
      cases.push([`handoff.${label}.group`, () => analytics.handoff({ ...r, groupId: 'bg2' })]);
    }
    for (const [name, run] of cases) {
      await run(); // warm
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      queries[name] = { p50Ms: round1(pct(times, 0.5)), p95Ms: round1(pct(times, 0.95)) };
      log(`${name}: ${JSON.stringify(queries[name])}`);
    }
    const over = Object.entries(queries)
      .filter(([, v]) => v.p95Ms > TARGET_P95_MS)
      .map(([k]) => k);
    process.stdout.write(
      `${JSON.stringify({ conversations: counts?.conversations, messages: counts?.messages, queries, seedSeconds: round1(seedSeconds), rollupMs: Math.round(rollupMs), targetP95Ms: TARGET_P95_MS, over })}\n`,
    );
    if (over.length) process.exitCode = 1;
  } finally {
    await app.close();
    // BENCH_KEEP_DB=1 keeps the seeded database to EXPLAIN the queries (its URL goes to stderr)
    if (process.env.BENCH_KEEP_DB === '1') log(`kept ${database.url}`);
    else await database.drop();
  }
}

await main();
