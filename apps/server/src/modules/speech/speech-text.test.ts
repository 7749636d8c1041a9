/** Recognised text as it reaches the input box: tidied like typed Chinese, segments punctuated, the end closed. */
import { describe, expect, it } from 'vitest';
import { closeText, punctuateSegment, tidyRecognized } from './speech-text.ts';

describe('tidyRecognized', () => {
  it('takes out the spaces recognisers put between Chinese tokens', () => {
    expect(tidyRecognized('我 想 问 一下  发票  怎么 开')).toBe('我想问一下发票怎么开');
    expect(tidyRecognized('  小规模 纳税人\t申报 ')).toBe('小规模纳税人申报');
  });

  it('keeps one space between Latin words, none next to Chinese, and the case as emitted', () => {
    expect(tidyRecognized('我 的 UKey 密码 忘 了')).toBe('我的UKey密码忘了');
    expect(tidyRecognized('HELLO   WORLD 你好')).toBe('HELLO WORLD你好');
    expect(tidyRecognized('CA 证书 和 UKey , CA 锁')).toBe('CA证书和UKey, CA锁');
    expect(tidyRecognized('2023 年 3 月 的 发票')).toBe('2023年3月的发票');
  });

  it('NFKC: full-width letters and figures become half-width, Chinese punctuation stays full-width', () => {
    expect(tidyRecognized('ＵＫｅｙ还要吗？')).toBe('UKey还要吗？');
    expect(tidyRecognized('税率１３％，对吗？')).toBe('税率13%，对吗？');
    expect(tidyRecognized('你好,请问:怎么开票?')).toBe('你好，请问：怎么开票？');
    expect(tidyRecognized('金额是1.5万元')).toBe('金额是1.5万元');
    // the test recogniser writes full-width figures with spaces, as some recognisers do
    expect(tidyRecognized('测试识别第１段 已 收到 １．２ 秒')).toBe('测试识别第1段已收到1.2秒');
  });

  it('spoken percentages become figures', () => {
    expect(tidyRecognized('税率是百分之十三')).toBe('税率是13%');
    expect(tidyRecognized('百分之六')).toBe('6%');
    expect(tidyRecognized('征收率 百分之 三 吗')).toBe('征收率3%吗');
    expect(tidyRecognized('减按百分之零点五')).toBe('减按0.5%');
    expect(tidyRecognized('百分之二十五的税率')).toBe('25%的税率');
    expect(tidyRecognized('百分之一百')).toBe('100%');
    expect(tidyRecognized('百分之13')).toBe('13%');
  });

  it('leaves words that only look like numbers, and amounts it cannot read exactly', () => {
    expect(tidyRecognized('一般纳税人')).toBe('一般纳税人');
    expect(tidyRecognized('十分感谢')).toBe('十分感谢');
    expect(tidyRecognized('我百分之百确定')).toBe('我百分之百确定');
    expect(tidyRecognized('大概百分之十几')).toBe('大概百分之十几');
    expect(tidyRecognized('百分之二十多')).toBe('百分之二十多');
    expect(tidyRecognized('一二三四五六七八')).toBe('一二三四五六七八');
    // "个点" is left in words for display (三个点 may be three points); the bot reads it as % itself
    expect(tidyRecognized('三个点')).toBe('三个点');
  });

  it('fixes the known mis-hearings of tax terms, not words that are right', () => {
    expect(tidyRecognized('增殖税 专漂 怎么 申抱')).toBe('增值税专票怎么申报');
    expect(tidyRecognized('登陆 电子税物局')).toBe('登录电子税务局');
    expect(tidyRecognized('我不会算')).toBe('我不会算');
    expect(tidyRecognized('发标书')).toBe('发标书');
  });

  it('nothing said is empty', () => {
    expect(tidyRecognized('')).toBe('');
    expect(tidyRecognized('   ')).toBe('');
    expect(tidyRecognized('。')).toBe('');
  });
});

describe('punctuateSegment', () => {
  it('a question gets ？', () => {
    for (const q of [
      '发票怎么开',
      '小规模纳税人可以开专票吗',
      '那专票呢',
      '是这样么',
      '是一般纳税人对吧',
      '税率是多少',
      '多久能到账',
      '去哪里办',
      '需要几天',
      '能不能红冲',
      '是不是要先认证',
      '有没有滞纳金',
      '可不可以线上办',
      '为什么申报失败',
      '是否需要盖章',
      '如何作废',
    ]) {
      expect(punctuateSegment(q), q).toBe(`${q}？`);
    }
  });

  it('a statement gets ，', () => {
    for (const s of [
      '我是一般纳税人',
      '我想开一张发票',
      '没什么',
      '发票什么的都开好了',
      '怎么也打不开',
      '前几天已经申报了',
      '十分感谢',
      '好吧',
      '我不得不重新申报',
    ]) {
      expect(punctuateSegment(s), s).toBe(`${s}，`);
    }
  });

  it('empty stays empty; a segment already punctuated is left', () => {
    expect(punctuateSegment('')).toBe('');
    expect(punctuateSegment('你好。')).toBe('你好。');
    expect(punctuateSegment('可以吗？')).toBe('可以吗？');
    expect(punctuateSegment('好的！')).toBe('好的！');
  });

  it('composes with tidyRecognized', () => {
    expect(punctuateSegment(tidyRecognized('征收 率 是 百分之 三 吗'))).toBe('征收率是3%吗？');
  });
});

describe('closeText', () => {
  it('the trailing ，becomes 。', () => {
    expect(closeText('你好，我想开发票，')).toBe('你好，我想开发票。');
    expect(closeText('发票怎么开？')).toBe('发票怎么开？');
    expect(closeText('你好。')).toBe('你好。');
    expect(closeText('')).toBe('');
  });
});
