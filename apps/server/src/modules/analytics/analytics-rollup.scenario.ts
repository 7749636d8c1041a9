/**
 * The rollup's tests, run on PGlite (analytics-rollup.int.test.ts) and on PostgreSQL (analytics-rollup.pg.test.ts):
 * a week of scripted traffic at two tax offices and two skill groups, stored as the product stores it; every section
 * must read the same figures from the rollup tables as computed from the events (the live-only service), for ranges
 * that are all rolled, part rolled and part live, and for every filter; late events for recent days count after the
 * next run; two runs at once leave the same rows as one.
 */
import { randomUUID } from 'node:crypto';
import type { TAnalyticsQuery, TMessagePayload } from '@zhengna/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginStaff, makeGroup, makeStaff, makeTaxpayer } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';
import {
  analyticsRollupDays,
  appointmentServices,
  appointmentSlots,
  appointments,
  botFeedback,
  conversationRatings,
  conversations,
  inquiries,
  messages,
} from '../../db/schema.ts';
import { createAnalyticsService } from './analytics.service.ts';
import { rollupAnalytics } from './analytics-rollup.ts';

const DAYS = ['2026-03-14', '2026-03-15', '2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19'] as const;
/** The rollup runs "on" this day: the days above are complete, this one is today (live). */
const TODAY = '2026-03-20';
const at = (date: string, hms: string) => new Date(`${date}T${hms}+08:00`);
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);
/** When the rollup runs: 10:00 China time on a day. */
const runAt = (date: string, minute = 0) => at(date, `10:${String(minute).padStart(2, '0')}:00`);

const QUESTIONS = ['怎么开发票', '  发票怎么开', '申报期限 ', '税控盘怎么注销', '=1+1'];
const REASONS = ['button', 'keyword', 'emotion', 'no_answer', 'unresolved'];
const answer = (entryId: string): TMessagePayload => ({
  kind: 'answer',
  entryId,
  question: `${entryId}的问题`,
  documents: [],
});
const clarify: TMessagePayload = { kind: 'clarify', candidates: [{ entryId: 'E1', question: '一' }] };
const noAnswer: TMessagePayload = { kind: 'no_answer', offers: [] };
const REPLIES = [answer('E1'), answer('E2'), noAnswer, answer('E3'), clarify, answer('E1'), noAnswer];

type People = {
  A: Awaited<ReturnType<typeof makeTaxpayer>>;
  A2: Awaited<ReturnType<typeof makeTaxpayer>>;
  B: Awaited<ReturnType<typeof makeTaxpayer>>;
  agents: Awaited<ReturnType<typeof makeStaff>>[];
  G1: string;
  G2: string;
};

type Handoff = {
  reason: string;
  group?: string | undefined;
  agent?: { id: string; name: string } | undefined;
  waitSeconds?: number;
  firstReplySeconds?: number | undefined;
  handlingSeconds?: number;
  rating?: number | undefined;
};

