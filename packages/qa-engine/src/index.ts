/**
 * @module
 * `@zhengna/qa-engine` — answers taxpayers' Chinese questions from the bureau's FAQ knowledge base and tells when a
 * conversation should go to a human. Pure library: no I/O, no database, no network; the caller passes the entries.
 *
 * @example
 * import { QaEngine, initialDialogueState, stepDialogue } from '@zhengna/qa-engine';
 * const engine = QaEngine.build({ entries });
 * const outcome = engine.answer('全电发票开错了怎么冲红', { profile: { taxpayerType: 'general' } });
 * const { handoff } = stepDialogue(initialDialogueState(), { type: 'message', text: '转人工', outcome: outcome.kind });
 */
export { QaEngine } from './engine.ts';
export { DEFAULT_EXPANSIONS, DEFAULT_STOP_WORDS, DEFAULT_SYNONYMS, DOMAIN_TOPICS, TYPO_FIXES } from './lexicon.ts';
export { chineseNumber, normalizeText } from './normalize.ts';
export {
  DEFAULT_HANDOFF_KEYWORDS,
  DEFAULT_SIGNAL_CONFIG,
  type DialogueEvent,
  type DialogueState,
  type DialogueStep,
  detectHandoffIntent,
  detectHandoffKeyword,
  detectUnhelpful,
  type HandoffReason,
  initialDialogueState,
  type SignalConfig,
  scoreEmotion,
  stepDialogue,
} from './signals.ts';
export { detectSmalltalk } from './smalltalk.ts';
export {
  type Candidate,
  DEFAULT_ENGINE_OPTIONS,
  type EngineData,
  type EngineOptions,
  type KbEntry,
  type Outcome,
  type OutcomeKind,
  type Profile,
  type TaxpayerType,
  type TurnContext,
} from './types.ts';
