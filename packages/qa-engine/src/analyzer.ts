/**
 * @module
 * Turns text into retrieval terms: normalise → jieba with a domain dictionary → synonyms to canonical form →
 * one-way expansions → stop words out. Knowledge-base text and queries go through the very same path.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { DEFAULT_EXPANSIONS } from './lexicon.ts';
import { normalizeText } from './normalize.ts';

export type AnalyzerConfig = {
  synonyms: string[][];
  stopWords: string[];
  /** Words the segmenter must keep whole (KB keywords, synonym members, derived domain lists). */
  dictionaryWords: string[];
  expansions?: Record<string, string[]>;
};

/** Frequency given to domain words so that jieba prefers them over its general-language splits. */
const DOMAIN_FREQ = 200_000;

export class Analyzer {
  readonly #jieba: Jieba;
  readonly #canonical = new Map<string, string>();
  readonly #stop: Set<string>;
  readonly #expansions: Record<string, string[]>;

  constructor(config: AnalyzerConfig) {
    this.#jieba = Jieba.withDict(dict);
    this.#stop = new Set(config.stopWords.map((w) => normalizeText(w)));
    this.#expansions = config.expansions ?? DEFAULT_EXPANSIONS;
    const words = new Set<string>();
    for (const group of config.synonyms) {
      const canonical = normalizeText(group[0] ?? '').replace(/\s+/g, '');
      if (!canonical) continue;
      for (const member of group) {
        const m = normalizeText(member).replace(/\s+/g, '');
        if (!m) continue;
        // The first group to claim a word keeps it: a user table passed in before the defaults wins.
        if (!this.#canonical.has(m)) this.#canonical.set(m, canonical);
        words.add(m);
      }
    }
    // Multi-character stop words are kept whole too, so that no part of them is read as a content word.
    for (const w of this.#stop) if (Array.from(w).length >= 3) words.add(w);
    for (const w of config.dictionaryWords) {
      const n = normalizeText(w).replace(/\s+/g, '');
      if (n.length >= 2 && n.length <= 12) words.add(n);
    }
    const lines: string[] = [];
    for (const w of words) if (!/\s/.test(w) && Array.from(w).length >= 2) lines.push(`${w} ${DOMAIN_FREQ} n`);
    if (lines.length) this.#jieba.loadDict(Buffer.from(`${lines.join('\n')}\n`));
  }

  /** Canonical form of one word (itself when it is in no synonym group). */
  canonical(word: string): string {
    return this.#canonical.get(word) ?? word;
  }

  /** Raw segmentation of already-normalised text, before synonyms and stop words. */
  segment(normalized: string): string[] {
    if (!normalized) return [];
    const out: string[] = [];
    const raw = this.#jieba.cut(normalized, false);
    for (let i = 0; i < raw.length; i++) {
      const t = raw[i]!.trim();
      if (!t) continue;
      // jieba splits "3%" into "3" and "%"; a rate is one term.
      if (/^\d+(\.\d+)?$/.test(t) && raw[i + 1] === '%') {
        out.push(`${t}%`);
        i++;
        continue;
      }
      // Taxpayers shorten "X发票" to "X票" (蓝字票, 红字票, 电子票); jieba then cuts off a lone "票". When "X发票" is a
      // known word, that is what was meant.
      if (raw[i + 1] === '票' && this.#canonical.has(`${t}发票`)) {
        out.push(`${t}发票`);
        i++;
        continue;
      }
      out.push(t);
    }
    return out;
  }

  /**
   * Retrieval terms of a text, in order, duplicates kept (term frequency matters for long fields).
   *
   * @example
   * analyzer.terms('全电票怎么冲红？') // → ['数电发票', '红冲']
   */
  terms(text: string, alreadyNormalized = false): string[] {
    const normalized = alreadyNormalized ? text : normalizeText(text);
    const out: string[] = [];
    for (const token of this.segment(normalized)) {
      if (token === '%') continue;
      // Amounts, years and dates say nothing about which entry is meant; rates ("3%") do.
      if (/^\d+(\.\d+)?$/.test(token)) continue;
      const c = this.canonical(token);
      if (this.#stop.has(c) || this.#stop.has(token)) continue;
      const expansion = this.#expansions[c];
      if (expansion) {
        for (const e of expansion) out.push(this.canonical(e));
        continue;
      }
      out.push(c);
    }
    return out;
  }
}
