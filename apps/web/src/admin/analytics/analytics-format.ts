/** 统计分析: the filters as the API takes them, the export links, and the words for rates and durations. */
import { HANDOFF_REASON_LABELS, type TAnalyticsQuery, type TAnalyticsSection } from '@zhengna/contracts';

export interface AnalyticsFilters {
  /** Inclusive China dates, YYYY-MM-DD; null: the server's default (the last 7 days). */
  range: readonly [string, string] | null;
  officeId: string | null;
  groupId: string | null;
}

export const ANALYTICS_SECTION_LABELS: Record<TAnalyticsSection, string> = {
  bot: '智能问答',
  handoff: '转人工',
  agents: '坐席',
  cases: '留言与工单',
  appointments: '预约',
};

export function analyticsQuery(f: AnalyticsFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.range) [q.from, q.to] = f.range;
  if (f.officeId) q.officeId = f.officeId;
  if (f.groupId) q.groupId = f.groupId;
  return q;
}

/** The download formats of a section: the contract's `format` other than the page's own JSON. */
export type AnalyticsExportFormat = Exclude<NonNullable<TAnalyticsQuery['format']>, 'json'>;

/** The section's download with the filters on screen (same origin, the staff cookie goes with it). */
export function exportHref(section: TAnalyticsSection, f: AnalyticsFilters, format: AnalyticsExportFormat): string {
  return `/api/admin/analytics/${section}?${new URLSearchParams({ ...analyticsQuery(f), format })}`;
}

export const csvHref = (section: TAnalyticsSection, f: AnalyticsFilters): string => exportHref(section, f, 'csv');

/** The Chinese name of a 转人工 trigger; one the web app does not know yet is 其他. */
export const handoffReasonLabel = (reason: string): string =>
  HANDOFF_REASON_LABELS[reason as keyof typeof HANDOFF_REASON_LABELS] ?? '其他';

/** 57.1%, or — when there is nothing to divide by. */
export const formatRate = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** 45 秒 / 2 分 5 秒 / 1 小时 3 分, or — . */
export function formatSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const s = Math.round(v);
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} 分 ${s % 60} 秒` : `${s / 60} 分`;
  const m = Math.round((s % 3600) / 60);
  return m ? `${Math.floor(s / 3600)} 小时 ${m} 分` : `${Math.floor(s / 3600)} 小时`;
}
