/**
 * @module
 * The answering engine: an index over the knowledge base and the answer/clarify/no-answer decision.
 *
 * Scoring has two channels. The word channel is BM25 over jieba terms after synonym canonicalisation, taking the best
 * matching standard-or-similar question of each entry (plus lower-weighted keywords and answer text). The character
 * channel is BM25 over character bigrams of all an entry's questions, which keeps typos, abbreviations and words the
 * segmenter splits differently from falling through. Each channel is divided by what a perfect match of this query
 * would score, so the blend is a confidence between 0 and about 1 that thresholds can be calibrated on.
 */
import { Analyzer } from './analyzer.ts';
import { Bm25Index } from './bm25.ts';
import { intentAgreement, intentMask } from './intent.ts';
import { DEFAULT_STOP_WORDS, DEFAULT_SYNONYMS, DOMAIN_TOPICS, OUT_OF_DOMAIN, SLOT_CLASSES } from './lexicon.ts';
import { charBigrams, normalizeText } from './normalize.ts';
import { detectSmalltalk } from './smalltalk.ts';
import { THUOCL_WORDS } from './thuocl-words.ts';
import {
  type Candidate,
  DEFAULT_ENGINE_OPTIONS,
  type EngineData,
  type EngineOptions,
  type KbEntry,
  type Outcome,
  type Profile,
  type TurnContext,
} from './types.ts';

const K1 = 1.2;
/** Unknown words count for this share of the rarest known word: they may be noise, they may be the real subject. */
const OOV_SHARE = 0.3;
/** A question about a tax or fee the knowledge base never mentions keeps only this share of its confidence. */
const UNCOVERED_TOPIC_FACTOR = 0.5;
const OUT_OF_DOMAIN_FACTOR = 0.4;
/** Confidence kept when the message has no domain word at all, or none shared with the entry. */
const NO_DOMAIN_FACTOR = 0.5;
const OFF_DOMAIN_FACTOR = 0.75;
/**
 * An uncovered tax or fee named only in passing: when the message states (nearly) all of an entry's own question
 * besides it, the subject is the entry's and the uncovered topic a side detail, not the question.
 */
const SIDE_MENTION_COVER = 0.8;
const SIDE_MENTION_FACTOR = 0.8;
/** ...and the message's own words are mostly explained by that entry (a short similar question is easily covered). */
const SIDE_MENTION_SCORE = 0.5;
/**
 * A message with no domain word whose content words are mostly unknown to the knowledge base ("帮我翻译一段英文")
 * asks for something else entirely: the everyday words it shares with some entry ("帮我…") are no evidence.
 */
const UNKNOWN_SHARE = 0.5;
/** Entries kept from the cheap first pass for the finer scoring. */
const PRESELECT = 40;
const KEYWORD_WEIGHT = 0.3;
const ANSWER_WEIGHT = 0.25;
/** Share of the all-questions field against the best single question. */
const ALL_SHARE = 0.7;
/** Weight of the entry-side coverage in the finer pass. */
const COVER_SHARE = 0.1;
/** Candidates the second stage re-ranks by question intent (the rest keep their first-stage order). */
const RERANK = 10;
/**
 * Confidence an entry loses when none of its questions asks what the message asks (a deadline, whether, how, how
 * much, where, why, what — see intent.ts); partial agreement loses proportionally. Only a loss, never a gain, so the
 * answer/clarify thresholds keep their meaning. Split-half tuned: 0.15–0.25 all give the same ranking on the dev set.
 */
const INTENT_PENALTY = 0.2;
/** A clarify lists the first two candidates plus the next (up to four in all) scoring at least this share of the top. */
const CLARIFY_PICK_SHARE = 0.65;

