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

describe('QaEngine.answer — general wording of taxpayers', () => {
  const kb: KbEntry[] = [
    entry('KB-X01-001', '蓝字发票在电子税务局怎么开具？', ['开票流程'], ['蓝字发票开具']),
    entry('KB-X02-001', '购买方已经勾选抵扣的发票，销售方怎么红冲？', ['对方抵扣了还能冲红吗'], ['已勾选']),
    entry('KB-X02-002', '购买方还没有勾选抵扣的发票，销售方怎么红冲？', ['对方未认证能红冲吗'], ['未勾选']),
    entry('KB-X13-001', '电子税务局登录密码忘记了怎么重置？', ['密码输错被锁定了'], ['重置密码']),
    entry('KB-X13-002', '电子税务局怎么切换登录企业身份？', ['切换企业'], ['身份切换']),
    entry('KB-X11-001', '个税汇算退税失败怎么办？', ['退税进度在哪查'], ['退税进度', '更换银行卡']),
    entry('KB-X11-002', '个税汇算退税怎么申请？', ['汇算退税申请'], ['退税申请']),
    entry('KB-X11-003', '哪些情况可以免于办理个税年度汇算？', ['汇算免办条件'], ['免于汇算']),
    entry('KB-X11-004', '哪些情况需要办理个税年度汇算？', ['谁必须汇算'], ['需要汇算']),
    entry('KB-X15-001', '财务报表报送后发现填错了怎么更正？', ['报表更正'], ['报表更正']),
    entry('KB-X15-002', '财务报表的报送期限是什么时候？', ['财报几号前报'], ['报送期限']),
    entry('KB-X19-001', '留言提交后多久能得到回复？', ['留言几天回复'], ['留言时限']),
    entry('KB-X19-002', '留言的处理结果在哪里查看？', ['我的留言在哪'], ['处理结果']),
    entry('KB-X20-001', '对话窗口的字体太小，怎么调大？', ['字号在哪调'], ['字体大小']),
    entry('KB-X20-002', '悬浮图标挡住了页面按钮怎么办？', ['悬浮窗能拖动吗'], ['悬浮图标', '遮挡']),
  ];
  let e: QaEngine;
  beforeAll(() => {
    e = QaEngine.build({ entries: kb });
  });
  const top = (q: string) => e.answer(q).candidates[0]?.entryId;

  it('reads "X票" as "X发票" when X发票 is a known word', () => {
    expect(e.analyze('蓝字票开不出来')).toContain('蓝字发票');
    expect(top('新手第一次开蓝字票，入口在哪')).toBe('KB-X01-001');
  });

  it('keeps "not yet" apart from "already" between sibling entries', () => {
    expect(top('对方公司还没认证那张专票，我能直接开红字吗')).toBe('KB-X02-002');
    expect(top('下游已经抵扣过了，我这边要红冲')).toBe('KB-X02-001');
  });

  it('does not read "前几天" as a question about how long something takes', () => {
    expect(e.analyze('前几天提交的留言')).not.toContain('时限');
    expect(top('我前两天留过言，处理结果去哪看')).toBe('KB-X19-002');
  });

  it('understands everyday words for forgetting, locking, failing and filling in wrongly', () => {
    expect(top('电子税局密码记不清了，账户也被冻结了')).toBe('KB-X13-001');
    expect(top('个税退税一直没成功，说要换银行卡')).toBe('KB-X11-001');
    expect(top('报表交上去以后才看到有个数写错了，能改吗')).toBe('KB-X15-001');
  });

  it('knows the chat window’s own parts by their everyday names', () => {
    expect(top('聊天窗口里的字号能放大点吗')).toBe('KB-X20-001');
    expect(top('那个悬浮球遮住了确定按钮，能移开吗')).toBe('KB-X20-002');
  });

  it('reads "可以不办" as the exemption, not the obligation', () => {
    expect(top('收入不高，个税汇算能不能不用办')).toBe('KB-X11-003');
  });

  it('treats 在哪 / 哪儿 / 哪里 as one question word', () => {
    expect(e.analyze('留言回复在哪儿看')).toContain('哪里');
    expect(e.analyze('在哪能查')).toContain('哪里');
  });
});
