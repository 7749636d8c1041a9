/**
 * Knowledge entries as a spreadsheet — CSV (UTF-8 with a BOM, for Excel) or an .xlsx workbook — for curators who
 * keep the knowledge base in Excel. The columns are KNOWLEDGE_TABLE_COLUMNS (Chinese headers; the JSONL field names
 * are accepted too); cells with several values hold one per line. Rows become the same records a kb.jsonl line
 * holds and are checked by the same rules (knowledge-jsonl.ts), each problem reported with the spreadsheet's row
 * number, so an import is all or nothing.
 */
import { inflateRawSync } from 'node:zlib';
import { KNOWLEDGE_TABLE_COLUMNS, TAXPAYER_TYPE_LABELS } from '@zhengna/contracts';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { KbLine, LineError, NumberedRecord } from './knowledge-jsonl.ts';

export type TableFormat = 'csv' | 'xlsx';
type ColumnKey = (typeof KNOWLEDGE_TABLE_COLUMNS)[number]['key'];

/** More rows than a knowledge base has; a bigger sheet is refused before any row is checked. */
export const MAX_TABLE_ROWS = 20_000;
/** What an .xlsx may unpack to (its zip directory's own figures): the upload limit keeps the zip small, not this. */
const MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024;

const STATUS_LABELS = { published: '已发布', draft: '草稿' } as const;
const typeByLabel = new Map<string, string>(
  Object.entries(TAXPAYER_TYPE_LABELS).flatMap(([code, label]) => [
    [label, code],
    [code, code],
  ]),
);
const statusByLabel = new Map<string, 'published' | 'draft'>([
  ['已发布', 'published'],
  ['发布', 'published'],
  ['published', 'published'],
  ['草稿', 'draft'],
  ['draft', 'draft'],
]);

export const fileNameOf = (format: TableFormat) => `kb.${format}`;

/** A spreadsheet cell that would run as a formula gets a leading ' on export; import takes it off again. */
const FORMULA_START = /^[=+\-@\t\r]/;
const guardFormula = (s: string) => (FORMULA_START.test(s) ? `'${s}` : s);
const unguardFormula = (s: string) => (s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s);

const splitList = (cell: string) =>
  cell
    .split(/\r?\n|[|｜]/)
    .map((s) => s.trim())
    .filter(Boolean);

type Grid = { line: number; cells: string[] }[];

/** The rows of a CSV text, numbered as a spreadsheet numbers them (a quoted cell may span lines). */
function csvGrid(text: string): Grid {
  const records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  return records.map((cells, i) => ({ line: i + 1, cells }));
}

/** Sums the unpacked sizes the zip's central directory declares; refuses an archive that would unpack too far. */
function checkZipDirectory(buf: Buffer): string | null {
  const minEnd = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= minEnd; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return '不是有效的 Excel（.xlsx）文件';
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return '不是有效的 Excel（.xlsx）文件';
    const declared = buf.readUInt32LE(at + 24);
    total += declared;
    if (total > MAX_XLSX_UNPACKED_BYTES) return '文件解压后过大，请拆分后分批导入';
    // the declared size may lie (a zip bomb): inflate with the declared size as the ceiling before any parser does
    if (
      !unpacksWithin(buf, buf.readUInt16LE(at + 10), buf.readUInt32LE(at + 20), buf.readUInt32LE(at + 42), declared)
    ) {
      return '文件解压后过大或已损坏，请检查后重新导入';
    }
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return null;
}

/** Whether the entry at `localAt` (stored or deflated) unpacks to no more than `declared` bytes. */
function unpacksWithin(buf: Buffer, method: number, compressed: number, localAt: number, declared: number): boolean {
  if (localAt + 30 > buf.length || buf.readUInt32LE(localAt) !== 0x04034b50) return false;
  const start = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
  if (method === 0) return compressed <= declared;
  if (method !== 8) return false;
  try {
    const out = inflateRawSync(buf.subarray(start, start + compressed), { maxOutputLength: Math.max(declared, 1) });
    return out.length <= declared;
  } catch {
    return false;
  }
}

/** The first sheet's rows as text (what Excel shows: a formula's result, a date as written). */
async function xlsxGrid(buf: Buffer): Promise<Grid> {
  const workbook = new ExcelJS.Workbook();
  // exceljs' typings want its own Buffer type
  await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const grid: Grid = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(row.getCell(c).text ?? '');
    grid.push({ line, cells });
  });
  return grid;
}

/**
 * Reads a spreadsheet into kb.jsonl-shaped records. Problems of the sheet itself (not a spreadsheet, unknown or
 * missing columns, too many rows) and of single cells (an unknown 纳税人类型 or 状态) go to `errors`.
 */
