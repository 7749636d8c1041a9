// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type {
  TAgentAnalytics,
  TAppointmentAnalytics,
  TBotAnalytics,
  TCaseAnalytics,
  THandoffAnalytics,
} from '@zhengna/contracts';
import { getInstanceByDom } from 'echarts/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { AnalyticsPage } from './AnalyticsPage.tsx';

const range = { from: '2026-03-01', to: '2026-03-02' };

const bot: TBotAnalytics = {
  range,
  totals: {
    conversations: 12,
    replies: 20,
    answered: 14,
    clarified: 4,
    noAnswer: 2,
    answeredRate: 0.7,
    clarifiedRate: 0.2,
    noAnswerRate: 0.1,
    helpful: 6,
    unhelpful: 2,
    helpfulRate: 0.75,
  },
  days: [
    { date: '2026-03-01', conversations: 5, answered: 6, clarified: 1, noAnswer: 1, helpful: 2, unhelpful: 1 },
    { date: '2026-03-02', conversations: 7, answered: 8, clarified: 3, noAnswer: 1, helpful: 4, unhelpful: 1 },
  ],
  topQuestions: [{ entryId: 'e1', question: '数电发票怎么开具？', count: 9 }],
  topUnanswered: [{ question: '个税汇算延期怎么办？', count: 2 }],
  problemEntries: [],
};

const handoff: THandoffAnalytics = {
  range,
  totals: {
    conversations: 12,
    handoffs: 4,
    handoffRate: 1 / 3,
    assigned: 3,
    abandoned: 1,
    abandonRate: 0.25,
    waitP50Seconds: 45,
    waitP90Seconds: 125,
    unserved: 1,
    inquiryConversions: 1,
    appointmentConversions: 0,
  },
  byReason: [
    { reason: 'button', label: '点击转人工', count: 3, rate: 0.25 },
    { reason: 'no_answer', label: '连续未找到答案', count: 1, rate: 1 / 12 },
  ],
  days: [
    {
      date: '2026-03-01',
      conversations: 5,
      handoffs: 1,
      assigned: 1,
      abandoned: 0,
      waitP50Seconds: 30,
      waitP90Seconds: 30,
    },
    {
      date: '2026-03-02',
      conversations: 7,
      handoffs: 3,
      assigned: 2,
      abandoned: 1,
      waitP50Seconds: 60,
      waitP90Seconds: 125,
    },
  ],
};

const agents: TAgentAnalytics = {
  range,
  agents: [
    {
      staffId: 's1',
      name: '张敏',
      handled: 2,
      firstResponseP50Seconds: 20,
      firstResponseAvgSeconds: 25,
      handlingAvgSeconds: 300,
      ratings: 1,
      avgScore: 5,
      satisfiedRate: 1,
    },
    {
      staffId: 's2',
      name: '刘洋',
      handled: 5,
      firstResponseP50Seconds: 40,
      firstResponseAvgSeconds: 50,
      handlingAvgSeconds: 600,
      ratings: 2,
      avgScore: 4,
      satisfiedRate: 0.5,
    },
  ],
  hourly: Array.from({ length: 24 }, (_, hour) => ({ hour, avgConcurrent: hour === 10 ? 2.5 : hour === 15 ? 1 : 0 })),
};

const cases: TCaseAnalytics = {
  range,
  inquiries: { created: 8, finished: 6, onTime: 5, onTimeRate: 5 / 6, overdueOpen: 1 },
  workOrders: { created: 3, finished: 2, onTime: 2, onTimeRate: 1, overdueOpen: 0 },
  days: [
    { date: '2026-03-01', inquiries: 3, workOrders: 1 },
    { date: '2026-03-02', inquiries: 5, workOrders: 2 },
  ],
  overdue: [],
};

const appointments: TAppointmentAnalytics = {
  range,
  totals: { booked: 10, completed: 6, noShow: 2, cancelled: 1, noShowRate: 0.25 },
  days: [
    { date: '2026-03-01', booked: 4, completed: 3, noShow: 1, cancelled: 0 },
    { date: '2026-03-02', booked: 6, completed: 3, noShow: 1, cancelled: 1 },
  ],
};

