/**
 * @module
 * Dialogue signals for handing a conversation to a human: explicit keywords, a request for a person in other words,
 * strong negative emotion, repeated no-answers, repeated "that didn't help", and a long unresolved exchange.
 * Every detector is a pure function; {@link stepDialogue} folds one turn into the state and says why it hands off.
 */
import type { OutcomeKind } from './types.ts';

export type HandoffReason = 'keyword' | 'intent' | 'emotion' | 'no_answer' | 'unresolved' | 'multi_turn';

export type DialogueState = {
  turns: number;
  noAnswerStreak: number;
  unhelpfulStreak: number;
  /** Consecutive taxpayer turns without an accepted answer (no answer, clarify, or marked unhelpful). */
  unresolvedTurns: number;
  previousQuery?: string;
  previousEntryId?: string | null;
  /** The last answer got a 没用 click: the next question continues the unhelpful streak instead of ending it. */
  unhelpfulFeedbackPending?: boolean;
};

export type SignalConfig = {
  handoffKeywords: string[];
  /** Consecutive no-answers that hand off (fires on the Nth). */
  noAnswerLimit: number;
  /** Consecutive "didn't help" replies that hand off (fires on the Nth). */
  unhelpfulLimit: number;
  /** Consecutive unresolved turns that hand off. */
  multiTurnLimit: number;
  /** Emotion intensity (0–1) at which a message hands off. */
  emotionThreshold: number;
};

export const DEFAULT_HANDOFF_KEYWORDS = [
  '转人工',
  '转接人工',
  '人工客服',
  '人工坐席',
  '人工服务',
  '找人工',
  '我要人工',
  '要人工',
  '接人工',
  '呼叫人工',
  '人工台',
  '真人客服',
  '转客服',
  '人工咨询',
];

export const DEFAULT_SIGNAL_CONFIG: SignalConfig = {
  handoffKeywords: DEFAULT_HANDOFF_KEYWORDS,
  noAnswerLimit: 3,
  unhelpfulLimit: 2,
  multiTurnLimit: 6,
  emotionThreshold: 0.7,
};

function compact(text: string): string {
  return (typeof text === 'string' ? text : '')
    .slice(0, 2000)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Words that contain 人工 but are about costs or AI, never about a person. */
const NOT_A_PERSON = /人工(成本|费用?|工资|智能|合成|降雨|湖|岛|造|呼吸|授精|调整|审核|核定|干预)/g;

/**
 * True when the text asks for a human with one of the handoff phrases. "人工成本怎么扣除" and "人工智能" do not count,
 * nor does a mention of the service itself ("人工服务时间是几点").
 *
 * @example
 * detectHandoffKeyword('帮我转人工') // → true
 * detectHandoffKeyword('人工成本能扣除吗') // → false
 */
export function detectHandoffKeyword(text: string, keywords: string[] = DEFAULT_HANDOFF_KEYWORDS): boolean {
  const t = compact(text).replace(NOT_A_PERSON, '');
  for (const k of keywords) {
    const key = compact(k);
    if (!key) continue;
    let at = t.indexOf(key);
    while (at >= 0) {
      const after = t.slice(at + key.length, at + key.length + 4);
      // Talking about the service, not asking for it: "人工服务时间", "人工客服说…", "人工客服回复…".
      if (!/^(时间|几点|说|讲|回复|回答|给我转了|电话是)/.test(after)) return true;
      at = t.indexOf(key, at + 1);
    }
  }
  return false;
}

const PERSON = '(真人|活人|人工|工作人员|客服专员|专员|坐席|税务老师|老师|客服人员|税务人员|专管员|管理员|同事|客服)';
const INTENT_PATTERNS = [
  // 让/叫/换/找/安排 … 真人/工作人员/坐席
  new RegExp(`(让|叫|换|找|安排|派|请|要|接|联系|转给|转到|交给)[^，。]{0,7}${PERSON}`),
  // 跟/和/与 … 真人/专员 … 沟通/聊/对接
  new RegExp(`(跟|和|与)[^，。]{0,8}${PERSON}[^，。]{0,6}(沟通|聊|说|讲|谈|对接|联系)`),
  /不(想|要|愿意)(再)?(跟|和|与)?(机器|机器人|智能|ai|自动)/,
  /(机器人|机器)(解决不了|说不清|不行|听不懂)/,
  /(有没有|有没)(人|真人|活人)(能|可以)?(帮|管|回|接)/,
];

/**
 * True when the text asks for a person without a handoff keyword ("能不能让真人来", "叫你们工作人员联系我").
 *
 * @example
 * detectHandoffIntent('麻烦安排一位老师跟我对接') // → true
 * detectHandoffIntent('人工智能企业开票税率') // → false
 */
export function detectHandoffIntent(text: string): boolean {
  const t = (typeof text === 'string' ? text : '')
    .slice(0, 2000)
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOT_A_PERSON, '');
  // Questions about the service ("客服周末有真人值班吗") are not requests.
  if (/(值班|上班|服务时间|几点|工作时间)/.test(t) && !/(让|叫|安排|换)/.test(t)) return false;
  return INTENT_PATTERNS.some((p) => p.test(t));
}

