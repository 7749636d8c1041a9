import { beforeAll, describe, expect, it } from 'vitest';
import { QaEngine } from './engine.ts';
import type { KbEntry } from './types.ts';

const everyone = { taxpayerTypes: [], industries: [], regions: [] } as KbEntry['audience'];
function entry(id: string, question: string, similar: string[], keywords: string[], audience = everyone): KbEntry {
  return {
    id,
    topicId: id.slice(3, 6),
    question,
    similar,
    answer: `${question}的答案。`,
    documents: [],
    audience,
    keywords,
  };
}

const entries: KbEntry[] = [
  entry('KB-T01-001', '数电发票开具的基本流程是什么？', ['数电票怎么开'], ['开票流程']),
  entry('KB-T02-001', '数电发票开错了如何办理红冲？', ['红字发票怎么开'], ['红冲']),
  entry('KB-T03-001', '开票额度不够用怎么申请调整？', ['额度不足'], ['额度调整']),
  entry('KB-T09-002', '一般纳税人增值税每月申报期限是哪天？', ['一般纳税人几号前报税'], ['申报期限'], {
    taxpayerTypes: ['general'],
    industries: [],
    regions: [],
  }),
  entry('KB-T09-003', '小规模纳税人增值税按季申报期限是哪天？', ['小规模季度报税截止'], ['申报期限'], {
    taxpayerTypes: ['small_scale'],
    industries: [],
    regions: [],
  }),
  entry('KB-T13-009', '电子税务局登录密码忘了怎么重置？', ['密码锁了'], ['重置密码']),
  entry('KB-T14-001', '签了三方协议如何网上缴税？', ['三方协议扣款'], ['缴税']),
];

let engine: QaEngine;
beforeAll(() => {
  engine = QaEngine.build({ entries });
});

describe('QaEngine.answer', () => {
  it('finds the 数电票 entry from 全电发票 wording', () => {
    const o = engine.answer('全电发票填错了，冲红要怎么弄');
    expect(o.candidates[0]?.entryId).toBe('KB-T02-001');
    expect(o.terms).toContain('红冲');
  });

  it('tolerates a typo (登陆 for 登录, one wrong character)', () => {
    expect(engine.answer('电子税务局登陆密码记不住了').candidates[0]?.entryId).toBe('KB-T13-009');
    expect(engine.answer('开票额渡不够了能调吗').candidates[0]?.entryId).toBe('KB-T03-001');
  });

  it('never answers small talk with an entry', () => {
    for (const q of ['您好呀', '多谢啦，很有帮助', '好嘞 收到', '拜拜啦']) {
      const o = engine.answer(q);
      expect(o.kind).toBe('smalltalk');
      expect(o.entryId).toBeNull();
      expect(o.smalltalkReply).toBeTruthy();
    }
  });

  it('does not treat a question that starts politely as small talk', () => {
    expect(engine.answer('你好，额度不够怎么申请调高').kind).not.toBe('smalltalk');
  });

  it('refuses questions about taxes the KB does not cover and off-topic requests', () => {
    expect(engine.answer('城镇土地使用税怎么算').kind).toBe('no_answer');
    expect(engine.answer('今天北京天气怎么样').kind).toBe('no_answer');
  });

  it('understands a follow-up with the previous question as context', () => {
    const first = engine.answer('一般纳税人每个月最晚几号报税');
    expect(first.candidates[0]?.entryId).toBe('KB-T09-002');
    const next = engine.answer('那小规模呢', {
      context: { previousQuery: '一般纳税人每个月最晚几号报税', previousEntryId: first.entryId },
    });
    expect(next.usedContext).toBe(true);
    expect(next.candidates[0]?.entryId).toBe('KB-T09-003');
  });

  it('prefers the entry for the asker’s taxpayer type among near-equal ones', () => {
    const q = '增值税申报期限';
    const small = engine.answer(q, { profile: { taxpayerType: 'small_scale' } });
    const general = engine.answer(q, { profile: { taxpayerType: 'general' } });
    expect(small.candidates[0]?.entryId).toBe('KB-T09-003');
    expect(general.candidates[0]?.entryId).toBe('KB-T09-002');
  });

  it('handles bad input without throwing', () => {
    const inputs = ['', '   ', '😀😀😀', 'x'.repeat(10_000), "'; DROP TABLE kb; --", '？？？', '红冲'.repeat(5000)];
    for (const q of inputs) {
      const o = engine.answer(q);
      expect(['answer', 'clarify', 'no_answer', 'smalltalk']).toContain(o.kind);
    }
    expect(engine.answer('').kind).toBe('no_answer');
    expect(engine.answer("'; DROP TABLE kb; --").kind).toBe('no_answer');
  });

  it('offers 2–4 choices when it asks to clarify', () => {
    const kinds = ['额度', '申报期限', '开票'].map((q) => engine.answer(q));
    for (const o of kinds) if (o.kind === 'clarify') expect(o.candidates.length).toBeGreaterThanOrEqual(2);
  });

  it('reports its size', () => {
    expect(engine.size).toBe(entries.length);
  });
});