/** Stores one conversation (closed) with its turns, feedback, handoff, first reply and rating; returns its id. */
async function conversation(
  app: RunningApp,
  s: {
    who: People['A'];
    created: Date;
    turns: { question: string; reply: TMessagePayload; feedback?: boolean }[];
    handoff?: Handoff;
  },
) {
  const id = randomUUID();
  const h = s.handoff;
  const requested = h ? plus(s.created, 60) : null;
  const assigned = h?.agent && requested ? plus(requested, h.waitSeconds ?? 0) : null;
  const closed = assigned ? plus(assigned, h?.handlingSeconds ?? 0) : plus(s.created, 300);
  await app.db.insert(conversations).values({
    id,
    taxpayerId: s.who.taxpayer.id,
    portalUserId: s.who.user.id,
    status: 'closed',
    createdAt: s.created,
    closedAt: closed,
    handoffRequestedAt: requested,
    handoffReason: h?.reason ?? null,
    handoffGroupId: h?.group ?? null,
    assigneeStaffId: h?.agent?.id ?? null,
    assignedAt: assigned,
  });
  let seq = 0;
  const msg = async (v: Partial<typeof messages.$inferInsert> & { createdAt: Date }) => {
    const mid = randomUUID();
    seq += 1;
    await app.db.insert(messages).values({
      id: mid,
      conversationId: id,
      seq,
      senderType: 'taxpayer',
      senderName: '办税员',
      body: '',
      ...v,
    });
    return mid;
  };
  for (const [i, t] of s.turns.entries()) {
    await msg({ body: t.question, createdAt: plus(s.created, 5 + i * 20) });
    const reply = await msg({
      senderType: 'bot',
      senderName: '智能助手',
      body: '答复',
      payload: t.reply,
      createdAt: plus(s.created, 6 + i * 20),
    });
    if (t.feedback !== undefined && t.reply.kind === 'answer') {
      await app.db.insert(botFeedback).values({
        messageId: reply,
        entryId: t.reply.entryId,
        helpful: t.feedback,
        createdAt: plus(s.created, 15 + i * 20),
      });
    }
  }
  if (h?.agent && assigned && h.firstReplySeconds !== undefined) {
    await msg({
      senderType: 'agent',
      senderId: h.agent.id,
      senderName: h.agent.name,
      body: '您好',
      createdAt: plus(assigned, h.firstReplySeconds),
    });
  }
  if (h?.agent && h.rating) {
    await app.db
      .insert(conversationRatings)
      .values({ conversationId: id, score: h.rating, staffId: h.agent.id, createdAt: closed });
  }
  return id;
}

/** A week of traffic: per day a dozen conversations across the offices, groups, agents and outcomes. */
async function seedWeek(app: RunningApp, p: People) {
  const [service] = await app.db
    .insert(appointmentServices)
    .values({
      name: '发票业务视频辅导',
      taxOfficeId: p.A.office.id,
      business: 'invoice',
      channel: 'av',
      schedule: {},
      slotMinutes: 30,
      capacity: 50,
    })
    .returning();
  for (const [d, date] of [...DAYS, TODAY].entries()) {
    for (let i = 0; i < 12; i++) {
      const k = d * 12 + i;
      const who = i % 3 === 0 ? p.B : i % 3 === 1 ? p.A : p.A2;
      const turns = Array.from({ length: 1 + (k % 2) }, (_, t) => ({
        question: QUESTIONS[(k + t) % QUESTIONS.length] as string,
        reply: REPLIES[(k + 3 * t) % REPLIES.length] as TMessagePayload,
        ...(k % 3 !== 2 ? { feedback: (k + t) % 4 !== 0 } : {}),
      }));
      const agent = p.agents[k % p.agents.length];
      const handoff: Handoff | undefined =
        i % 2 === 0
          ? {
              reason: REASONS[k % REASONS.length] as string,
              // never queued (nobody online): unserved; queued and left: abandoned
              group: i % 6 === 4 ? undefined : k % 3 === 0 ? p.G2 : p.G1,
              agent: i % 6 === 4 || i === 6 ? undefined : agent,
              waitSeconds: 10 + ((k * 37) % 50) + (k % 4) * 0.25,
              firstReplySeconds: k % 5 === 0 ? undefined : 5 + (k % 3) * 10 + 0.5,
              handlingSeconds: 300 + k * 30,
              rating: k % 4 === 2 ? undefined : 1 + (k % 5),
            }
          : undefined;
      const created = at(date, `${String(8 + i).padStart(2, '0')}:${String((k * 7) % 60).padStart(2, '0')}:00`);
      const id = await conversation(app, { who, created, turns, ...(handoff ? { handoff } : {}) });
      // the unserved: a 留言 from the chat, or an appointment the next morning
      if (handoff && !handoff.group && k % 2 === 0) {
        await app.db.insert(inquiries).values({
          taxpayerId: who.taxpayer.id,
          portalUserId: who.user.id,
          taxOfficeId: who.office.id,
          conversationId: id,
          type: 'policy',
          content: '内容',
          phone: '13900000000',
          receiveBy: 'inbox',
          clientKey: randomUUID(),
          createdAt: plus(created, 600),
          dueAt: plus(created, 3 * 86_400),
        });
      } else if (handoff && !handoff.group && service) {
        const startsAt = plus(created, 86_400);
        const [slot] = await app.db
          .insert(appointmentSlots)
          .values({ serviceId: service.id, startsAt, endsAt: plus(startsAt, 1800), capacity: 5, booked: 1 })
          .returning();
        await app.db.insert(appointments).values({
          number: `YY${randomUUID().slice(0, 8)}`,
          serviceId: service.id,
          slotId: slot?.id ?? '',
          taxpayerId: who.taxpayer.id,
          portalUserId: who.user.id,
          startsAt,
          endsAt: plus(startsAt, 1800),
          phone: '13900000000',
          description: '咨询',
          receiveBy: 'inbox',
          status: k % 2 ? 'completed' : 'no_show',
          clientKey: randomUUID(),
          createdAt: plus(created, 3600),
        });
      }
    }
    // taken at 23:33, held into the next day
    await conversation(app, {
      who: p.A,
      created: at(date, '23:30:00'),
      turns: [{ question: '人工', reply: noAnswer }],
      handoff: {
        reason: 'button',
        group: p.G1,
        agent: p.agents[d % p.agents.length],
        waitSeconds: 120.5,
        firstReplySeconds: 12,
        handlingSeconds: 1800,
        rating: 5,
      },
    });
  }
}

