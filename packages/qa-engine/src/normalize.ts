/**
 * @module
 * Text normalisation shared by indexing and querying: whatever is done to a knowledge-base question is done to the
 * taxpayer's words too, so the two always meet in the same form.
 */
import { TYPO_FIXES } from './lexicon.ts';

/** Longest input that is looked at. A real question is far shorter; anything beyond is pasted noise. */
export const MAX_QUERY_CHARS = 200;

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Chinese numerals up to 99 ("十三", "二十", "九") → number; undefined when it is not one. */
export function chineseNumber(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === '十') return 10;
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (m) return (m[1] ? (CN_DIGITS[m[1]] ?? 1) : 1) * 10 + (m[2] ? (CN_DIGITS[m[2]] ?? 0) : 0);
  if (text.length === 1 && text in CN_DIGITS) return CN_DIGITS[text];
  return undefined;
}

const NUM = '[0-9.]+|[零〇一二两三四五六七八九十]{1,3}';
const PERCENT_WORD = new RegExp(`百分之(${NUM})`, 'g');
const POINTS = new RegExp(`(${NUM})个点`, 'g');

/**
 * NFKC (full-width → half-width), lower case, typo fixes, "百分之三"/"3个点" → "3%", punctuation → space.
 *
 * @example
 * normalizeText('ＵＫｅｙ还要吗？百分之三') // → 'ukey还要吗 3%'
 */
export function normalizeText(input: string): string {
  let text = input.length > MAX_QUERY_CHARS * 2 ? input.slice(0, MAX_QUERY_CHARS * 2) : input;
  text = text.normalize('NFKC').toLowerCase();
  for (const [wrong, right] of TYPO_FIXES) if (text.includes(wrong)) text = text.split(wrong).join(right);
  text = text.replace(PERCENT_WORD, (_, n: string) => `${chineseNumber(n) ?? n}%`);
  text = text.replace(POINTS, (_, n: string) => `${chineseNumber(n) ?? n}%`);
  // Everything that is not a letter, a digit, a CJK character or % separates words.
  text = text.replace(/[^\p{L}\p{N}%]+/gu, ' ').trim();
  return text.length > MAX_QUERY_CHARS ? text.slice(0, MAX_QUERY_CHARS) : text;
}

/** Han characters, letters and digits only: the alphabet of the character n-gram channel. */
export function charsOf(normalized: string): string[] {
  return Array.from(normalized.replace(/\s+/g, ''));
}

/** Overlapping character bigrams (and the single character when the text is one character long). */
export function charBigrams(normalized: string): string[] {
  const out: string[] = [];
  for (const part of normalized.split(' ')) {
    const chars = Array.from(part);
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}
