/**
 * @module
 * What a question asks for, read from its interrogative words alone: a deadline, a yes/no on whether something is
 * needed or allowed, a procedure, an amount, a place, a cause of failure, or a definition. Two sibling entries about
 * the same subject ("汇算的截止时间" / "亏损要不要汇算") differ mostly in this, and a long chatty message often keeps
 * its interrogative even when its other words wander. Patterns are generic Chinese question forms, not domain words.
 */

export const INTENTS = ['when', 'whether', 'how', 'amount', 'where', 'why', 'what'] as const;
export type Intent = (typeof INTENTS)[number];

/** Bit of each intent in a mask. */
export const INTENT_BIT: Record<Intent, number> = {
  when: 1,
  whether: 2,
  how: 4,
  amount: 8,
  where: 16,
  why: 32,
  what: 64,
};

const PATTERNS: [Intent, RegExp][] = [
  ['when', /什么时候|啥时候|何时|截止|期限|哪天|几号|几月|哪个月|最晚|最迟|多久|多长时间|时限|日期/],
  ['whether', /要不要|需不需要|用不用|是否|是不是|能不能|可不可以|可否|必须|能否|会不会|算不算|有没有|[吗嘛](\s|$)/],
  ['how', /怎么(?!回事)|如何|怎样|咋|流程|步骤|操作|办理|办法|方法|方式|途径/],
  ['amount', /多少|税率|征收率|比例|金额|几个点|多大|上限|标准是|扣除额/],
  ['where', /在哪|哪里|哪儿|入口|路径|从哪|什么地方|哪个菜单|哪个模块/],
  ['why', /为什么|为啥|怎么回事|失败|报错|不成功|没\S?成功|提示|原因|异常|不了|不到|不上|过不去/],
  ['what', /什么是|是\S?什么|是\S?啥|啥是|指什么|含义|意思|哪些|包括|影响|后果/],
];

/**
 * Intent bit mask of a normalised question (0 when none of the patterns is present).
 *
 * @example
 * intentMask('汇算清缴哪天截止') === INTENT_BIT.when
 */
export function intentMask(normalized: string): number {
  let mask = 0;
  for (const [intent, re] of PATTERNS) if (re.test(normalized)) mask |= INTENT_BIT[intent];
  return mask;
}

/** Intents of a mask, for display and tests. */
export function intentsOf(mask: number): Intent[] {
  return INTENTS.filter((i) => (mask & INTENT_BIT[i]) !== 0);
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

/**
 * Share of the query's intents that the entry's questions ask too (0–1), given the union of their masks. 0 when the
 * query states no intent; an entry none of whose questions is phrased as a question then agrees with nothing.
 *
 * @example
 * intentAgreement(INTENT_BIT.when | INTENT_BIT.where, INTENT_BIT.when | INTENT_BIT.how) // → 0.5
 */
export function intentAgreement(query: number, entry: number): number {
  if (query === 0) return 0;
  return popcount(query & entry) / popcount(query);
}