const FIGURES: Record<string, unknown> = { bot, handoff, agents, cases, appointments };
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let analyticsCalls: URL[] = [];
function mockFetch() {
  analyticsCalls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/api/admin/tax-offices') {
        return json({ offices: [{ id: '13701', name: '济南市税务局', parentId: null }] });
      }
      if (url.pathname === '/api/admin/skill-groups') return json({ groups: [] });
      const section = url.pathname.match(/^\/api\/admin\/analytics\/(\w+)$/)?.[1];
      if (section && FIGURES[section]) {
        analyticsCalls.push(url);
        return json(FIGURES[section]);
      }
      return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
    }),
  );
}

// happy-dom lays nothing out; ECharts gets a size to draw in (and no warning that it has none)
const box = { clientWidth: 800, clientHeight: 280 };
const realBox = Object.fromEntries(
  Object.keys(box).map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)]),
);
beforeAll(() => {
  for (const [k, v] of Object.entries(box))
    Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
});
afterAll(() => {
  for (const [k, d] of Object.entries(realBox)) {
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else Reflect.deleteProperty(HTMLElement.prototype, k);
  }
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const renderPage = () =>
  render(
    <AppProvider>
      <AnalyticsPage onSessionExpired={() => {}} />
    </AppProvider>,
  );

/**
 * The body rows of the table named `name`. A table that scrolls is drawn by antd as a header table and a body table,
 * both carrying the name; the rows with data cells are the figures.
 */
const rowsOf = (name: string) =>
  screen
    .getAllByRole('table', { name })
    .flatMap((t) => within(t).queryAllByRole('row'))
    .map((r) =>
      within(r)
        .queryAllByRole('cell')
        .map((c) => c.textContent),
    )
    .filter((cells) => cells.length > 0);

/**
 * The series names and data ECharts draws in the chart named `name`, once its chunk has loaded. ECharts runs here for
 * real: its SVG renderer needs no canvas, which happy-dom does not have; nothing is mocked but fetch.
 */
async function seriesOf(name: RegExp) {
  const el = screen.getByRole('img', { name });
  // the first load of the lazy chunk may take a while on a busy machine
  const chart = await waitFor(
    () => {
      const surface = screen.getByRole('img', { name }).firstElementChild as HTMLElement | null;
      const c = surface && getInstanceByDom(surface);
      if (!c || !surface.querySelector('svg')) throw new Error('not drawn yet');
      // the drawing is hidden from assistive technology: the name says it all
      expect(surface.getAttribute('aria-hidden')).toBe('true');
      return c;
    },
    { timeout: 10_000 },
  );
  const option = chart.getOption() as {
    aria: { enabled: boolean; label: { description: string } };
    series: { name: string; data: unknown }[];
  };
  // ECharts' aria option is on and names the element as the page does
  expect(option.aria.enabled).toBe(true);
  expect(option.aria.label.description).toBe(el.getAttribute('aria-label'));
  return option.series.map((s) => [s.name, s.data]);
}

// antd's first render of a table takes seconds on a loaded machine
describe('AnalyticsPage', { timeout: 30_000 }, () => {
  it('puts the response into the tables, and gives each chart its summary and the same figures', async () => {
    mockFetch();
    renderPage();
    await waitFor(() =>
      expect(rowsOf('按日')).toEqual([
        ['2026-03-01', '5', '6', '1', '1', '2', '1'],
        ['2026-03-02', '7', '8', '3', '1', '4', '1'],
      ]),
    );
    expect(screen.getByText('统计范围：2026-03-01 至 2026-03-02（北京时间）')).toBeTruthy();
    expect(rowsOf('热门问题')).toEqual([['数电发票怎么开具？', '9']]);

    const daily = screen.getByRole('img', {
      name: '智能问答按日图表，2026-03-01 至 2026-03-02：会话 12 个；机器人答复中已回答 14 次、澄清 4 次、未找到答案 2 次；会话最多的一天是 2026-03-02（7 个）。',
    });
    // the chart sits above the table it draws
    const table = screen.getAllByRole('table', { name: '按日' })[0] as HTMLElement;
    expect(daily.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('img', { name: '有用与没用评价图表：有用 6 次，没用 2 次，有用率 75.0%。' })).toBeTruthy();
    expect(await seriesOf(/^智能问答按日图表/)).toEqual([
      ['已回答', [6, 8]],
      ['澄清', [1, 3]],
      ['未找到答案', [1, 1]],
      ['会话数', [5, 7]],
    ]);
  });

  it('names the charts of every section and keeps a table of their figures', async () => {
    mockFetch();
    renderPage();
    await screen.findByRole('img', { name: /^智能问答按日图表/ });

    fireEvent.click(screen.getByRole('tab', { name: '转人工' }));
    expect(
      await screen.findByRole('img', { name: '按触发原因的转人工图表：点击转人工 3 次，连续未找到答案 1 次。' }),
    ).toBeTruthy();
    screen.getByRole('img', {
      name: '转人工按日图表，2026-03-01 至 2026-03-02：转人工 4 次，排队等待中位数 45 秒、P90 2 分 5 秒；转人工最多的一天是 2026-03-02（3 次）。',
    });
    await waitFor(() => expect(rowsOf('按触发原因')).toHaveLength(2));

    fireEvent.click(screen.getByRole('tab', { name: '坐席' }));
    expect(await screen.findByRole('img', { name: '各坐席接待会话数图表：刘洋 5 个，张敏 2 个。' })).toBeTruthy();
    screen.getByRole('img', {
      name: '各时段平均同时接待会话数图表：高峰在 10 时，平均同时接待 2.5 个会话；全天各时段平均 0.15 个。',
    });
    await waitFor(() => expect(rowsOf('各时段平均同时接待会话数')[10]).toEqual(['10:00–11:00', '2.5']));

    fireEvent.click(screen.getByRole('tab', { name: '留言与工单' }));
    expect(
      await screen.findByRole('img', {
        name: '留言与工单按日图表，2026-03-01 至 2026-03-02：新增留言 8 条，新增工单 3 个；最多的一天是 2026-03-02（留言 5 条、工单 2 个）。',
      }),
    ).toBeTruthy();
    screen.getByRole('img', {
      name: '留言与工单按期情况图表：留言已答复 6 条，其中按期 5 条，按期答复率 83.3%，逾期未答复 1 条；工单已办结 2 个，其中按期 2 个，按期办结率 100.0%，逾期未办结 0 个。',
    });
    await waitFor(() =>
      expect(rowsOf('按期情况')).toEqual([
        ['留言', '8', '6', '5', '83.3%', '1'],
        ['工单', '3', '2', '2', '100.0%', '0'],
      ]),
    );

    fireEvent.click(screen.getByRole('tab', { name: '预约' }));
    expect(
      await screen.findByRole('img', {
        name: '预约按日图表，2026-03-01 至 2026-03-02：预约 10 个，已完成 6 个，失约 2 个，已取消 1 个，失约率 25.0%。',
      }),
    ).toBeTruthy();
    await waitFor(() =>
      expect(rowsOf('按日')).toEqual([
        ['2026-03-01', '4', '3', '1', '0'],
        ['2026-03-02', '6', '3', '1', '1'],
      ]),
    );
    expect(await seriesOf(/^预约按日图表/)).toEqual([
      ['已完成', [3, 3]],
      ['失约', [1, 1]],
      ['已取消', [0, 1]],
      ['预约数', [4, 6]],
    ]);
  });

  it('exports CSV and Excel with the filters of the figures on screen', async () => {
    mockFetch();
    renderPage();
    await screen.findByRole('img', { name: /^智能问答按日图表/ });
    const csv = () => screen.getByTestId('analytics-csv').getAttribute('href');
    const xlsx = () => screen.getByTestId('analytics-xlsx').getAttribute('href');
    expect(csv()).toBe('/api/admin/analytics/bot?format=csv');
    expect(xlsx()).toBe('/api/admin/analytics/bot?format=xlsx');
    expect(screen.getByTestId('analytics-xlsx').textContent).toBe('导出 Excel');
    expect(screen.getByTestId('analytics-xlsx').hasAttribute('download')).toBe(true);

    // pick a tax office and search
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '税务机关' }));
    fireEvent.click(await screen.findByTitle('济南市税务局'));
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    await waitFor(() => expect(analyticsCalls.at(-1)?.searchParams.get('officeId')).toBe('13701'));
    await waitFor(() => expect(xlsx()).toBe('/api/admin/analytics/bot?officeId=13701&format=xlsx'));
    expect(csv()).toBe('/api/admin/analytics/bot?officeId=13701&format=csv');

    fireEvent.click(screen.getByRole('tab', { name: '转人工' }));
    await waitFor(() => expect(xlsx()).toBe('/api/admin/analytics/handoff?officeId=13701&format=xlsx'));
    expect(csv()).toBe('/api/admin/analytics/handoff?officeId=13701&format=csv');
    await waitFor(() => expect(analyticsCalls.at(-1)?.pathname).toBe('/api/admin/analytics/handoff'));
    expect(analyticsCalls.at(-1)?.searchParams.get('officeId')).toBe('13701');
  });
});