/** Words that mark a message as leaning on the previous one ("那小规模呢", "具体怎么操作"). */
const FOLLOW_UP_START = /^(那|那么|那如果|如果|要是|还有|另外|然后|再问|那要是|那我|那个呢)/;
const FOLLOW_UP_END = /(呢|的话|怎么样|可以吗|行吗|也是吗|也一样吗|也要吗|也行吗)$/;
const FOLLOW_UP_ONLY = /^(具体|详细|怎么操作|怎么弄|怎么办理|在哪|入口|步骤|流程|材料|要多久|多久|然后呢|下一步)/;

/**
 * Audience bits of an entry (see #audience): one per known taxpayer type, one for a type outside them, one for
 * "names an industry or region". Entries with the last two (and every typed entry when the profile's own type is
 * unknown) take the general #audienceFactor path; the rest are scored from the bits alone, with the same result.
 */
const TAXPAYER_BIT = new Map<string, number>([
  ['general', 1],
  ['small_scale', 2],
  ['individual', 4],
]);
const OTHER_TYPE_BIT = 8;
const TYPE_BITS = 1 | 2 | 4 | OTHER_TYPE_BIT;
const PLACE_BIT = 16;

type Scored = { entry: number; score: number };
type Run = { scored: Scored[]; terms: string[]; uncovered: boolean; hasContent: boolean };

export class QaEngine {
  readonly #entries: KbEntry[];
  readonly #options: EngineOptions;
  readonly #analyzer: Analyzer;
  readonly #questions: Bm25Index;
  readonly #keywords: Bm25Index;
  readonly #answers: Bm25Index;
  readonly #chars: Bm25Index;
  readonly #allQuestions: Bm25Index;
  readonly #domainTerms = new Set<string>();
  readonly #subToEntry: Int32Array;
  readonly #entryTerms: Set<string>[];
  /** Each entry's questions as unique term lists, for the doc-side coverage of the finer pass. */
  readonly #entrySubs: string[][][];
  /** Per entry, the intents its questions ask between them (bit mask, see intent.ts). */
  readonly #entryIntents: Uint8Array;
  readonly #uncoveredTopics: string[];
  readonly #coveredTopics: string[];
  readonly #byId = new Map<string, number>();
  // Scratch buffers reused across queries: answer() allocates little, which keeps p99 flat.
  readonly #subAcc: Float64Array;
  readonly #kwAcc: Float64Array;
  readonly #ansAcc: Float64Array;
  readonly #charAcc: Float64Array;
  readonly #allAcc: Float64Array;
  readonly #wordMax: Float64Array;
  readonly #mark: Uint8Array;
  readonly #subTouched: Int32Array;
  readonly #touched: Int32Array;
  readonly #kwTouched: Int32Array;
  readonly #ansTouched: Int32Array;
  readonly #allTouched: Int32Array;
  readonly #charTouched: Int32Array;
  /** Per entry, its audience as bits (TAXPAYER_BIT of each taxpayer type it names, PLACE_BIT if it names places). */
  readonly #audience: Uint8Array;

  private constructor(data: EngineData, options: EngineOptions) {
    this.#options = options;
    this.#entries = data.entries.slice();
    const synonyms = [...(data.synonyms ?? []), ...DEFAULT_SYNONYMS];
    const dictionaryWords = [...THUOCL_WORDS, ...(data.extraWords ?? [])];
    for (const e of this.#entries) dictionaryWords.push(...e.keywords);
    this.#analyzer = new Analyzer({
      synonyms,
      stopWords: [...DEFAULT_STOP_WORDS, ...(data.stopWords ?? [])],
      dictionaryWords,
    });

