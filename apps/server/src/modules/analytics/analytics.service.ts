/**
 * 统计分析: resolves the China date range (read from the rollup tables where rolled up, analytics-rollup.ts), runs the
 * section's aggregates (analytics.repo.ts) and shapes them — every day of the range present, rates as shares.
 */
import {
  HANDOFF_REASON_LABELS,
  type TAgentAnalytics,
  type TAnalyticsQuery,
  type TAppointmentAnalytics,
  type TBotAnalytics,
  type TCaseAnalytics,
  type THandoffAnalytics,
  type THandoffReason,
} from '@zhengna/contracts';
import type { Db } from '../../platform/db.ts';
import { analyticsRepo } from './analytics.repo.ts';
import { resolveRange, scopeOf } from './analytics-range.ts';

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * `rollups: false` computes every day from the events, ignoring the rollup tables (the tests compare both ways).
 */
export function createAnalyticsService(deps: { db: Db; rollups?: boolean }) {
  const { db } = deps;
  const repo = analyticsRepo;
  /** The query's days, split into those read from the rollups and those computed live. */
  const range = async (q: TAnalyticsQuery) => {
    const r = resolveRange(q);
    const rolled = deps.rollups === false ? new Set<string>() : await repo.rolledDays(db, r.from, r.to);
    return { ...r, scope: scopeOf(r, q, rolled) };
  };

  return {
    async bot(q: TAnalyticsQuery): Promise<TBotAnalytics> {
      const r = await range(q);
      const [convs, outcomes, feedback, topQuestions, topUnanswered, problemEntries] = await Promise.all([
        repo.conversationsByDay(db, r.scope),
        repo.botOutcomesByDay(db, r.scope),
        repo.feedbackByDay(db, r.scope),
        repo.topQuestions(db, r.scope),
        repo.topUnanswered(db, r.scope),
        repo.problemEntries(db, r.scope),
      ]);
      const o = new Map(outcomes.map((x) => [x.day, x]));
      const f = new Map(feedback.map((x) => [x.day, x]));
      const days = r.days.map((date) => ({
        date,
        conversations: convs.get(date) ?? 0,
        answered: o.get(date)?.answered ?? 0,
        clarified: o.get(date)?.clarified ?? 0,
        noAnswer: o.get(date)?.noAnswer ?? 0,
        helpful: f.get(date)?.helpful ?? 0,
        unhelpful: f.get(date)?.unhelpful ?? 0,
      }));
      const sum = (k: keyof (typeof days)[number]) => days.reduce((a, d) => a + (d[k] as number), 0);
      const [answered, clarified, noAnswer, helpful, unhelpful] = [
        sum('answered'),
        sum('clarified'),
        sum('noAnswer'),
        sum('helpful'),
        sum('unhelpful'),
      ];
      const replies = answered + clarified + noAnswer;
      return {
        range: { from: r.from, to: r.to },
        totals: {
          conversations: sum('conversations'),
          replies,
          answered,
          clarified,
          noAnswer,
          answeredRate: share(answered, replies),
          clarifiedRate: share(clarified, replies),
          noAnswerRate: share(noAnswer, replies),
          helpful,
          unhelpful,
          helpfulRate: share(helpful, helpful + unhelpful),
        },
        days,
        topQuestions,
        topUnanswered,
        problemEntries,
      };
    },

    async handoff(q: TAnalyticsQuery): Promise<THandoffAnalytics> {
      const r = await range(q);
      const [convs, byDay, byReason, conversions] = await Promise.all([
        // conversations of the office (a group is chosen only at handoff, so not by group)
        repo.conversationsByDay(db, { ...r.scope, groupId: undefined }),
        repo.handoffsByDay(db, r.scope),
        repo.handoffsByReason(db, r.scope),
        repo.unservedConversions(db, r.scope),
      ]);
      const total = byDay.find((x) => x.day === null);
      const d = new Map(byDay.filter((x) => x.day !== null).map((x) => [x.day, x]));
      const conversations = [...convs.values()].reduce((a, b) => a + b, 0);
      return {
        range: { from: r.from, to: r.to },
        totals: {
          conversations,
          handoffs: total?.handoffs ?? 0,
          handoffRate: share(total?.handoffs ?? 0, conversations),
          assigned: total?.assigned ?? 0,
          abandoned: total?.abandoned ?? 0,
          abandonRate: share(total?.abandoned ?? 0, total?.queued ?? 0),
          waitP50Seconds: total?.p50 ?? null,
          waitP90Seconds: total?.p90 ?? null,
          unserved: total?.unserved ?? 0,
          inquiryConversions: conversions.inquiries,
          appointmentConversions: conversions.appointments,
        },
        byReason: byReason.map((x) => ({
          reason: x.reason,
          label: HANDOFF_REASON_LABELS[x.reason as THandoffReason] ?? '其他',
          count: x.count,
          rate: share(x.count, conversations),
        })),
        days: r.days.map((date) => ({
          date,
          conversations: convs.get(date) ?? 0,
          handoffs: d.get(date)?.handoffs ?? 0,
          assigned: d.get(date)?.assigned ?? 0,
          abandoned: d.get(date)?.abandoned ?? 0,
          waitP50Seconds: d.get(date)?.p50 ?? null,
          waitP90Seconds: d.get(date)?.p90 ?? null,
        })),
      };
    },

    async agents(q: TAnalyticsQuery): Promise<TAgentAnalytics> {
      const r = await range(q);
      const [agents, held] = await Promise.all([repo.agents(db, r.scope), repo.heldSecondsByHour(db, r.scope)]);
      const span = r.days.length * 3600;
      return {
        range: { from: r.from, to: r.to },
        agents,
        hourly: Array.from({ length: 24 }, (_, hour) => ({
          hour,
          avgConcurrent: Math.round(((held.get(hour) ?? 0) / span) * 100) / 100,
        })),
      };
    },

    async cases(q: TAnalyticsQuery): Promise<TCaseAnalytics> {
      const r = await range(q);
      const [totals, byDay, overdue] = await Promise.all([
        repo.caseTotals(db, r.scope),
        repo.casesByDay(db, r.scope),
        repo.overdue(db, r.scope),
      ]);
      const d = new Map(byDay.map((x) => [x.day, x]));
      return {
        range: { from: r.from, to: r.to },
        ...totals,
        days: r.days.map((date) => ({
          date,
          inquiries: d.get(date)?.inquiries ?? 0,
          workOrders: d.get(date)?.workOrders ?? 0,
        })),
        overdue,
      };
    },

    async appointments(q: TAnalyticsQuery): Promise<TAppointmentAnalytics> {
      const r = await range(q);
      const byDay = await repo.appointmentsByDay(db, r.scope);
      const d = new Map(byDay.map((x) => [x.day, x]));
      const days = r.days.map((date) => ({
        date,
        booked: d.get(date)?.booked ?? 0,
        completed: d.get(date)?.completed ?? 0,
        noShow: d.get(date)?.noShow ?? 0,
        cancelled: d.get(date)?.cancelled ?? 0,
      }));
      const sum = (k: 'booked' | 'completed' | 'noShow' | 'cancelled') => days.reduce((a, x) => a + x[k], 0);
      return {
        range: { from: r.from, to: r.to },
        totals: {
          booked: sum('booked'),
          completed: sum('completed'),
          noShow: sum('noShow'),
          cancelled: sum('cancelled'),
          noShowRate: share(sum('noShow'), sum('completed') + sum('noShow')),
        },
        days,
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