/** Curated negative-emotion lexicon with weights (0–1). Longer phrases are checked first. */
const EMOTION_TERMS: [string, number][] = [
  ['气死', 0.9],
  ['烦死', 0.9],
  ['急死', 0.85],
  ['气炸', 0.9],
  ['垃圾', 0.85],
  ['什么破', 0.85],
  ['破系统', 0.85],
  ['破平台', 0.85],
  ['破网站', 0.85],
  ['我要投诉', 0.9],
  ['投诉你们', 0.9],
  ['要投诉', 0.85],
  ['去投诉', 0.85],
  ['举报你们', 0.9],
  ['搞什么', 0.75],
  ['坑人', 0.8],
  ['骗子', 0.8],
  ['受够了', 0.85],
  ['忍无可忍', 0.9],
  ['太差劲', 0.8],
  ['差劲', 0.6],
  ['恶心', 0.75],
  ['废物', 0.9],
  ['狗屁', 0.9],
  ['妈的', 0.9],
  ['他妈', 0.9],
  ['tmd', 0.9],
  ['有病', 0.7],
  ['崩溃', 0.7],
  ['要疯了', 0.8],
  ['太过分', 0.8],
  ['过分', 0.5],
  ['不作为', 0.8],
  ['火大', 0.8],
  ['愤怒', 0.8],
  ['气人', 0.7],
  ['无语', 0.6],
  ['离谱', 0.55],
  ['生气', 0.55],
  ['着急', 0.35],
  ['折腾', 0.4],
  ['没人管', 0.5],
  ['浪费时间', 0.55],
  ['到底能不能', 0.45],
  ['失望', 0.5],
  ['不满', 0.5],
  ['投诉', 0.4],
  ['烦', 0.45],
  ['急', 0.3],
  ['郁闷', 0.4],
  ['闹心', 0.45],
  ['麻烦', 0.2],
  ['复杂', 0.15],
  ['慢', 0.2],
  ['难用', 0.4],
];
const NEGATORS = ['不', '没', '别', '没有', '并不', '不是', '不会', '不用', '无需'];
const INTENSIFIERS = ['太', '真', '非常', '特别', '极其', '超级', '超', '简直', '实在', '到底', '究竟'];
const DOWNTONERS = ['有点', '稍微', '一点', '略', '有些', '稍'];

/**
 * Negative-emotion intensity (0–1) with the terms that triggered it. Negation just before a term cancels it
 * ("不生气"), intensifiers raise it, downtoners ("有点慢") lower it, and "！！！" adds to it.
 *
 * @example
 * scoreEmotion('什么破系统，气死了！！').intensity // → 1
 * scoreEmotion('我不生气，就问问').intensity // → 0
 */
export function scoreEmotion(text: string): { intensity: number; terms: string[] } {
  const raw = (typeof text === 'string' ? text : '').slice(0, 2000).normalize('NFKC').toLowerCase();
  const t = raw.replace(NOT_A_PERSON, '');
  const found: { term: string; value: number }[] = [];
  const used = new Array<boolean>(t.length).fill(false);
  for (const [term, weight] of EMOTION_TERMS) {
    let at = t.indexOf(term);
    while (at >= 0) {
      const overlaps = used.slice(at, at + term.length).some(Boolean);
      if (!overlaps) {
        for (let i = at; i < at + term.length; i++) used[i] = true;
        const before = t.slice(Math.max(0, at - 3), at);
        if (!NEGATORS.some((n) => before.endsWith(n) || before.slice(0, -1).endsWith(n))) {
          let value = weight;
          if (INTENSIFIERS.some((w) => before.endsWith(w))) value *= 1.3;
          if (DOWNTONERS.some((w) => before.endsWith(w) || before.slice(0, -1).endsWith(w))) value *= 0.5;
          found.push({ term, value });
        }
      }
      at = t.indexOf(term, at + term.length);
    }
  }
  const bangs = (raw.match(/!/g) ?? []).length;
  const questions = (raw.match(/\?/g) ?? []).length;
  if (found.length === 0) return { intensity: 0, terms: [] };
  found.sort((a, b) => b.value - a.value);
  let intensity = found[0]!.value;
  for (const f of found.slice(1)) intensity += f.value * 0.25;
  if (bangs >= 3) intensity += 0.2;
  else if (bangs >= 1) intensity += 0.1;
  if (questions >= 3) intensity += 0.05;
  return { intensity: Math.min(1, Math.round(intensity * 100) / 100), terms: found.map((f) => f.term) };
}

const UNHELPFUL = [
  '没用',
  '没有用',
  '无用',
  '不是这个意思',
  '不是我要的',
  '不是我想要的',
  '不是我问的',
  '不是我想问的',
  '答非所问',
  '不沾边',
  '问的没关系',
  '没什么关系',
  '牛头不对马嘴',
  '文不对题',
  '没帮助',
  '没有帮助',
  '没解决',
  '没有解决',
  '还是不对',
  '还是不行',
  '说的不对',
  '答得不对',
  '回答不对',
  '等于没说',
  '看不懂',
  '没看懂',
];
/** "没用" that is not feedback: "没用过", "没用的纸质发票", "没用完". */
const NOT_FEEDBACK = /没(有)?用(过|的|完|到|上|掉)/g;

