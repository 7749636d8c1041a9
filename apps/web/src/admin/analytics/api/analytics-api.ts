/** 统计分析 over HTTP with the staff session cookie (supervisors and admins). */
import {
  type TAnalyticsSection,
  ZAgentAnalytics,
  ZAppointmentAnalytics,
  ZBotAnalytics,
  ZCaseAnalytics,
  ZHandoffAnalytics,
} from '@zhengna/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import { type AnalyticsFilters, analyticsQuery } from '../analytics-format.ts';

const SCHEMAS = {
  bot: ZBotAnalytics,
  handoff: ZHandoffAnalytics,
  agents: ZAgentAnalytics,
  cases: ZCaseAnalytics,
  appointments: ZAppointmentAnalytics,
} as const;

export type AnalyticsOf<S extends TAnalyticsSection> = z.infer<(typeof SCHEMAS)[S]>;

export function fetchAnalytics<S extends TAnalyticsSection>(
  section: S,
  filters: AnalyticsFilters,
  signal?: AbortSignal,
): Promise<AnalyticsOf<S>> {
  return apiRequest(`/api/admin/analytics/${section}`, {
    query: analyticsQuery(filters),
    schema: SCHEMAS[section] as (typeof SCHEMAS)[S],
    signal,
  }) as Promise<AnalyticsOf<S>>;
}