    const subDocs: string[][] = [];
    const subToEntry: number[] = [];
    const kwDocs: string[][] = [];
    const ansDocs: string[][] = [];
    const charDocs: string[][] = [];
    const allDocs: string[][] = [];
    this.#entryTerms = [];
    this.#entrySubs = [];
    const entryIntents: number[] = [];
    const coverageText: string[] = [];
    this.#entries.forEach((e, i) => {
      this.#byId.set(e.id, i);
      const terms = new Set<string>();
      const bigrams: string[] = [];
      const all: string[] = [];
      const subs: string[][] = [];
      let intents = 0;
      for (const q of [e.question, ...e.similar]) {
        const n = normalizeText(q);
        intents |= intentMask(n);
        const t = this.#analyzer.terms(n, true);
        subs.push([...new Set(t)]);
        subDocs.push(t);
        subToEntry.push(i);
        for (const x of t) terms.add(x);
        all.push(...t);
        bigrams.push(...charBigrams(n));
        coverageText.push(n);
      }
      const kw = e.keywords.flatMap((k) => this.#analyzer.terms(k));
      for (const x of kw) terms.add(x);
      coverageText.push(normalizeText(e.keywords.join(' ')));
      kwDocs.push(kw);
      // The answer is long and mentions many side topics: its first part is representative enough and keeps the
      // build fast on large knowledge bases.
      ansDocs.push(this.#analyzer.terms(e.answer.slice(0, 400)));
      charDocs.push(bigrams);
      allDocs.push(all);
      for (const x of kw) this.#domainTerms.add(x);
      this.#entryTerms.push(terms);
      this.#entrySubs.push(subs);
      entryIntents.push(intents);
    });
    const n = this.#entries.length;
    this.#subToEntry = Int32Array.from(subToEntry);
    this.#entryIntents = Uint8Array.from(entryIntents);
    this.#questions = new Bm25Index(subDocs, { k1: K1, b: 0.5, unitOf: (d) => subToEntry[d]!, units: n });
    this.#keywords = new Bm25Index(kwDocs, { k1: K1, b: 0.3 });
    this.#answers = new Bm25Index(ansDocs, { k1: K1, b: 0.75 });
    this.#chars = new Bm25Index(charDocs, { k1: K1, b: 0.5 });
    this.#allQuestions = new Bm25Index(allDocs, { k1: K1, b: 0.5 });
    this.#allAcc = new Float64Array(n);
    this.#wordMax = new Float64Array(n);
    this.#mark = new Uint8Array(n);
    for (const group of synonyms)
      this.#domainTerms.add(this.#analyzer.canonical(normalizeText(group[0] ?? '').replace(/\s+/g, '')));
    for (const w of THUOCL_WORDS) this.#domainTerms.add(this.#analyzer.canonical(w));
    this.#subAcc = new Float64Array(subDocs.length);
    this.#subTouched = new Int32Array(subDocs.length);
    this.#touched = new Int32Array(n);
    this.#kwTouched = new Int32Array(n);
    this.#ansTouched = new Int32Array(n);
    this.#allTouched = new Int32Array(n);
    this.#charTouched = new Int32Array(n);
    this.#audience = new Uint8Array(n);
    this.#entries.forEach((e, i) => {
      const { taxpayerTypes, industries, regions } = e.audience;
      let bits = industries.length || regions.length ? PLACE_BIT : 0;
      for (const t of taxpayerTypes) bits |= TAXPAYER_BIT.get(t) ?? OTHER_TYPE_BIT;
      this.#audience[i] = bits;
    });
    this.#kwAcc = new Float64Array(n);
    this.#ansAcc = new Float64Array(n);
    this.#charAcc = new Float64Array(n);

    // A topic is covered when the knowledge base's own questions or keywords name it (or a synonym of it).
    const covered = new Set<string>();
    for (const text of coverageText) for (const t of this.#analyzer.terms(text, true)) covered.add(t);
    const joined = coverageText.join(' ');
    const isCovered = (t: string) => joined.includes(t) || covered.has(this.#analyzer.canonical(t));
    this.#uncoveredTopics = DOMAIN_TOPICS.map((t) => normalizeText(t)).filter((t) => !isCovered(t));
    this.#coveredTopics = DOMAIN_TOPICS.map((t) => normalizeText(t)).filter(isCovered);
  }

  /**
   * Builds the index. Takes a few hundred milliseconds for the seed KB (mostly loading the segmenter dictionary).
   *
   * @example
   * const engine = QaEngine.build({ entries });
   * engine.answer('全电票开错了怎么冲红', { profile: { taxpayerType: 'general' } });
   */
  static build(data: EngineData, options?: Partial<EngineOptions>): QaEngine {
    return new QaEngine(data, { ...DEFAULT_ENGINE_OPTIONS, ...options });
  }

  /** Number of entries in the index. */
  get size(): number {
    return this.#entries.length;
  }

  /** Entry by id (for callers that show the answer text). */
  entry(id: string): KbEntry | undefined {
    const i = this.#byId.get(id);
    return i === undefined ? undefined : this.#entries[i];
  }

  /** Query terms as the index sees them (for the test console). */
  analyze(text: string): string[] {
    return this.#analyzer.terms(text);
  }

  /**
   * Answers one taxpayer message.
   *
   * @example
   * const first = engine.answer('一般纳税人按月申报最晚几号');
   * const next = engine.answer('那小规模呢', { context: { previousQuery: '一般纳税人按月申报最晚几号', previousEntryId: first.entryId } });
   * next.usedContext // → true
   */
  answer(query: string, opts: { profile?: Profile; context?: TurnContext } = {}): Outcome {
    const normalized = normalizeText(typeof query === 'string' ? query : '');
    const smalltalk = detectSmalltalk(normalized);
    if (smalltalk) {
      return {
        kind: 'smalltalk',
        entryId: null,
        candidates: [],
        smalltalkReply: smalltalk.reply,
        terms: [],
        usedContext: false,
      };
    }
    const own = this.#analyzer.terms(normalized, true);
    const weights = new Map<string, number>();
    for (const t of own) weights.set(t, 1);
    let run = this.#run(normalized, weights, own, opts.profile);

    const ctx = opts.context;
    let usedContext = false;
    if (ctx?.previousQuery && normalized) {
      const compact = normalized.replace(/\s+/g, '');
      const marked = FOLLOW_UP_START.test(compact) || FOLLOW_UP_END.test(compact) || FOLLOW_UP_ONLY.test(compact);
      const short = own.length <= 3;
      const top = run.scored[0]?.score ?? 0;
      if ((marked && short) || (marked && top < this.#options.answerThreshold) || own.length === 0) {
        const merged = this.#withContext(own, ctx.previousQuery);
        const prevNorm = normalizeText(ctx.previousQuery);
        const withCtx = this.#run(`${normalized} ${prevNorm}`, merged, own, opts.profile, ctx.previousEntryId ?? null);
        // A marked, short follow-up means the previous question; otherwise context must actually help.
        if ((marked && short) || own.length === 0 || (withCtx.scored[0]?.score ?? 0) >= top) {
          run = withCtx;
          usedContext = true;
        }
      }
    }
    return this.#decide(run, usedContext);
  }

  /** Previous question's terms at lower weight, minus those the new message replaces (小规模 replaces 一般纳税人). */
  #withContext(own: string[], previousQuery: string): Map<string, number> {
    const weights = new Map<string, number>();
    const ownSet = new Set(own);
    const replaced = new Set<number>();
    SLOT_CLASSES.forEach((cls, i) => {
      if (own.some((t) => cls.has(t))) replaced.add(i);
    });
    for (const t of this.#analyzer.terms(previousQuery)) {
      if (ownSet.has(t)) continue;
      if (SLOT_CLASSES.some((cls, i) => replaced.has(i) && cls.has(t))) continue;
      weights.set(t, this.#options.contextWeight);
    }
    for (const t of own) weights.set(t, 1);
    return weights;
  }

  #run(
    normalized: string,
    weights: Map<string, number>,
    own: readonly string[],
    profile?: Profile,
    previousEntry?: string | null,
  ): Run {
    const terms = [...weights.keys()];
    const n = this.#entries.length;
    // About a tax the KB never covers and about none it does: out of scope, whatever everyday words match.
    const uncovered = this.#uncoveredTopics.some((t) => normalized.includes(t));
    const alsoCovered =
      uncovered &&
      this.#coveredTopics.some(
        (t) => normalized.includes(t) && !this.#uncoveredTopics.some((u) => u.includes(t) && normalized.includes(u)),
      );
    if (n === 0 || (terms.length === 0 && normalized.length === 0)) {
      return { scored: [], terms, uncovered, hasContent: false };
    }

    // Word channel: best sub-question per entry, plus keywords and answer at lower weight.
    const subAcc = this.#subAcc;
    const subToEntry = this.#subToEntry;
    const subTouched = this.#subTouched;
    const subCount = this.#questions.accumulate(weights, subAcc, subTouched);
    const wordMax = this.#wordMax;
    const mark = this.#mark;
    const touched = this.#touched;
    let count = 0;
    for (let i = 0; i < subCount; i++) {
      const s = subTouched[i]!;
      const e = subToEntry[s]!;
      const v = subAcc[s]!;
      subAcc[s] = 0;
      if (mark[e] === 0) {
        mark[e] = 1;
        touched[count++] = e;
      }
      if (v > wordMax[e]!) wordMax[e] = v;
    }
    const kwAcc = this.#kwAcc;
    const ansAcc = this.#ansAcc;
    const allAcc = this.#allAcc;
    const charAcc = this.#charAcc;
    const kwTouched = this.#kwTouched;
    const kwCount = this.#keywords.accumulate(weights, kwAcc, kwTouched);
    const ansTouched = this.#ansTouched;
    const ansCount = this.#answers.accumulate(weights, ansAcc, ansTouched);
    const allTouched = this.#allTouched;
    const allCount = this.#allQuestions.accumulate(weights, allAcc, allTouched);

    let selfWord = 0;
    let known = 0;
    const ownSet = new Set(own);
    let ownUnknown = 0;
    for (const t of ownSet) if (this.#questions.idf(t) === undefined) ownUnknown++;
    for (const [t, w] of weights) {
      const idf = this.#questions.idf(t);
      if (idf !== undefined) {
        selfWord += w * idf;
        known++;
      } else selfWord += w * OOV_SHARE * this.#questions.maxIdf;
    }

    // Character channel over the message's own bigrams (context words are already in the word channel).
    const bigramWeights = new Map<string, number>();
    for (const g of charBigrams(normalized)) bigramWeights.set(g, 1);
    const charTouched = this.#charTouched;
    const charCount = this.#chars.accumulate(bigramWeights, charAcc, charTouched);
    let selfChar = 0;
    for (const g of bigramWeights.keys()) selfChar += this.#chars.idf(g) ?? OOV_SHARE * this.#chars.maxIdf;
    for (let i = 0; i < kwCount; i++) {
      const e = kwTouched[i]!;
      if (mark[e] === 0) {
        mark[e] = 1;
        touched[count++] = e;
      }
    }
    for (let i = 0; i < charCount; i++) {
      const e = charTouched[i]!;
      if (mark[e] === 0) {
        mark[e] = 1;
        touched[count++] = e;
      }
    }

    // Cheap blend for every touched entry; the finer factors only for the best few (large KBs touch thousands).
    // The audience factor is read from build-time bits where they suffice (see TAXPAYER_BIT).
    const cw = this.#options.charWeight;
    const audience = this.#audience;
    const typeBit = profile?.taxpayerType ? (TAXPAYER_BIT.get(profile.taxpayerType) ?? -1) : 0;
    const general =
      (profile?.industry || profile?.region ? PLACE_BIT : 0) | OTHER_TYPE_BIT | (typeBit === -1 ? TYPE_BITS : 0);
    const boost = this.#options.profileBoost;
    const mismatch = this.#options.profileMismatch;
    const base: Scored[] = [];
    let floor = 0;
    for (let i = 0; i < count; i++) {
      const e = touched[i]!;
      const w =
        selfWord > 0
          ? ((1 - ALL_SHARE) * wordMax[e]! +
              ALL_SHARE * allAcc[e]! +
              KEYWORD_WEIGHT * kwAcc[e]! +
              ANSWER_WEIGHT * ansAcc[e]!) /
            selfWord
          : 0;
      const c = selfChar > 0 ? charAcc[e]! / selfChar : 0;
      const a = audience[e]!;
      const factor =
        profile === undefined
          ? 1
          : (a & general) !== 0
            ? this.#audienceFactor(this.#entries[e]!, profile)
            : typeBit !== 0 && (a & TYPE_BITS) !== 0
              ? (a & typeBit) !== 0
                ? boost
                : mismatch
              : 1;
      const score = ((1 - cw) * Math.min(w, 1.2) + cw * Math.min(c, 1.2)) * factor;
      mark[e] = 0;
      wordMax[e] = 0;
      kwAcc[e] = 0;
      ansAcc[e] = 0;
      charAcc[e] = 0;
      allAcc[e] = 0;
      if (score <= floor) continue;
      base.push({ entry: e, score });
      if (base.length >= PRESELECT * 4) {
        base.sort((a, b) => b.score - a.score);
        base.length = PRESELECT;
        floor = base[PRESELECT - 1]!.score;
      }
    }
    for (let i = 0; i < allCount; i++) allAcc[allTouched[i]!] = 0;
    for (let i = 0; i < ansCount; i++) ansAcc[ansTouched[i]!] = 0;
    base.sort((a, b) => b.score - a.score);
    if (base.length > PRESELECT) base.length = PRESELECT;

    const prevIdx = previousEntry ? this.#byId.get(previousEntry) : undefined;
    // A question that shares no domain word with an entry is matching on everyday words only ("现在还能买吗").
    const domain = terms.filter((t) => this.#domainTerms.has(t));
    const outOfDomain =
      OUT_OF_DOMAIN.test(normalized) ||
      (domain.length === 0 && ownSet.size > 0 && ownUnknown >= UNKNOWN_SHARE * ownSet.size);
    const scored: Scored[] = [];
    for (const { entry: e, score: s } of base) {
      const cover = this.#coverage(e, weights);
      let score = s * (1 + COVER_SHARE * (cover - 0.5));
      if (uncovered) {
        const side = cover >= SIDE_MENTION_COVER && s >= SIDE_MENTION_SCORE;
        score *= side ? SIDE_MENTION_FACTOR : alsoCovered ? UNCOVERED_TOPIC_FACTOR : 0;
      }
      if (outOfDomain) score *= OUT_OF_DOMAIN_FACTOR;
      if (domain.length === 0) score *= NO_DOMAIN_FACTOR;
      else if (!domain.some((t) => this.#entryTerms[e]!.has(t))) score *= OFF_DOMAIN_FACTOR;
      // In a follow-up the previous answer's own topic is the likelier one among near-equals.
      if (prevIdx !== undefined && this.#entries[e]!.topicId === this.#entries[prevIdx]!.topicId) score *= 1.04;
      scored.push({ entry: e, score });
    }
    scored.sort((a, b) => b.score - a.score);
    this.#rerankByIntent(scored, normalized);
    if (scored.length > 8) scored.length = 8;
    return { scored, terms, uncovered, hasContent: known > 0 };
  }

  /**
   * Second stage over the best few. Sibling entries about one subject ("汇算截止时间" / "亏损要不要汇算") score alike
   * on words, and in a long, chatty message a rare everyday word can tip them; what the message asks for — its
   * interrogative — tells them apart. Candidates whose questions never ask that lose a little confidence, then the
   * head is re-sorted, so the answer, the clarify list and its order all follow the re-ranked score.
   */
  #rerankByIntent(scored: Scored[], normalized: string): void {
    const k = Math.min(RERANK, scored.length);
    const query = intentMask(normalized);
    if (k < 2 || query === 0) return;
    for (let i = 0; i < k; i++) {
      const s = scored[i]!;
      s.score *= 1 - INTENT_PENALTY * (1 - intentAgreement(query, this.#entryIntents[s.entry]!));
    }
    const head = scored.slice(0, k).sort((a, b) => b.score - a.score);
    for (let i = 0; i < k; i++) scored[i] = head[i]!;
  }

  /**
   * How much of the entry's best-explained question the message accounts for (idf mass of its terms the message
   * has, over all of them). BM25 looks from the message's side; this looks from the entry's side, so of two
   * near-twin entries the one whose question the taxpayer actually said wins.
   */
  #coverage(e: number, weights: Map<string, number>): number {
    let best = 0;
    for (const sub of this.#entrySubs[e]!) {
      let have = 0;
      let all = 0;
      for (const t of sub) {
        const idf = this.#questions.idf(t) ?? 0;
        all += idf;
        const w = weights.get(t);
        if (w !== undefined) have += idf * Math.min(1, w);
      }
      if (all > 0 && have / all > best) best = have / all;
    }
    return best;
  }

  #audienceFactor(entry: KbEntry, profile?: Profile): number {
    if (!profile) return 1;
    const { taxpayerTypes, industries, regions } = entry.audience;
    let f = 1;
    if (profile.taxpayerType && taxpayerTypes.length) {
      f *= taxpayerTypes.includes(profile.taxpayerType) ? this.#options.profileBoost : this.#options.profileMismatch;
    }
    if (profile.industry && industries.length) {
      f *= industries.some((i) => i === profile.industry || profile.industry!.includes(i))
        ? this.#options.profileBoost
        : 1;
    }
    if (profile.region && regions.length) {
      f *= regions.some((r) => r === profile.region || profile.region!.includes(r)) ? this.#options.profileBoost : 1;
    }
    return f;
  }

  #candidate(s: Scored, terms: string[]): Candidate {
    const e = this.#entries[s.entry]!;
    const own = this.#entryTerms[s.entry]!;
    return {
      entryId: e.id,
      question: e.question,
      topicId: e.topicId,
      score: Math.round(s.score * 1000) / 1000,
      matchedTerms: terms.filter((t) => own.has(t)),
    };
  }

  #decide(run: Run, usedContext: boolean): Outcome {
    const o = this.#options;
    const { scored, terms } = run;
    const top = scored[0];
    const base = { terms, usedContext };
    if (!top || top.score < o.noAnswerThreshold || !run.hasContent) {
      return {
        kind: 'no_answer',
        entryId: null,
        candidates: scored.slice(0, o.maxCandidates).map((s) => this.#candidate(s, terms)),
        ...base,
      };
    }
    const second = scored[1];
    const close = second !== undefined && second.score >= top.score * o.clarifyRatio;
    if (top.score >= o.sureThreshold || (top.score >= o.answerThreshold && !close)) {
      return {
        kind: 'answer',
        entryId: this.#entries[top.entry]!.id,
        candidates: scored.slice(0, o.maxCandidates).map((s) => this.#candidate(s, terms)),
        ...base,
      };
    }
    // Not sure enough to answer: offer the close ones (2–4) and let the taxpayer pick.
    const picks = scored.filter((s, i) => i < 2 || (i < 4 && s.score >= top.score * CLARIFY_PICK_SHARE));
    if (picks.length < 2) {
      return { kind: 'no_answer', entryId: null, candidates: picks.map((s) => this.#candidate(s, terms)), ...base };
    }
    return { kind: 'clarify', entryId: null, candidates: picks.map((s) => this.#candidate(s, terms)), ...base };
  }
}
