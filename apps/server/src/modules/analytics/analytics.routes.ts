/**
 * HTTP for 统计分析 (supervisors and admins): aggregates only — no taxpayer's personal data, so not in the audit
 * log's read list. `?format=csv` downloads the section as a CSV for Excel, `?format=xlsx` as an Excel workbook.
 */
import { ANALYTICS_SECTIONS, type TAnalyticsSection, ZAnalyticsQuery } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { parse } from '../../http/parse.ts';
import { csvOf } from './analytics.csv.ts';
import type { AnalyticsService } from './analytics.service.ts';
import { XLSX_CONTENT_TYPE, xlsxOf } from './analytics.xlsx.ts';

const FILE_NAMES: Record<TAnalyticsSection, string> = {
  bot: '智能问答统计',
  handoff: '转人工统计',
  agents: '坐席统计',
  cases: '留言工单统计',
  appointments: '预约统计',
};

export function analyticsRoutes(app: FastifyInstance, deps: { analytics: AnalyticsService }) {
  for (const section of ANALYTICS_SECTIONS) {
    app.get(`/api/admin/analytics/${section}`, { config: { guard: 'supervisor' } }, async (req, reply) => {
      const q = parse(ZAnalyticsQuery, req.query);
      const figures = await deps.analytics[section](q);
      if (q.format !== 'csv' && q.format !== 'xlsx') return figures;
      const name = `${FILE_NAMES[section]}_${figures.range.from}_${figures.range.to}.${q.format}`;
      return reply
        .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_CONTENT_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="analytics.${q.format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('cache-control', 'no-store')
        .send(q.format === 'csv' ? csvOf(section, figures) : await xlsxOf(section, figures));
    });
  }
}
