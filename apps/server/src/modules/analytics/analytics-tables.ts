/**
 * A section's figures as the titled tables a download holds — the same titles, Chinese headers and rows in the CSV
 * (analytics.csv.ts) and the workbook (analytics.xlsx.ts). Cells keep their type: a share is a Percent, which the
 * CSV writes as "57.1%" and the workbook as the number 0.571 formatted as a percentage.
 */
import type {
  TAgentAnalytics,
  TAnalyticsSection,
  TAppointmentAnalytics,
  TBotAnalytics,
  TCaseAnalytics,
  THandoffAnalytics,
} from '@zhengna/contracts';

/** A share in [0, 1] (null: nothing to divide by). */
export type Percent = { percent: number | null };
export type Cell = string | number | null | undefined | Percent;
export type Table = { title: string; header: string[]; rows: Cell[][] };

export const isPercent = (v: Cell): v is Percent => typeof v === 'object' && v !== null;
const pct = (v: number | null): Percent => ({ percent: v });
const range = (r: { from: string; to: string }) => `${r.from} 至 ${r.to}`;

type Figures = {
  bot: TBotAnalytics;
  handoff: THandoffAnalytics;
  agents: TAgentAnalytics;
  cases: TCaseAnalytics;
  appointments: TAppointmentAnalytics;
};

const caseRow = (label: string, t: TCaseAnalytics['inquiries']): Cell[] => [
  label,
  t.created,
  t.finished,
  t.onTime,
  pct(t.onTimeRate),
  t.overdueOpen,
];

const tablesOf: { [S in TAnalyticsSection]: (a: Figures[S]) => Table[] } = {
  bot: (a) => [
    {
      title: `智能问答 ${range(a.range)}`,
      header: [
        '会话数',
        '机器人回复数',
        '已回答',
        '澄清',
        '未找到答案',
        '回答率',
        '澄清率',
        '未回答率',
        '有用',
        '没用',
        '有用率',
      ],
      rows: [
        [
          a.totals.conversations,
          a.totals.replies,
          a.totals.answered,
          a.totals.clarified,
          a.totals.noAnswer,
          pct(a.totals.answeredRate),
          pct(a.totals.clarifiedRate),
          pct(a.totals.noAnswerRate),
          a.totals.helpful,
          a.totals.unhelpful,
          pct(a.totals.helpfulRate),
        ],
      ],
    },
    {
      title: '按日',
      header: ['日期', '会话数', '已回答', '澄清', '未找到答案', '有用', '没用'],
      rows: a.days.map((d) => [d.date, d.conversations, d.answered, d.clarified, d.noAnswer, d.helpful, d.unhelpful]),
    },
    {
      title: '热门问题',
      header: ['知识条目', '问题', '次数'],
      rows: a.topQuestions.map((x) => [x.entryId, x.question, x.count]),
    },
    { title: '热门未回答问题', header: ['问题', '次数'], rows: a.topUnanswered.map((x) => [x.question, x.count]) },
    {
      title: '问题条目（多次没用）',
      header: ['知识条目', '问题', '有用', '没用'],
      rows: a.problemEntries.map((x) => [x.entryId, x.question, x.helpful, x.unhelpful]),
    },
  ],
  handoff: (a) => [
    {
      title: `转人工 ${range(a.range)}`,
      header: [
        '会话数',
        '转人工',
        '转人工率',
        '已接入',
        '放弃排队',
        '放弃率',
        '等待中位数（秒）',
        '等待 P90（秒）',
        '未接入',
        '转留言',
        '转预约',
      ],
      rows: [
        [
          a.totals.conversations,
          a.totals.handoffs,
          pct(a.totals.handoffRate),
          a.totals.assigned,
          a.totals.abandoned,
          pct(a.totals.abandonRate),
          a.totals.waitP50Seconds,
          a.totals.waitP90Seconds,
          a.totals.unserved,
          a.totals.inquiryConversions,
          a.totals.appointmentConversions,
        ],
      ],
    },
    {
      title: '按触发原因',
      header: ['原因', '次数', '占会话比例'],
      rows: a.byReason.map((x) => [x.label, x.count, pct(x.rate)]),
    },
    {
      title: '按日',
      header: ['日期', '会话数', '转人工', '已接入', '放弃排队', '等待中位数（秒）', '等待 P90（秒）'],
      rows: a.days.map((d) => [
        d.date,
        d.conversations,
        d.handoffs,
        d.assigned,
        d.abandoned,
        d.waitP50Seconds,
        d.waitP90Seconds,
      ]),
    },
  ],
  agents: (a) => [
    {
      title: `坐席 ${range(a.range)}`,
      header: [
        '坐席',
        '接待会话',
        '首次响应中位数（秒）',
        '首次响应平均（秒）',
        '平均处理时长（秒）',
        '评价数',
        '平均评分',
        '满意率',
      ],
      rows: a.agents.map((x) => [
        x.name,
        x.handled,
        x.firstResponseP50Seconds,
        x.firstResponseAvgSeconds,
        x.handlingAvgSeconds,
        x.ratings,
        x.avgScore,
        pct(x.satisfiedRate),
      ]),
    },
    {
      title: '各时段平均同时接待会话数',
      header: ['时段', '平均同时接待'],
      rows: a.hourly.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.avgConcurrent]),
    },
  ],
  cases: (a) => [
    {
      title: `留言与工单 ${range(a.range)}`,
      header: ['类别', '新增', '已办结', '按期办结', '按期率', '当前逾期'],
      rows: [caseRow('留言', a.inquiries), caseRow('工单', a.workOrders)],
    },
    {
      title: '按日',
      header: ['日期', '留言', '工单'],
      rows: a.days.map((d) => [d.date, d.inquiries, d.workOrders]),
    },
    {
      title: '逾期清单',
      header: ['类别', '编号', '类型', '办理期限', '税务机关', '承办人'],
      rows: a.overdue.map((x) => [
        x.kind === 'inquiry' ? '留言' : '工单',
        x.number ?? x.id,
        x.type,
        x.dueAt,
        x.officeName,
        x.assigneeName,
      ]),
    },
  ],
  appointments: (a) => [
    {
      title: `预约 ${range(a.range)}`,
      header: ['预约数', '已完成', '失约', '已取消', '失约率'],
      rows: [[a.totals.booked, a.totals.completed, a.totals.noShow, a.totals.cancelled, pct(a.totals.noShowRate)]],
    },
    {
      title: '按日（预约时段所在日期）',
      header: ['日期', '预约数', '已完成', '失约', '已取消'],
      rows: a.days.map((d) => [d.date, d.booked, d.completed, d.noShow, d.cancelled]),
    },
  ],
};

/** The tables of a section's figures (the route has them untyped, as the service returned them). */
export const tablesOfSection = (section: TAnalyticsSection, figures: unknown): Table[] =>
  (tablesOf[section] as (a: unknown) => Table[])(figures);