/**
 * True when a typed message says the last answer did not help ("没用", "不是这个意思", "答非所问").
 *
 * @example
 * detectUnhelpful('不是这个意思，我问的是模板') // → true
 * detectUnhelpful('手上还有没用的发票') // → false
 */
export function detectUnhelpful(text: string): boolean {
  const t = compact(text).replace(NOT_FEEDBACK, '');
  return UNHELPFUL.some((p) => t.includes(p));
}

/** State before the first taxpayer turn. */
export function initialDialogueState(): DialogueState {
  return {
    turns: 0,
    noAnswerStreak: 0,
    unhelpfulStreak: 0,
    unresolvedTurns: 0,
    previousQuery: undefined,
    previousEntryId: null,
  };
}

export type DialogueEvent =
  | { type: 'message'; text: string; outcome: OutcomeKind; entryId?: string | null }
  | { type: 'feedback'; helpful: boolean };

export type DialogueStep = { state: DialogueState; handoff: null | { reason: HandoffReason; detail: string } };

/**
 * One taxpayer turn (their text + what the bot did with it, or a feedback event) → next state and the handoff
 * decision with its reason. Signals are checked in order of how clearly they express the wish for a person:
 * keyword, intent, emotion, unresolved, no answer, long unresolved exchange.
 *
 * @example
 * let s = initialDialogueState();
 * const r = stepDialogue(s, { type: 'message', text: '转人工', outcome: 'no_answer' });
 * r.handoff // → { reason: 'keyword', detail: '转人工' }
 */
export function stepDialogue(state: DialogueState, event: DialogueEvent, config?: Partial<SignalConfig>): DialogueStep {
  const c = { ...DEFAULT_SIGNAL_CONFIG, ...config };
  const next: DialogueState = { ...state };
  if (event.type === 'feedback') {
    if (event.helpful) {
      next.unhelpfulStreak = 0;
      next.unresolvedTurns = 0;
      return { state: next, handoff: null };
    }
    next.unhelpfulStreak += 1;
    next.unresolvedTurns += 1;
    next.unhelpfulFeedbackPending = true;
    if (next.unhelpfulStreak >= c.unhelpfulLimit) {
      return { state: next, handoff: { reason: 'unresolved', detail: `${next.unhelpfulStreak} 次反馈没有帮助` } };
    }
    return { state: next, handoff: null };
  }

  const text = typeof event.text === 'string' ? event.text : '';
  next.turns += 1;
  const unhelpful = detectUnhelpful(text);
  if (unhelpful) {
    next.unhelpfulStreak += 1;
    next.unresolvedTurns += 1;
  } else {
    // a new question after a 没用 click does not undo it: two unhelpful answers in a row hand over, with or without
    // questions in between; an answer the taxpayer went on from without complaint ends the streak
    if (!state.unhelpfulFeedbackPending) next.unhelpfulStreak = 0;
    next.unhelpfulFeedbackPending = false;
    if (event.outcome === 'no_answer') next.noAnswerStreak += 1;
    else if (event.outcome === 'answer' || event.outcome === 'clarify') next.noAnswerStreak = 0;
    if (event.outcome === 'answer') next.unresolvedTurns = 0;
    else if (event.outcome !== 'smalltalk') next.unresolvedTurns += 1;
  }
  if (event.outcome !== 'smalltalk' && !unhelpful) {
    next.previousQuery = text;
    next.previousEntryId = event.entryId ?? null;
  }

  const matched = c.handoffKeywords.find((k) => detectHandoffKeyword(text, [k]));
  if (matched) return { state: next, handoff: { reason: 'keyword', detail: matched } };
  if (detectHandoffIntent(text)) return { state: next, handoff: { reason: 'intent', detail: '要求真人处理' } };
  const emotion = scoreEmotion(text);
  if (emotion.intensity >= c.emotionThreshold) {
    return {
      state: next,
      handoff: { reason: 'emotion', detail: `情绪强度 ${emotion.intensity}：${emotion.terms.join('、')}` },
    };
  }
  if (next.unhelpfulStreak >= c.unhelpfulLimit) {
    return { state: next, handoff: { reason: 'unresolved', detail: `连续 ${next.unhelpfulStreak} 次表示没有帮助` } };
  }
  if (next.noAnswerStreak >= c.noAnswerLimit) {
    return { state: next, handoff: { reason: 'no_answer', detail: `连续 ${next.noAnswerStreak} 次未能回答` } };
  }
  if (next.unresolvedTurns >= c.multiTurnLimit) {
    return { state: next, handoff: { reason: 'multi_turn', detail: `连续 ${next.unresolvedTurns} 轮未解决` } };
  }
  return { state: next, handoff: null };
}
