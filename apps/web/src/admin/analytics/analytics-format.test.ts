import { describe, expect, it } from 'vitest';
import {
  analyticsQuery,
  csvHref,
  exportHref,
  formatRate,
  formatSeconds,
  handoffReasonLabel,
} from './analytics-format.ts';

describe('统计分析 formatting', () => {
  it('builds the query and the CSV link from the filters', () => {
    expect(analyticsQuery({ range: null, officeId: null, groupId: null })).toEqual({});
    const f = { range: ['2026-03-01', '2026-03-31'] as const, officeId: '13701', groupId: 'g-invoice' };
    expect(analyticsQuery(f)).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      officeId: '13701',
      groupId: 'g-invoice',
    });
    expect(csvHref('handoff', f)).toBe(
      '/api/admin/analytics/handoff?from=2026-03-01&to=2026-03-31&officeId=13701&groupId=g-invoice&format=csv',
    );
    expect(exportHref('cases', f, 'xlsx')).toBe(
      '/api/admin/analytics/cases?from=2026-03-01&to=2026-03-31&officeId=13701&groupId=g-invoice&format=xlsx',
    );
    expect(exportHref('bot', { range: null, officeId: null, groupId: null }, 'xlsx')).toBe(
      '/api/admin/analytics/bot?format=xlsx',
    );
  });

  it('names 转人工 triggers in Chinese, an unknown one 其他', () => {
    expect(handoffReasonLabel('no_answer')).toBe('连续未找到答案');
    expect(handoffReasonLabel('something_new')).toBe('其他');
  });

  it('rates and durations in Chinese', () => {
    expect(formatRate(4 / 7)).toBe('57.1%');
    expect(formatRate(null)).toBe('—');
    expect(formatSeconds(45)).toBe('45 秒');
    expect(formatSeconds(125)).toBe('2 分 5 秒');
    expect(formatSeconds(600)).toBe('10 分');
    expect(formatSeconds(3780)).toBe('1 小时 3 分');
    expect(formatSeconds(null)).toBe('—');
  });
});
