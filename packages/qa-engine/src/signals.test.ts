import { describe, expect, it } from 'vitest';
import {
  type DialogueState,
  detectHandoffIntent,
  detectHandoffKeyword,
  detectUnhelpful,
  initialDialogueState,
  scoreEmotion,
  stepDialogue,
} from './signals.ts';
import type { OutcomeKind } from './types.ts';

function replay(turns: [string, OutcomeKind][]) {
  let state: DialogueState = initialDialogueState();
  for (let i = 0; i < turns.length; i++) {
    const [text, outcome] = turns[i]!;
    const r = stepDialogue(state, { type: 'message', text, outcome });
    state = r.state;
    if (r.handoff) return { at: i, reason: r.handoff.reason };
  }
  return null;
}

describe('handoff keyword', () => {
  it('fires on requests for a human', () => {
    expect(detectHandoffKeyword('麻烦给我转人工')).toBe(true);
    expect(detectHandoffKeyword('人工客服在吗')).toBe(true);
  });
  it('does not fire on 人工 as a cost or AI', () => {
    expect(detectHandoffKeyword('人工成本怎么扣除')).toBe(false);
    expect(detectHandoffKeyword('人工智能公司开票税率')).toBe(false);
    expect(detectHandoffKeyword('装修的人工费能开票吗')).toBe(false);
  });
});

describe('handoff intent', () => {
  it('recognises asking for a person in other words', () => {
    expect(detectHandoffIntent('能不能找个工作人员打电话给我')).toBe(true);
    expect(detectHandoffIntent('不想和机器人说了')).toBe(true);
  });
  it('ignores ordinary questions', () => {
    expect(detectHandoffIntent('人工智能企业能享受什么优惠')).toBe(false);
    expect(detectHandoffIntent('客服周末有人值班吗')).toBe(false);
  });
});

describe('emotion', () => {
  it('scores anger high', () => {
    expect(scoreEmotion('这破平台气死人了！！！').intensity).toBeGreaterThanOrEqual(0.7);
  });
  it('cancels negated terms', () => {
    expect(scoreEmotion('我不生气，就是问问').intensity).toBe(0);
  });
  it('keeps mild complaints low', () => {
    expect(scoreEmotion('流程稍微有点麻烦').intensity).toBeLessThan(0.7);
  });
});

describe('stepDialogue', () => {
  it('hands off at the third consecutive no-answer', () => {
    expect(
      replay([
        ['甲', 'no_answer'],
        ['乙', 'no_answer'],
        ['丙', 'no_answer'],
      ]),
    ).toEqual({ at: 2, reason: 'no_answer' });
  });
  it('hands off at the second consecutive "didn’t help"', () => {
    expect(
      replay([
        ['红冲怎么做', 'answer'],
        ['说的不是我要的', 'no_answer'],
        ['还是没用', 'no_answer'],
      ]),
    ).toEqual({
      at: 2,
      reason: 'unresolved',
    });
  });
  it('resets the unhelpful streak when the next question is answered', () => {
    expect(
      replay([
        ['红冲怎么做', 'answer'],
        ['没用', 'no_answer'],
        ['那部分红冲呢', 'answer'],
        ['好的', 'smalltalk'],
      ]),
    ).toBeNull();
  });
  it('counts negative feedback events', () => {
    let s = initialDialogueState();
    s = stepDialogue(s, { type: 'feedback', helpful: false }).state;
    expect(stepDialogue(s, { type: 'feedback', helpful: false }).handoff?.reason).toBe('unresolved');
  });
  it('never hands off on 人工成本 questions', () => {
    expect(
      replay([
        ['人工成本能税前扣除吗', 'no_answer'],
        ['好的谢谢', 'smalltalk'],
      ]),
    ).toBeNull();
  });
  it('does not mistake "没用过" for feedback', () => {
    expect(detectUnhelpful('我还没用过数电票')).toBe(false);
  });

  it('hands over when two answers in a row get 没用, even with a new question between the clicks', () => {
    let state = initialDialogueState();
    state = stepDialogue(state, { type: 'message', text: '小规模纳税人季度申报表怎么填', outcome: 'answer' }).state;
    state = stepDialogue(state, { type: 'feedback', helpful: false }).state;
    state = stepDialogue(state, { type: 'message', text: '那免税销售额填在哪一栏', outcome: 'answer' }).state;
    const second = stepDialogue(state, { type: 'feedback', helpful: false });
    expect(second.handoff?.reason).toBe('unresolved');
  });

  it('does not count a 没用 from long ago once later answers went unchallenged', () => {
    let state = initialDialogueState();
    state = stepDialogue(state, { type: 'message', text: '开票额度怎么调整', outcome: 'answer' }).state;
    state = stepDialogue(state, { type: 'feedback', helpful: false }).state;
    state = stepDialogue(state, { type: 'message', text: '调整要多久审核', outcome: 'answer' }).state;
    state = stepDialogue(state, { type: 'message', text: '红字发票怎么开', outcome: 'answer' }).state;
    expect(stepDialogue(state, { type: 'feedback', helpful: false }).handoff).toBeNull();
  });
});
