/**
 * @module
 * Public data shapes of the engine. The server maps its database rows to these; nothing here knows about storage.
 */

export type TaxpayerType = 'general' | 'small_scale' | 'individual';

/** One knowledge-base entry (standard question, similar questions, Markdown answer, audience). */
export type KbEntry = {
  id: string;
  topicId: string;
  question: string;
  similar: string[];
  answer: string;
  documents: string[];
  /** Empty lists mean "everyone". */
  audience: { taxpayerTypes: TaxpayerType[]; industries: string[]; regions: string[] };
  keywords: string[];
};

/** Who is asking; used to prefer matching entries, never to hide others. */
export type Profile = { taxpayerType?: TaxpayerType; industry?: string; region?: string };

export type EngineData = {
  entries: KbEntry[];
  /** Synonym groups, first word canonical. Merged in front of the built-in table (yours win on conflicts). */
  synonyms?: string[][];
  /** Extra stop words, added to the built-in ones. */
  stopWords?: string[];
  /** Extra words the segmenter must keep whole. */
  extraWords?: string[];
};

export type Candidate = { entryId: string; question: string; topicId: string; score: number; matchedTerms: string[] };

export type TurnContext = { previousQuery?: string; previousEntryId?: string | null };

export type OutcomeKind = 'answer' | 'clarify' | 'no_answer' | 'smalltalk';

export type Outcome = {
  kind: OutcomeKind;
  /** The answered entry (answer only). */
  entryId: string | null;
  /** Top few, best first; 2–4 for clarify. */
  candidates: Candidate[];
  smalltalkReply?: string;
  /** Normalised query terms (after synonyms), including context terms when context was used. */
  terms: string[];
  usedContext: boolean;
};

export type EngineOptions = {
  /** Confidence (0–1, see README) at or above which the top entry is answered outright. */
  answerThreshold: number;
  /** Confidence below which nothing is offered. */
  noAnswerThreshold: number;
  /** A runner-up within this share of the top score makes an otherwise answerable question a clarify. */
  clarifyRatio: number;
  /** Above this confidence the runner-up does not matter. */
  sureThreshold: number;
  /** Weight of the character-bigram channel (typos, abbreviations, unsegmented words). */
  charWeight: number;
  /** Multiplier for an entry whose audience matches the profile. */
  profileBoost: number;
  /** Multiplier for an entry aimed only at other taxpayer types. */
  profileMismatch: number;
  /** Weight of the previous question's terms in a follow-up. */
  contextWeight: number;
  /** Candidates returned with answer / no_answer. */
  maxCandidates: number;
};

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  answerThreshold: 0.38,
  noAnswerThreshold: 0.2,
  clarifyRatio: 0.9,
  sureThreshold: 0.55,
  charWeight: 0.6,
  profileBoost: 1.08,
  profileMismatch: 0.96,
  contextWeight: 0.6,
  maxCandidates: 3,
};
