/** 智能问答 charts: replies by day, and 有用 against 没用. */
import type { TBotAnalytics } from '@zhengna/contracts';
import type { BarSeriesOption } from 'echarts/charts';
import { formatRate } from '../analytics-format.ts';
import { base, busiestDay, type ChartOf, cartesian, countAxis, dateAxis, inRange } from './chart-kit.ts';

export const botDailyChart: ChartOf<TBotAnalytics> = (a, t) => {
  const busiest = busiestDay(a.days, (d) => d.conversations);
  const label =
    `智能问答按日图表，${inRange(a.range)}：会话 ${a.totals.conversations} 个；机器人答复中已回答 ` +
    `${a.totals.answered} 次、澄清 ${a.totals.clarified} 次、未找到答案 ${a.totals.noAnswer} 次` +
    (busiest ? `；会话最多的一天是 ${busiest.date}（${busiest.conversations} 个）` : '') +
    '。';
  const bar = (name: string, color: string, pick: (d: TBotAnalytics['days'][number]) => number): BarSeriesOption => ({
    type: 'bar',
    name,
    stack: 'replies',
    barMaxWidth: 32,
    itemStyle: { color },
    data: a.days.map(pick),
  });
  return {
    label,
    option: {
      ...cartesian(label, t),
      xAxis: dateAxis(
        a.days.map((d) => d.date),
        t,
      ),
      yAxis: countAxis(t),
      series: [
        bar('已回答', t.success, (d) => d.answered),
        bar('澄清', t.warning, (d) => d.clarified),
        bar('未找到答案', t.error, (d) => d.noAnswer),
        {
          type: 'line',
          name: '会话数',
          itemStyle: { color: t.primary },
          data: a.days.map((d) => d.conversations),
        },
      ],
    },
  };
};

export const botFeedbackChart: ChartOf<TBotAnalytics> = (a, t) => {
  const { helpful, unhelpful, helpfulRate } = a.totals;
  const rated = helpful + unhelpful > 0;
  const label = rated
    ? `有用与没用评价图表：有用 ${helpful} 次，没用 ${unhelpful} 次，有用率 ${formatRate(helpfulRate)}。`
    : '有用与没用评价图表：统计范围内没有评价。';
  return {
    label,
    option: {
      ...base(label, t),
      // with no data ECharts would list the series' own name
      legend: { top: 0, textStyle: { color: t.text }, show: rated },
      tooltip: { trigger: 'item', formatter: '{b}：{c} 次（{d}%）' },
      series: [
        {
          type: 'pie',
          name: '评价',
          radius: ['42%', '66%'],
          center: ['50%', '55%'],
          label: { formatter: '{b}\n{d}%', color: t.text },
          // no ratings: ECharts' empty ring, not two equal halves labelled 0%
          data: rated
            ? [
                { name: '有用', value: helpful, itemStyle: { color: t.success } },
                { name: '没用', value: unhelpful, itemStyle: { color: t.error } },
              ]
            : [],
        },
      ],
    },
  };
};
