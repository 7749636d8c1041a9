import { describe, expect, it } from 'vitest';
import type { KbLine, LineError } from './knowledge-jsonl.ts';
import { entriesToCsv, entriesToXlsx, readTable } from './knowledge-table.ts';

const entry: KbLine = {
  id: 'KB-T01-900',
  topic: 'T01',
  question: '=HYPERLINK("http://evil")',
  similar: ['相似一', '相似二'],
  answer: '第一行\n- 第二行，含逗号,和"引号"',
  documents: ['D-A01'],
  audience: { taxpayerTypes: ['general', 'individual'], industries: ['批发业'], regions: [] },
  keywords: ['开票'],
  status: 'draft',
};
const topics = [{ id: 'T01', name: '数电发票开具' }];

describe('knowledge spreadsheets', () => {
  it('reads back what it writes, as CSV and as Excel', async () => {
    for (const [format, data] of [
      ['csv', entriesToCsv([entry])],
      ['xlsx', (await entriesToXlsx([entry])).toString('base64')],
    ] as const) {
      const errors: LineError[] = [];
      const records = await readTable(format, data, topics, errors);
      expect(errors).toEqual([]);
      expect(records).toEqual([{ line: 2, value: entry }]);
    }
  });

  it('guards formula-like cells in CSV so Excel shows them as text', () => {
    const csv = entriesToCsv([entry]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.startsWith('\uFEFF编号,专题')).toBe(true);
  });

  it('refuses a workbook whose zip directory declares a huge unpacked size', async () => {
    const xlsx = await entriesToXlsx([entry]);
    // the central directory entry of the first file: make its uncompressed size 4 GB - 1
    const at = xlsx.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    xlsx.writeUInt32LE(0xffffffff, at + 24);
    const errors: LineError[] = [];
    expect(await readTable('xlsx', xlsx.toString('base64'), topics, errors)).toEqual([]);
    expect(errors).toEqual([{ file: 'kb.xlsx', line: 0, message: '文件解压后过大，请拆分后分批导入' }]);
  });

  it('reports an unterminated quote as a CSV error, not a crash', async () => {
    const errors: LineError[] = [];
    await readTable('csv', '编号,专题,标准问题,答案\nX,T01,"未结束,答\n', topics, errors);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^CSV 格式不正确/);
  });
});
