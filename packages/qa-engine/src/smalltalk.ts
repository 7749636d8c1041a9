/**
 * @module
 * Greetings, thanks, acknowledgements and goodbyes. A message is small talk only when nothing but such phrases is
 * left in it: "好的，那附加税怎么报" is a question, "好的好的 辛苦啦" is not.
 */

export type SmalltalkKind = 'greeting' | 'presence' | 'thanks' | 'ack' | 'bye' | 'laugh' | 'identity';

const PHRASES: [SmalltalkKind, string[]][] = [
  [
    'bye',
    [
      '拜拜',
      '再见',
      '再会',
      'bye',
      '回见',
      '下次再聊',
      '没别的问题了',
      '没有别的问题了',
      '没其他问题了',
      '没有问题了',
      '没问题了',
      '没事了',
      '就这些',
      '先这样',
    ],
  ],
  [
    'thanks',
    [
      '非常感谢',
      '谢谢你们',
      '谢谢您',
      '谢谢你',
      '谢谢',
      '多谢',
      '感谢',
      '谢啦',
      '谢了',
      '3q',
      'thx',
      'thanks',
      'thank you',
      '辛苦了',
      '辛苦啦',
      '辛苦',
      '麻烦你了',
      '麻烦了',
    ],
  ],
  [
    'greeting',
    [
      '早上好',
      '上午好',
      '中午好',
      '下午好',
      '晚上好',
      '早安',
      '晚安',
      '你好',
      '您好',
      '哈喽',
      'hello',
      'hi',
      '嗨',
      '早',
    ],
  ],
  ['presence', ['在吗', '在不在', '有人吗', '有没有人', '在么', '人呢']],
  ['identity', ['你是谁', '你是机器人吗', '你是人工智能吗', '你叫什么', '你是真人吗']],
  ['laugh', ['哈哈', '呵呵', '嘿嘿', '嘻嘻', '哈', '233', '666']],
  [
    'ack',
    [
      '明白了',
      '明白',
      '知道了',
      '懂了',
      '清楚了',
      '了解了',
      '收到',
      '好的',
      '好嘞',
      '好滴',
      '好吧',
      '好',
      '嗯嗯',
      '嗯',
      '哦哦',
      '哦',
      'ok',
      'okay',
      '行',
      '可以了',
      '没问题',
      '解决了',
      '搞定了',
      '很清楚',
      '挺清楚',
      '说得很清楚',
      '说得挺清楚',
      '很有用',
      '有帮助',
      '太好了',
      '厉害',
      '你真棒',
      '棒',
    ],
  ],
];

const PRIORITY: SmalltalkKind[] = ['bye', 'thanks', 'identity', 'presence', 'greeting', 'laugh', 'ack'];

/** Filler that may surround small talk without turning it into a question. */
const FILLER = /[你您我啊呀吧呢了的哦嗯啦哈吗嘛哇噢额呃喔也都就先那这很挺真太非常说得啊]/gu;

const REPLIES: Record<SmalltalkKind, string> = {
  greeting: '您好！我是征纳互动智能助手，请直接描述您要办理或咨询的涉税事项，例如“数电票怎么红冲”。',
  presence: '在的，请问有什么可以帮您？可以直接输入您的问题。',
  thanks: '不客气，很高兴能帮到您！还有其他问题随时问我。',
  ack: '好的，如果还有其他问题，随时告诉我。',
  bye: '感谢您的咨询，再见！祝您办税顺利。',
  laugh: '😊 有什么涉税问题需要帮忙吗？',
  identity: '我是征纳互动智能助手，可以解答数电发票、申报缴税等常见问题；需要时也可以为您转人工。',
};

/**
 * Classifies a normalised message (see normalizeText) as small talk, or returns null.
 *
 * @example
 * detectSmalltalk('谢谢 辛苦啦') // → { kind: 'thanks', reply: '不客气…' }
 * detectSmalltalk('谢谢 再问下契税税率') // → null
 */
export function detectSmalltalk(normalized: string): { kind: SmalltalkKind; reply: string } | null {
  let rest = normalized.replace(/\s+/g, '');
  if (!rest) return null;
  const seen = new Set<SmalltalkKind>();
  for (const [kind, phrases] of PHRASES) {
    for (const p of phrases) {
      if (!rest.includes(p)) continue;
      seen.add(kind);
      rest = rest.split(p).join('');
    }
  }
  // The reply follows the most meaningful part: "好的，谢谢" is thanks, "谢谢，再见" is goodbye.
  const first = PRIORITY.find((k) => seen.has(k));
  if (first === undefined) return null;
  rest = rest.replace(FILLER, '');
  if (Array.from(rest).length > 1) return null;
  return { kind: first, reply: REPLIES[first] };
}
