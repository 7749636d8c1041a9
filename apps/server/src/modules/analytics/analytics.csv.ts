/**
 * CSV for Excel: UTF-8 with a BOM, CRLF, Chinese headers, one titled table (analytics-tables.ts) after another. A
 * cell that a spreadsheet would read as a formula (= + - @, or a leading tab / CR) is prefixed with ' — a question
 * text is the taxpayer's.
 */
import type { TAnalyticsSection } from '@zhengna/contracts';
import { type Cell, isPercent, type Table, tablesOfSection } from './analytics-tables.ts';

function csvCell(v: Cell): string {
  if (isPercent(v)) return v.percent === null ? '' : `${(v.percent * 100).toFixed(1)}%`;
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(tables: Table[]): string {
  const lines: string[] = [];
  for (const t of tables) {
    if (lines.length) lines.push('');
    lines.push(csvCell(t.title));
    lines.push(t.header.map(csvCell).join(','));
    for (const r of t.rows) lines.push(r.map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A section's figures as CSV. */
export const csvOf = (section: TAnalyticsSection, figures: unknown) => toCsv(tablesOfSection(section, figures));