export async function readTable(
  format: TableFormat,
  data: string,
  topics: { id: string; name: string }[],
  errors: LineError[],
): Promise<NumberedRecord[]> {
  const file = fileNameOf(format);
  let grid: Grid;
  try {
    if (format === 'csv') {
      grid = csvGrid(data);
    } else {
      const buf = Buffer.from(data, 'base64');
      const bad = checkZipDirectory(buf);
      if (bad) {
        errors.push({ file, line: 0, message: bad });
        return [];
      }
      grid = await xlsxGrid(buf);
    }
  } catch (err) {
    const message =
      format === 'csv'
        ? `CSV 格式不正确（${err instanceof Error && 'lines' in err ? `第 ${String(err.lines)} 行附近` : '无法解析'}）`
        : '不是有效的 Excel（.xlsx）文件';
    errors.push({ file, line: 0, message });
    return [];
  }
  const rows = grid.filter((r) => r.cells.some((c) => c.trim()));
  const [header, ...body] = rows;
  if (!header) {
    errors.push({ file, line: 0, message: '文件中没有任何内容' });
    return [];
  }
  if (body.length > MAX_TABLE_ROWS) {
    errors.push({ file, line: 0, message: `一次最多导入 ${MAX_TABLE_ROWS} 行，请拆分后分批导入` });
    return [];
  }

  const columns = new Map<ColumnKey, number>();
  header.cells.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) return;
    const col = KNOWLEDGE_TABLE_COLUMNS.find((c) => c.header === name || c.key.toLowerCase() === name.toLowerCase());
    if (!col) errors.push({ file, line: header.line, message: `未知的列“${name}”` });
    else if (columns.has(col.key)) errors.push({ file, line: header.line, message: `列“${col.header}”重复` });
    else columns.set(col.key, i);
  });
  for (const col of KNOWLEDGE_TABLE_COLUMNS) {
    if (col.required && !columns.has(col.key)) {
      errors.push({ file, line: header.line, message: `缺少列“${col.header}”` });
    }
  }
  if (errors.length > 0) return [];

  const topicByName = new Map(topics.map((t) => [t.name, t.id]));
  const cell = (cells: string[], key: ColumnKey) => {
    const i = columns.get(key);
    return i === undefined ? '' : unguardFormula((cells[i] ?? '').trim());
  };
  const records: NumberedRecord[] = [];
  for (const { line, cells } of body) {
    const topic = cell(cells, 'topic');
    const types = splitList(cell(cells, 'taxpayerTypes'));
    const unknownType = types.find((t) => !typeByLabel.has(t));
    if (unknownType) {
      errors.push({
        file,
        line,
        message: `纳税人类型“${unknownType}”不正确，应为${Object.values(TAXPAYER_TYPE_LABELS).join('、')}`,
      });
      continue;
    }
    const statusText = cell(cells, 'status');
    const status = statusText ? statusByLabel.get(statusText) : undefined;
    if (statusText && !status) {
      errors.push({ file, line, message: `状态“${statusText}”不正确，应为已发布或草稿` });
      continue;
    }
    const value: Record<string, unknown> = {
      id: cell(cells, 'id'),
      topic: topicByName.get(topic) ?? topic,
      question: cell(cells, 'question'),
      similar: splitList(cell(cells, 'similar')),
      answer: cell(cells, 'answer'),
      documents: splitList(cell(cells, 'documents')),
      audience: {
        taxpayerTypes: types.map((t) => typeByLabel.get(t)),
        industries: splitList(cell(cells, 'industries')),
        regions: splitList(cell(cells, 'regions')),
      },
      keywords: splitList(cell(cells, 'keywords')),
    };
    if (status) value.status = status;
    records.push({ line, value });
  }
  return records;
}

function tableRows(entries: KbLine[]): string[][] {
  return entries.map((e) => {
    const byKey: Record<ColumnKey, string> = {
      id: e.id,
      topic: e.topic,
      question: e.question,
      similar: e.similar.join('\n'),
      answer: e.answer,
      documents: e.documents.join('\n'),
      taxpayerTypes: e.audience.taxpayerTypes.map((t) => TAXPAYER_TYPE_LABELS[t]).join('\n'),
      industries: e.audience.industries.join('\n'),
      regions: e.audience.regions.join('\n'),
      keywords: e.keywords.join('\n'),
      status: STATUS_LABELS[e.status ?? 'published'],
    };
    return KNOWLEDGE_TABLE_COLUMNS.map((c) => byKey[c.key]);
  });
}

const headers = () => KNOWLEDGE_TABLE_COLUMNS.map((c) => c.header);

/** The entries as CSV for Excel (BOM, CRLF; formula-like cells guarded). */
export function entriesToCsv(entries: KbLine[]): string {
  const rows = [headers(), ...tableRows(entries).map((r) => r.map(guardFormula))];
  return `\uFEFF${stringify(rows, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ })}`;
}

/** The entries as an .xlsx workbook: one sheet, bold frozen header, wrapped cells. Strings stay strings. */
export async function entriesToXlsx(entries: KbLine[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '征纳互动';
  const sheet = workbook.addWorksheet('知识条目', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths: Record<ColumnKey, number> = {
    id: 16,
    topic: 8,
    question: 40,
    similar: 40,
    answer: 80,
    documents: 16,
    taxpayerTypes: 14,
    industries: 12,
    regions: 12,
    keywords: 16,
    status: 8,
  };
  sheet.columns = KNOWLEDGE_TABLE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: widths[c.key] }));
  sheet.getRow(1).font = { bold: true };
  for (const row of tableRows(entries)) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
