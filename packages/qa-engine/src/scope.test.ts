import { beforeAll, describe, expect, it } from 'vitest';
import { QaEngine } from './engine.ts';
import type { KbEntry } from './types.ts';

const everyone = { taxpayerTypes: [], industries: [], regions: [] } as KbEntry['audience'];
function entry(id: string, question: string, similar: string[], keywords: string[]): KbEntry {
  return {
    id,
    topicId: id.slice(3, 6),
    question,
    similar,
    answer: `${question}的答案。`,
    documents: [],
    audience: everyone,
    keywords,
  };
}

const entries: KbEntry[] = [
  entry('KB-T01-001', '数电发票开具的基本流程是什么？', ['数电票怎么开'], ['开票流程']),
  entry('KB-T05-001', '专票怎么勾选抵扣？', ['专票怎么认证'], ['勾选抵扣']),
  entry('KB-T05-008', '普通发票能抵扣吗？', ['普票能不能抵'], ['普通发票']),
  entry('KB-T18-004', '建筑服务选择差额计税，能开增值税专用发票吗？', ['建筑差额开专票'], ['建筑服务', '差额']),
  entry('KB-T19-016', '人工客服可以直接帮我办理业务吗？', ['客服能帮我办吗'], ['人工客服']),
  entry('KB-T20-013', '在对话中可以发送文件吗？', ['能发文件吗'], ['发送文件', '附件']),
];

let engine: QaEngine;
beforeAll(() => {
  engine = QaEngine.build({ entries });
});

describe('scope', () => {
  it('refuses a request with no domain word whose words the knowledge base does not know', () => {
    expect(engine.answer('帮我翻译一段英文').kind).toBe('no_answer');
  });

  it('still answers when an uncovered tax is only mentioned beside the whole of an entry’s question', () => {
    // 房产税 is named nowhere in this knowledge base; the question is the entry's own.
    const o = engine.answer('建筑服务选了差额计税，房产税那块不管，能开增值税专用发票吗');
    expect(o.candidates[0]?.entryId).toBe('KB-T18-004');
    expect(o.kind).not.toBe('no_answer');
  });

  it('refuses a question that is about an uncovered tax', () => {
    expect(engine.answer('房产税怎么计算').kind).toBe('no_answer');
  });
});

describe('lexicon', () => {
  it('reads 数电普票 as both a 数电发票 and a 普票', () => {
    expect(engine.analyze('全电普票')).toEqual(['数电发票', '增值税普通发票']);
  });

  it('reads an upload as sending a file', () => {
    expect(engine.answer('附件能上传吗').candidates[0]?.entryId).toBe('KB-T20-013');
  });
});
