import { describe, expect, it } from 'vitest';
import { parseSynonymLines, synonymLines } from './synonym-lines.ts';

describe('parseSynonymLines', () => {
  it('splits each line on spaces, commas, semicolons and 、 and drops empty lines', () => {
    const text = '增值税专用发票、专票，增票\n\n  个税 个人所得税  \r\n社保,社会保险费；社保费;五险\n   \n';
    expect(parseSynonymLines(text)).toEqual({
      groups: [
        ['增值税专用发票', '专票', '增票'],
        ['个税', '个人所得税'],
        ['社保', '社会保险费', '社保费', '五险'],
      ],
      errors: [],
    });
  });

  it('keeps the first word first and drops repeats within a line', () => {
    expect(parseSynonymLines('专票 专票、增值税专用发票 专票').groups).toEqual([['专票', '增值税专用发票']]);
  });

  it('treats full-width letters and spaces like the server does (NFKC)', () => {
    expect(parseSynonymLines('ＶＡＴ\u3000VAT　增值税').groups).toEqual([['VAT', '增值税']]);
  });

  it('reports a line with fewer than two words by its line number in the text', () => {
    const { errors } = parseSynonymLines('个税 个人所得税\n\n专票\n发票、发票');
    expect(errors).toEqual(['第 3 行至少要有两个词', '第 4 行至少要有两个词']);
  });

  it('reports a word in two lines', () => {
    const { errors } = parseSynonymLines('专票 增值税专用发票\n个税 个人所得税\n增票、专票');
    expect(errors).toEqual(['“专票”同时出现在第 1 行和第 3 行，请合并为一行']);
  });

  it('applies the contract limits with its Chinese messages', () => {
    const long = '税'.repeat(31);
    expect(parseSynonymLines(`发票 ${long}`).errors).toEqual([`第 1 行的“${long}”：同义词不能超过 30 字`]);
    const many = Array.from({ length: 31 }, (_, i) => `词${i}`).join(' ');
    expect(parseSynonymLines(many).errors).toEqual(['第 1 行：每组同义词最多 30 个词']);
    const lines = Array.from({ length: 5001 }, (_, i) => `甲${i} 乙${i}`).join('\n');
    expect(parseSynonymLines(lines).errors).toEqual(['同义词最多 5000 组']);
  });

  it('lists problems in line order', () => {
    const { errors } = parseSynonymLines('甲 乙\n丙\n乙 丁');
    expect(errors).toEqual(['第 2 行至少要有两个词', '“乙”同时出现在第 1 行和第 3 行，请合并为一行']);
  });

  it('reads an empty text as no groups', () => {
    expect(parseSynonymLines('')).toEqual({ groups: [], errors: [] });
    expect(parseSynonymLines('\n \n')).toEqual({ groups: [], errors: [] });
  });
});

describe('synonymLines', () => {
  it('writes one group per line, words joined by 、', () => {
    expect(
      synonymLines([
        ['增值税专用发票', '专票'],
        ['个税', '个人所得税', 'IIT'],
      ]),
    ).toBe('增值税专用发票、专票\n个税、个人所得税、IIT');
    expect(synonymLines([])).toBe('');
  });

  it('round-trips groups → lines → groups', () => {
    const groups = [
      ['增值税专用发票', '专票', '增票'],
      ['个税', '个人所得税'],
      ['VAT', '增值税'],
    ];
    expect(parseSynonymLines(synonymLines(groups))).toEqual({ groups, errors: [] });
  });
});
