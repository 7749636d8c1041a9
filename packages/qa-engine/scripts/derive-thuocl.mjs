// Derives src/thuocl-words.ts from THUOCL (Tsinghua Open Chinese Lexicon, MIT licence, github.com/thunlp/THUOCL):
// finance (caijing) and law word lists, kept only where a word carries a tax/accounting morpheme and is 2–6 chars.
// Usage: node packages/qa-engine/scripts/derive-thuocl.mjs /work/shared/data/thuocl > packages/qa-engine/src/thuocl-words.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '../shared/data/thuocl';
const MORPHEMES = [
  '税',
  '票',
  '费',
  '额',
  '账',
  '款',
  '缴',
  '抵',
  '扣',
  '申报',
  '登记',
  '注销',
  '征',
  '退',
  '纳',
  '核',
  '审',
  '备案',
  '报表',
  '会计',
  '财务',
  '资产',
  '利润',
  '所得',
  '增值',
  '收入',
  '成本',
  '折旧',
  '负债',
  '预算',
  '清算',
  '滞纳',
  '罚',
  '减免',
  '优惠',
  '补贴',
  '凭证',
  '开具',
  '证明',
  '协议',
  '合同',
  '代理',
  '法人',
  '股东',
  '出口',
  '进口',
  '海关',
  '租赁',
  '工资',
  '薪酬',
  '社保',
  '保险',
  '公积金',
  '账户',
  '银行',
  '结算',
  '支付',
  '转账',
];
const words = new Map();
for (const file of ['THUOCL_caijing.txt', 'THUOCL_law.txt']) {
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    const [w, f] = line.split('\t').map((s) => s.trim());
    if (!w || !/^[\u4e00-\u9fff]{2,6}$/.test(w)) continue;
    if (!MORPHEMES.some((m) => w.includes(m))) continue;
    words.set(w, Math.max(words.get(w) ?? 0, Number(f) || 0));
  }
}
const list = [...words.keys()].sort();
const out = [
  '/**',
  ' * @module',
  ' * Domain words derived from THUOCL (Tsinghua Open Chinese Lexicon), finance and law lists,',
  ' * https://github.com/thunlp/THUOCL (commit a30ce79), MIT licence, Copyright (c) 2016 THUNLP.',
  ' * Filtered by scripts/derive-thuocl.mjs to words of 2–6 characters carrying a tax or accounting morpheme;',
  ' * used only as extra entries of the segmenter dictionary. Regenerate with that script, do not edit by hand.',
  ' */',
  `export const THUOCL_WORDS: string[] = ${JSON.stringify(list)}.slice();`,
  '',
];
process.stdout.write(out.join('\n'));
