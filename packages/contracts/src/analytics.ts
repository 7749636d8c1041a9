/**
 * @module analytics
 * 统计分析 (issue #10): aggregate figures for supervisors and admins, computed from stored events over a range of China
 * (UTC+8) dates. No taxpayer's name or number appears in any result: agents are named, taxpayers only counted.
 * GET /api/admin/analytics/{bot,handoff,agents,cases,appointments}; `?format=csv` or `?format=xlsx` downloads the same
 * figures (a CSV for Excel, an Excel workbook).
 */
import { z } from 'zod';

const ZChinaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const ANALYTICS_MAX_DAYS = 366;

/** from/to are China dates, both included; the server defaults to the last 7 days. */
export const ZAnalyticsQuery = z
  .object({
    from: ZChinaDate.optional(),
    to: ZChinaDate.optional(),
    officeId: z.string().min(1).max(64).optional(),
    groupId: z.string().min(1).max(64).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine(
    (q) => !q.from || !q.to || (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 < 366,
    { message: `统计范围最多 ${ANALYTICS_MAX_DAYS} 天`, path: ['to'] },
  );
export type TAnalyticsQuery = z.infer<typeof ZAnalyticsQuery>;

export const ZAnalyticsRange = z.object({ from: ZChinaDate, to: ZChinaDate });
const count = z.number().int().nonnegative();
/** A share in [0, 1], or null when there is nothing to divide by. */
const rate = z.number().min(0).max(1).nullable();
const seconds = z.number().nonnegative().nullable();

// ── 智能问答 ──────────────────────────────────────────────────────────
export const ZBotAnalytics = z.object({
  range: ZAnalyticsRange,
  totals: z.object({
    conversations: count,
    /** Bot replies to a question: answered + clarified + noAnswer. */
    replies: count,
    answered: count,
    clarified: count,
    noAnswer: count,
    answeredRate: rate,
    clarifiedRate: rate,
    noAnswerRate: rate,
    helpful: count,
    unhelpful: count,
    /** 有用 / (有用 + 没用) */
    helpfulRate: rate,
  }),
  days: z.array(
    z.object({
      date: ZChinaDate,
      conversations: count,
      answered: count,
      clarified: count,
      noAnswer: count,
      helpful: count,
      unhelpful: count,
    }),
  ),
  topQuestions: z.array(z.object({ entryId: z.string(), question: z.string(), count })),
  topUnanswered: z.array(z.object({ question: z.string(), count })),
  /** Entries marked 没用 at least twice, most 没用 first. */
  problemEntries: z.array(z.object({ entryId: z.string(), question: z.string(), helpful: count, unhelpful: count })),
});
export type TBotAnalytics = z.infer<typeof ZBotAnalytics>;

// ── 转人工 ────────────────────────────────────────────────────────────
export const ZHandoffAnalytics = z.object({
  range: ZAnalyticsRange,
  totals: z.object({
    conversations: count,
    handoffs: count,
    handoffRate: rate,
    /** Taken by an agent. */
    assigned: count,
    /** Closed without an agent ever taking it. */
    abandoned: count,
    abandonRate: rate,
    /** From asking for a human to an agent taking it. */
    waitP50Seconds: seconds,
    waitP90Seconds: seconds,
    /** Asked for a human, never served (no agent, outside service hours) … */
    unserved: count,
    /** … of which then left a 留言 from the chat … */
    inquiryConversions: count,
    /** … or booked an appointment within a day. */
    appointmentConversions: count,
  }),
  byReason: z.array(z.object({ reason: z.string(), label: z.string(), count, rate })),
  days: z.array(
    z.object({
      date: ZChinaDate,
      conversations: count,
      handoffs: count,
      assigned: count,
      abandoned: count,
      waitP50Seconds: seconds,
      waitP90Seconds: seconds,
    }),
  ),
});
export type THandoffAnalytics = z.infer<typeof ZHandoffAnalytics>;

// ── 坐席 ──────────────────────────────────────────────────────────────
export const ZAgentAnalytics = z.object({
  range: ZAnalyticsRange,
  agents: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      handled: count,
      /** From taking the conversation to the agent's first reply. */
      firstResponseP50Seconds: seconds,
      firstResponseAvgSeconds: seconds,
      /** From taking the conversation to its end (closed ones). */
      handlingAvgSeconds: seconds,
      ratings: count,
      avgScore: z.number().nullable(),
      /** Share of ratings of 4 or 5. */
      satisfiedRate: rate,
    }),
  ),
  /** Average number of conversations held by agents at once, by China hour of the day (0–23). */
  hourly: z.array(z.object({ hour: z.number().int().min(0).max(23), avgConcurrent: z.number().nonnegative() })),
});
export type TAgentAnalytics = z.infer<typeof ZAgentAnalytics>;

// ── 留言 / 工单 ───────────────────────────────────────────────────────
const ZCaseTotals = z.object({
  created: count,
  /** Replied (留言) or done (工单). */
  finished: count,
  onTime: count,
  /** Finished by the deadline, of those finished. */
  onTimeRate: rate,
  /** Still open past the deadline (now). */
  overdueOpen: count,
});
export const ZCaseAnalytics = z.object({
  range: ZAnalyticsRange,
  inquiries: ZCaseTotals,
  workOrders: ZCaseTotals,
  days: z.array(z.object({ date: ZChinaDate, inquiries: count, workOrders: count })),
  overdue: z.array(
    z.object({
      kind: z.enum(['inquiry', 'work_order']),
      id: z.string(),
      number: z.string().nullable(),
      type: z.string(),
      dueAt: z.iso.datetime(),
      officeName: z.string(),
      assigneeName: z.string().nullable(),
    }),
  ),
});
export type TCaseAnalytics = z.infer<typeof ZCaseAnalytics>;

// ── 预约 ──────────────────────────────────────────────────────────────
export const ZAppointmentAnalytics = z.object({
  range: ZAnalyticsRange,
  /** By the slot's date. */
  totals: z.object({ booked: count, completed: count, noShow: count, cancelled: count, noShowRate: rate }),
  days: z.array(z.object({ date: ZChinaDate, booked: count, completed: count, noShow: count, cancelled: count })),
});
export type TAppointmentAnalytics = z.infer<typeof ZAppointmentAnalytics>;

export const ANALYTICS_SECTIONS = ['bot', 'handoff', 'agents', 'cases', 'appointments'] as const;
export type TAnalyticsSection = (typeof ANALYTICS_SECTIONS)[number];
