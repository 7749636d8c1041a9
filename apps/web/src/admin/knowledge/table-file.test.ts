import { KNOWLEDGE_TABLE_COLUMNS } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { base64OfBytes, decodeCsv, tableFormatOf, templateCsv } from './table-file.ts';

describe('spreadsheet files', () => {
  it('knows CSV and .xlsx by the extension, in any case', () => {
    expect(tableFormatOf('知识库.CSV')).toBe('csv');
    expect(tableFormatOf('kb.xlsx')).toBe('xlsx');
    expect(tableFormatOf('kb.xls')).toBeNull();
    expect(tableFormatOf('kb.jsonl')).toBeNull();
  });

  it('encodes bytes as base64, also past one chunk', () => {
    expect(base64OfBytes(new TextEncoder().encode('发票'))).toBe(Buffer.from('发票').toString('base64'));
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(base64OfBytes(big.buffer)).toBe(Buffer.from(big).toString('base64'));
  });

  it('reads UTF-8 (BOM dropped) and falls back to GB18030 as Excel saves it', () => {
    expect(decodeCsv(new TextEncoder().encode('\uFEFF编号,专题\r\n'))).toBe('编号,专题\r\n');
    // "编号" in GB18030
    expect(decodeCsv(new Uint8Array([0xb1, 0xe0, 0xba, 0xc5]))).toBe('编号');
  });

  it('builds the template from KNOWLEDGE_TABLE_COLUMNS: only the header row, with a BOM for Excel', () => {
    const csv = templateCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).trimEnd().split(',')).toEqual(KNOWLEDGE_TABLE_COLUMNS.map((c) => c.header));
  });
});
