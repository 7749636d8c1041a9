import type { TAgentAnalytics, TAppointmentAnalytics, THandoffAnalytics } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { agentHandledChart, agentHourlyChart } from './agent-charts.ts';
import { appointmentDailyChart } from './appointment-charts.ts';
import type { ChartTheme } from './chart-kit.ts';
import { handoffDailyChart, handoffReasonChart } from './handoff-charts.ts';

const theme: ChartTheme = {
  primary: '#1456c7',
  success: '#52c41a',
  warning: '#faad14',
  error: '#ff4d4f',
  accent: '#722ed1',
  neutral: 'rgba(0,0,0,0.25)',
  text: 'rgba(0,0,0,0.88)',
  textSecondary: 'rgba(0,0,0,0.65)',
  border: '#d9d9d9',
  split: 'rgba(5,5,5,0.06)',
  fontFamily: 'sans-serif',
  fontSize: 12,
  animation: true,
};
const range = { from: '2026-03-01', to: '2026-03-01' };
const quietHandoff: THandoffAnalytics = {
  range,
  totals: {
    conversations: 3,
    handoffs: 0,
    handoffRate: 0,
    assigned: 0,
    abandoned: 0,
    abandonRate: null,
    waitP50Seconds: null,
    waitP90Seconds: null,
    unserved: 0,
    inquiryConversions: 0,
    appointmentConversions: 0,
  },
  byReason: [],
  days: [
    {
      date: '2026-03-01',
      conversations: 3,
      handoffs: 0,
      assigned: 0,
      abandoned: 0,
      waitP50Seconds: null,
      waitP90Seconds: null,
    },
  ],
};

describe('统计分析 charts', () => {
  it('says plainly when there is nothing to draw', () => {
    expect(handoffReasonChart(quietHandoff, theme).label).toBe('按触发原因的转人工图表：统计范围内没有转人工。');
    expect(handoffDailyChart(quietHandoff, theme).label).toBe(
      '转人工按日图表，2026-03-01 至 2026-03-01：转人工 0 次，没有接入记录可计算排队等待。',
    );
    const idle: TAgentAnalytics = {
      range,
      agents: [],
      hourly: Array.from({ length: 24 }, (_, hour) => ({ hour, avgConcurrent: 0 })),
    };
    expect(agentHandledChart(idle, theme).label).toBe('各坐席接待会话数图表：统计范围内没有坐席接待会话。');
    expect(agentHourlyChart(idle, theme).label).toBe('各时段平均同时接待会话数图表：统计范围内没有坐席接待会话。');
    const noAppointments: TAppointmentAnalytics = {
      range,
      totals: { booked: 0, completed: 0, noShow: 0, cancelled: 0, noShowRate: null },
      days: [],
    };
    // no "失约率 —": a screen reader would read the dash
    expect(appointmentDailyChart(noAppointments, theme).label).toBe(
      '预约按日图表，2026-03-01 至 2026-03-01：预约 0 个，已完成 0 个，失约 0 个，已取消 0 个。',
    );
  });

  it('turns on ECharts’ aria with the same summary, takes the theme’s colours, animates only when allowed', () => {
    const { label, option } = handoffDailyChart(quietHandoff, theme);
    expect(option.aria).toEqual({ enabled: true, label: { description: label } });
    expect(option.animation).toBe(true);
    expect(option.series).toMatchObject([
      { name: '转人工', itemStyle: { color: theme.primary } },
      { name: '等待中位数', itemStyle: { color: theme.success } },
      { name: '等待 P90', itemStyle: { color: theme.warning } },
    ]);
    expect(handoffDailyChart(quietHandoff, { ...theme, animation: false }).option.animation).toBe(false);
  });

  it('names at most ten agents, busiest first, and grows with their number', () => {
    const many: TAgentAnalytics = {
      range,
      hourly: [],
      agents: Array.from({ length: 12 }, (_, i) => ({
        staffId: `s${i}`,
        name: `坐席${i}`,
        handled: i,
        firstResponseP50Seconds: null,
        firstResponseAvgSeconds: null,
        handlingAvgSeconds: null,
        ratings: 0,
        avgScore: null,
        satisfiedRate: null,
      })),
    };
    const chart = agentHandledChart(many, theme);
    expect(chart.label).toMatch(/^各坐席接待会话数图表：坐席11 11 个，坐席10 10 个，.*坐席2 2 个，共 12 名坐席。$/);
    expect(chart.label).not.toContain('坐席1 1 个');
    expect(chart.height).toBe(48 + 12 * 28);
  });
});