/** Every range and filter the comparison reads. */
function queries(p: People): TAnalyticsQuery[] {
  const ranges = [
    { from: DAYS[0], to: TODAY }, // rolled, then today live
    { from: '2026-03-15', to: '2026-03-17' }, // rolled only
    { from: '2026-03-19', to: '2026-03-21' }, // rolled, today and a day to come
    { from: '2026-03-08', to: TODAY }, // days before the first conversation (never rolled) too
  ];
  const filters = [
    {},
    { officeId: p.A.office.id },
    { officeId: p.B.office.id },
    { groupId: p.G1 },
    { groupId: p.G2, officeId: p.A.office.id },
    { groupId: 'no-such-group' },
  ];
  return ranges.flatMap((r) => filters.map((f) => ({ ...r, ...f })));
}

const SECTIONS = ['bot', 'handoff', 'agents', 'cases', 'appointments'] as const;

export function rollupSuite(start: () => Promise<{ app: RunningApp; close: () => Promise<void> }>) {
  let app: RunningApp;
  let close: () => Promise<void>;
  let p: People;
  let rolled: ReturnType<typeof createAnalyticsService>;
  let live: ReturnType<typeof createAnalyticsService>;

  /** Each section, each range and filter: the rolled-up figures equal those computed from the events. */
  async function expectSameFigures() {
    for (const q of queries(p)) {
      for (const section of SECTIONS) {
        const fromRollups = await rolled[section](q);
        const fromEvents = await live[section](q);
        expect({ section, q, figures: fromRollups }).toEqual({ section, q, figures: fromEvents });
      }
    }
  }

  beforeAll(async () => {
    ({ app, close } = await start());
    const agents = [await makeStaff(app, 'agent'), await makeStaff(app, 'agent'), await makeStaff(app, 'agent')];
    const A = await makeTaxpayer(app);
    const B = await makeTaxpayer(app);
    const G1 = await makeGroup(app, { agents: agents.map((a) => a.id) });
    const G2 = await makeGroup(app, { agents: [agents[0]?.id ?? ''] });
    // a second enterprise of office A
    const A2 = { ...(await makeTaxpayer(app)), office: A.office };
    await app.db.execute(sql`update taxpayers set tax_office_id = ${A.office.id} where id = ${A2.taxpayer.id}`);
    p = { A, A2, B, agents, G1, G2 };
    await seedWeek(app, p);
    rolled = createAnalyticsService({ db: app.db });
    live = createAnalyticsService({ db: app.db, rollups: false });
  });
  afterAll(async () => {
    await close?.();
  });

  describe('analytics rollup', () => {
    it('rolled-up days read the same figures as computed from the events: every section, range and filter', async () => {
      const before = await rolled.handoff({ from: DAYS[0], to: TODAY });
      expect(await rollupAnalytics(app.db, runAt(TODAY))).toEqual({ days: DAYS.length });
      const days = await app.db.select().from(analyticsRollupDays).orderBy(analyticsRollupDays.day);
      expect(days.map((d) => d.day)).toEqual(DAYS);
      // not vacuous: the figures of the week come from the rollup tables now
      const [rows] = (
        (await app.db.execute(sql`select (select count(*) from analytics_daily)::int as daily,
                                         (select count(*) from analytics_waits_daily)::int as waits,
                                         (select count(*) from analytics_held_hourly)::int as held`)) as unknown as {
          rows: { daily: number; waits: number; held: number }[];
        }
      ).rows;
      expect(rows?.daily).toBeGreaterThan(0);
      expect(rows?.waits).toBeGreaterThan(0);
      expect(rows?.held).toBeGreaterThan(0);
      const after = await rolled.handoff({ from: DAYS[0], to: TODAY });
      expect(after).toEqual(before);
      expect(after.totals.handoffs).toBe(7 * 7);
      expect(after.totals.waitP90Seconds).not.toBeNull();
      await expectSameFigures();
    });

    it('the dashboard (HTTP) reads the rollups: same JSON as computed from the events', async () => {
      const supervisor = (await loginStaff(app, (await makeStaff(app, 'supervisor')).username)).client;
      for (const section of SECTIONS) {
        const q = { from: DAYS[0], to: TODAY, officeId: p.A.office.id };
        const res = await supervisor.get(`/api/admin/analytics/${section}?${new URLSearchParams(q)}`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual(JSON.parse(JSON.stringify(await live[section](q))));
      }
    });

    it('two runs at once leave the same rows as one (idempotent, serialised across nodes)', async () => {
      const snapshot = async () =>
        (
          (await app.db.execute(sql`
            select (select count(*) from analytics_daily)::int as daily,
                   (select count(*) from analytics_entries_daily)::int as entries,
                   (select count(*) from analytics_unanswered_daily)::int as unanswered,
                   (select count(*) from analytics_handoffs_daily)::int as handoffs,
                   (select count(*) from analytics_waits_daily)::int as waits,
                   (select count(*) from analytics_agents_daily)::int as agents,
                   (select count(*) from analytics_first_responses_daily)::int as first_responses,
                   (select count(*) from analytics_held_hourly)::int as held,
                   (select count(*) from analytics_rollup_days)::int as days`)) as unknown as { rows: unknown[] }
        ).rows;
      const once = await snapshot();
      await Promise.all([rollupAnalytics(app.db, runAt(TODAY, 5)), rollupAnalytics(app.db, runAt(TODAY, 5))]);
      expect(await snapshot()).toEqual(once);
      await expectSameFigures();
    });

    it('a late event for yesterday (and the day before) counts after the next run', async () => {
      const yesterday = DAYS.at(-1) as string;
      const dayBefore = DAYS.at(-2) as string;
      const q = { from: dayBefore, to: yesterday };
      const bot0 = await rolled.bot(q);
      const handoff0 = await rolled.handoff(q);
      const agents0 = await rolled.agents(q);

      // 有用 given at 23:59:59 yesterday, stored after the run; a handoff asked for at 23:58 yesterday, taken at
      // 00:03 today; a rating for a conversation taken the day before
      const answered = (
        (await app.db.execute(sql`
          select m.id from messages m
           where m.sender_type = 'bot' and m.payload->>'kind' = 'answer'
             and m.created_at >= ${at(yesterday, '00:00:00').toISOString()}::timestamptz
             and m.created_at < ${at(TODAY, '00:00:00').toISOString()}::timestamptz
             and not exists (select 1 from bot_feedback f where f.message_id = m.id)
           limit 1`)) as unknown as { rows: { id: string }[] }
      ).rows[0];
      expect(answered).toBeDefined();
      await app.db
        .insert(botFeedback)
        .values({ messageId: answered?.id ?? '', entryId: 'E1', helpful: true, createdAt: at(yesterday, '23:59:59') });
      const waiting = randomUUID();
      await app.db.insert(conversations).values({
        id: waiting,
        taxpayerId: p.B.taxpayer.id,
        portalUserId: p.B.user.id,
        status: 'closed',
        createdAt: at(yesterday, '23:57:00'),
        closedAt: at(TODAY, '00:20:00'),
        handoffRequestedAt: at(yesterday, '23:58:00'),
        handoffReason: 'keyword',
        handoffGroupId: p.G1,
        assigneeStaffId: p.agents[1]?.id ?? null,
        assignedAt: at(TODAY, '00:03:00'),
      });
      const [unrated] = await app.db
        .select({ id: conversations.id, staffId: conversations.assigneeStaffId })
        .from(conversations)
        .where(
          and(
            sql`${conversations.assignedAt} >= ${at(dayBefore, '00:00:00').toISOString()}::timestamptz`,
            sql`${conversations.assignedAt} < ${at(yesterday, '00:00:00').toISOString()}::timestamptz`,
            sql`not exists (select 1 from conversation_ratings r where r.conversation_id = ${conversations.id})`,
          ),
        )
        .limit(1);
      expect(unrated).toBeDefined();
      await app.db
        .insert(conversationRatings)
        .values({ conversationId: unrated?.id ?? '', score: 5, staffId: unrated?.staffId, createdAt: runAt(TODAY) });

      // until the next run the rolled days read as rolled …
      expect(await rolled.bot(q)).toEqual(bot0);
      expect(await rolled.handoff(q)).toEqual(handoff0);
      expect(await rolled.agents(q)).toEqual(agents0);
      // … after it, as the events say
      await rollupAnalytics(app.db, runAt(TODAY, 15));
      const bot1 = await rolled.bot(q);
      expect(bot1.totals.helpful).toBe(bot0.totals.helpful + 1);
      expect(bot1).toEqual(await live.bot(q));
      const handoff1 = await rolled.handoff(q);
      expect(handoff1.totals).toMatchObject({
        handoffs: handoff0.totals.handoffs + 1,
        assigned: handoff0.totals.assigned + 1,
      });
      expect(handoff1).toEqual(await live.handoff(q));
      const agents1 = await rolled.agents(q);
      const ratings = (a: typeof agents0) => a.agents.reduce((sum, x) => sum + x.ratings, 0);
      expect(ratings(agents1)).toBe(ratings(agents0) + 1);
      expect(agents1).toEqual(await live.agents(q));
      await expectSameFigures();
    });

    it('a day past the recompute window is final: a change to it later is not rolled up again', async () => {
      const old = DAYS[0] as string;
      const q = { from: old, to: old };
      const before = await rolled.bot(q);
      const [reply] = await app.db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.senderType, 'bot'),
            sql`${messages.payload}->>'kind' = 'answer'`,
            sql`${messages.createdAt} >= ${at(old, '00:00:00').toISOString()}::timestamptz`,
            sql`${messages.createdAt} < ${at(old, '23:00:00').toISOString()}::timestamptz`,
            sql`not exists (select 1 from bot_feedback f where f.message_id = ${messages.id})`,
          ),
        )
        .limit(1);
      await app.db
        .insert(botFeedback)
        .values({ messageId: reply?.id ?? '', entryId: 'E2', helpful: false, createdAt: at(old, '23:30:00') });
      await rollupAnalytics(app.db, runAt(TODAY, 30));
      expect(await rolled.bot(q)).toEqual(before);
      expect((await live.bot(q)).totals.unhelpful).toBe(before.totals.unhelpful + 1);
    });
  });
}
