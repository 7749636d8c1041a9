/**
 * Recognised text as the taxpayer sees it in the input box. The bot's `normalizeText` (qa-engine) is made for matching:
 * it lower-cases, drops punctuation and rewrites loosely. What is shown must read like typed Chinese, so this is the
 * gentle form of the same rules: NFKC, the spaces recognisers put between tokens taken out, the typo fixes that cannot
 * change a correct word, and spoken percentages as figures ("百分之十三" → "13%"). Settled segments get ，or ？, the
 * whole dictation ends with 。.
 */
import { chineseNumber, TYPO_FIXES } from '@zhengna/qa-engine';

const HAN = /\p{Script=Han}/u;
/** A character after which a Latin word or number stays apart from the next one by a space. */
const WORD_END = /[\p{Script=Latin}\p{N}]$/u;
const WORD_START = /^[\p{Script=Latin}\p{N}]/u;
/** ASCII punctuation between Latin words keeps the space after it ("UKey, CA"). */
const LATIN_PUNCT_END = /[\p{Script=Latin}\p{N}][,.;:!?]$/u;

/**
 * TYPO_FIXES entries that would turn a correct everyday word into a tax term on screen: 会算 (我不会算 → 我不汇算),
 * 红中, 发标 (发标书). The bot may rewrite them for matching; the taxpayer's own words are not.
 */
const UNSAFE_FOR_DISPLAY = new Set(['会算', '红中', '发标']);
const DISPLAY_TYPO_FIXES = TYPO_FIXES.filter(([wrong]) => !UNSAFE_FOR_DISPLAY.has(wrong));

/** What NFKC turns into ASCII and Chinese text writes full-width. */
const FULL_WIDTH: Record<string, string> = { ',': '，', '?': '？', '!': '！', ':': '：', ';': '；', '.': '。' };

const PERCENT = /百分之([零〇一二两三四五六七八九十百点.\d]+)/g;
/** "百分之十几", "百分之二十多": an approximate amount, left in words. */
const APPROXIMATE_AFTER = /^[几多余来万千]/;

/** "十三" → "13", "零点五" → "0.5", "一百" → "100", "13" → "13"; undefined when the run is not one number ≤ 100. */
function percentFigure(run: string): string | undefined {
  const parts = run.split(/[点.]/);
  if (parts.length > 2) return undefined;
  const [whole = '', fraction] = parts;
  const n = whole === '一百' || whole === '100' ? 100 : chineseNumber(whole);
  if (n === undefined || n > 100 || (whole.length > 1 && whole.startsWith('零'))) return undefined;
  if (fraction === undefined) return String(n);
  if (!fraction) return undefined;
  let digits = '';
  for (const ch of fraction) {
    const d = /\d/.test(ch) ? Number(ch) : chineseNumber(ch);
    if (d === undefined || d > 9 || ch === '十') return undefined;
    digits += d;
  }
  return `${n}.${digits}`;
}

/** Joins the recogniser's tokens: no space next to Chinese, one space between Latin words or numbers. */
function joinTokens(text: string): string {
  const tokens = text.split(' ').filter(Boolean);
  let out = tokens[0] ?? '';
  for (const token of tokens.slice(1)) {
    const keep = WORD_START.test(token) && (WORD_END.test(out) || LATIN_PUNCT_END.test(out));
    out += keep ? ` ${token}` : token;
  }
  return out;
}

/**
 * A recogniser's raw text → display text (partial or settled, without added punctuation). Text with no letter or
 * figure at all (a lone "。") is nothing said: ''.
 *
 * @example
 * tidyRecognized('小 规 模 纳税人 的 征收 率 是 百分之 三 吗') // → '小规模纳税人的征收率是3%吗'
 */
export function tidyRecognized(raw: string): string {
  let text = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return '';
  text = joinTokens(text);
  // ASCII punctuation that NFKC made of Chinese punctuation goes back to full width next to Chinese text
  text = text.replace(/[,?!:;.]/g, (ch, at: number, all: string) => {
    const before = all[at - 1] ?? '';
    const after = all[at + 1] ?? '';
    if (ch === '.' && (/\d/.test(after) || !HAN.test(before))) return ch;
    return HAN.test(before) || (HAN.test(after) && !WORD_END.test(before)) ? (FULL_WIDTH[ch] ?? ch) : ch;
  });
  for (const [wrong, right] of DISPLAY_TYPO_FIXES) if (text.includes(wrong)) text = text.split(wrong).join(right);
  text = text.replace(PERCENT, (match: string, run: string, at: number, all: string) => {
    if (APPROXIMATE_AFTER.test(all.slice(at + match.length))) return match;
    const figure = percentFigure(run);
    return figure === undefined ? match : `${figure}%`;
  });
  return text;
}

const ENDS_WITH_PUNCTUATION = /[，。？！；：、,.?!;:…]$/u;
/** Ends with a question particle: a question whatever else it says. */
const QUESTION_PARTICLE = /[吗呢]$/u;
/** Ends like a question ("是这样么", "对吧") unless a statement phrase below says otherwise. */
const QUESTION_TAIL = /(?:么|对吧|是吧)$/u;
const QUESTION_WORDS =
  /怎么|怎样|如何|什么|为何|干嘛|哪|多少|多久|多长时间|是否|可否|能否|(?<![好这那前后十没过隔])几(?:个|天|号|点|月|年|种|次|张|份|岁|分钟|小时|日|位|项|家|条)|(\p{Script=Han})[不没]\1/u;
/** Phrases with a question word that are statements ("没什么", "发票什么的", "怎么也打不开"). */
const NOT_QUESTION =
  /没什么|没有什么|不怎么|没怎么|什么的|什么都|什么也|怎么都|怎么也|哪儿都|哪里都|哪怕|多少有|不得不/u;

/**
 * A settled segment (the words up to a pause) gets the mark a typist would put there: ？ for a question, else ，.
 * Empty stays empty; a segment the recogniser already punctuated is left as it is.
 *
 * @example
 * punctuateSegment('发票怎么开') // → '发票怎么开？'
 * punctuateSegment('我是一般纳税人') // → '我是一般纳税人，'
 */
export function punctuateSegment(tidy: string): string {
  const text = tidy.trim();
  if (!text || ENDS_WITH_PUNCTUATION.test(text)) return text;
  const question =
    QUESTION_PARTICLE.test(text) ||
    ((QUESTION_TAIL.test(text) || QUESTION_WORDS.test(text)) && !NOT_QUESTION.test(text));
  return text + (question ? '？' : '，');
}

/**
 * The end of the whole dictation: a trailing ，becomes 。.
 *
 * @example
 * closeText('你好，我想开发票，') // → '你好，我想开发票。'
 */
export function closeText(text: string): string {
  const trimmed = text.trim();
  return trimmed.endsWith('，') ? `${trimmed.slice(0, -1)}。` : trimmed;
}
