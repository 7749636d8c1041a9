/**
 * A section's figures as an Excel workbook: one worksheet per table of the CSV (analytics-tables.ts), named by its
 * title, with the same Chinese headers (bold, frozen) in the first row. Numbers are numbers, shares are numbers
 * formatted as percentages, an empty figure is an empty cell. Text stays text (exceljs writes a string as a string,
 * never a formula), so a taxpayer's "=1+1" needs no guard here.
 */
import type { TAnalyticsSection } from '@zhengna/contracts';
import ExcelJS from 'exceljs';
import { isPercent, type Table, tablesOfSection } from './analytics-tables.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PERCENT_FORMAT = '0.0%';

/** Excel's rules for a sheet name: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
  taken.add(name);
  return name;
}

/** Wide enough for the longest text of a column (a CJK character takes two widths). */
const widthOf = (s: string) => [...s].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);

function addTable(workbook: ExcelJS.Workbook, t: Table, taken: Set<string>) {
  const sheet = workbook.addWorksheet(sheetName(t.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(t.header).font = { bold: true };
  const widths = t.header.map(widthOf);
  for (const cells of t.rows) {
    const row = sheet.addRow(cells.map((v) => (isPercent(v) ? v.percent : (v ?? null))));
    cells.forEach((v, i) => {
      if (isPercent(v)) row.getCell(i + 1).numFmt = PERCENT_FORMAT;
      else if (typeof v === 'string') widths[i] = Math.max(widths[i] ?? 0, widthOf(v));
    });
  }
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, w + 2));
  });
}

/** A section's figures as an .xlsx file. */
export async function xlsxOf(section: TAnalyticsSection, figures: unknown): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '征纳互动';
  const taken = new Set<string>();
  for (const t of tablesOfSection(section, figures)) addTable(workbook, t, taken);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
