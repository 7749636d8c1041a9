import { describe, expect, it } from 'vitest';
import { QaEngine } from './engine.ts';
import { INTENT_BIT, intentAgreement, intentMask, intentsOf } from './intent.ts';
import { normalizeText } from './normalize.ts';
import type { KbEntry } from './types.ts';

const of = (q: string) => intentsOf(intentMask(normalizeText(q)));

describe('intentMask', () => {
  it('reads the asked-for thing from generic interrogatives', () => {
    expect(of('报送期限是什么时候？')).toContain('when');
    expect(of('这个要不要备案')).toEqual(['whether']);
    expect(of('能开专票吗？')).toEqual(['whether']);
    expect(of('具体怎么操作')).toEqual(['how']);
    expect(of('税率是多少')).toContain('amount');
    expect(of('入口在哪里')).toEqual(['where']);
    expect(of('为什么一直提示失败')).toEqual(['why']);
    expect(of('这个是什么意思')).toEqual(['what']);
  });

  it('keeps "怎么回事" a why, not a how', () => {
    expect(of('扣款怎么回事')).toEqual(['why']);
  });

  it('is empty for a bare topic', () => {
    expect(intentMask(normalizeText('发票红冲'))).toBe(0);
  });
});

describe('intentAgreement', () => {
  it('is the share of the query intents some entry question asks', () => {
    const entry = INTENT_BIT.when | INTENT_BIT.how | INTENT_BIT.whether;
    expect(intentAgreement(INTENT_BIT.when, entry)).toBe(1);
    expect(intentAgreement(INTENT_BIT.when | INTENT_BIT.where, entry)).toBe(0.5);
    expect(intentAgreement(INTENT_BIT.why, entry)).toBe(0);
    expect(intentAgreement(0, entry)).toBe(0);
  });
});

const everyone = { taxpayerTypes: [], industries: [], regions: [] } as KbEntry['audience'];
function entry(id: string, question: string, similar: string[], keywords: string[]): KbEntry {
  return {
    id,
    topicId: 'T12',
    question,
    similar,
    answer: `${question}的答案。`,
    documents: [],
    audience: everyone,
    keywords,
  };
}

describe('re-ranking by question intent', () => {
  // Two siblings on one subject: one asks when, the other whether.
  const engine = QaEngine.build({
    entries: [
      entry('KB-DEADLINE', '年度汇算清缴的截止时间是什么时候？', ['汇算清缴期限', '年报最晚几号'], ['汇算清缴']),
      entry('KB-WHETHER', '没有经营还需要做年度汇算清缴吗？', ['没业务要不要汇算'], ['汇算清缴']),
      // unrelated entries, so that the shared words have a realistic rarity
      entry('KB-F0', '发票怎么红冲？', ['红冲流程'], ['红冲']),
      entry('KB-F1', '专票怎么勾选抵扣？', ['专票怎么认证'], ['勾选抵扣']),
      entry('KB-F2', '电子税务局密码忘了怎么重置？', ['忘记密码'], ['密码']),
      entry('KB-F3', '三方协议怎么签？', ['签三方'], ['三方协议']),
      entry('KB-F4', '开票额度不够怎么办？', ['提额'], ['开票额度']),
      entry('KB-F5', '小规模纳税人征收率是多少？', ['小规模税率'], ['征收率']),
    ],
  });

  it('prefers the sibling whose questions ask what the message asks', () => {
    expect(engine.answer('停业的公司年度汇算清缴最迟哪天要做完').candidates[0]?.entryId).toBe('KB-DEADLINE');
    // On words alone the deadline entry shares more with this message (年度, 汇算清缴); the message asks whether.
    expect(engine.answer('停业的公司年度汇算清缴用不用做').candidates[0]?.entryId).toBe('KB-WHETHER');
  });

  it('lists candidates (answer or clarify) in re-ranked order', () => {
    for (const q of ['停业的公司年度汇算清缴用不用做', '年度汇算清缴哪天截止', '汇算清缴']) {
      const scores = engine.answer(q).candidates.map((c) => c.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });
});
