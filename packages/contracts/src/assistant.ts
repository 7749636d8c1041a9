/**
 * @module assistant
 * What the bot puts into a conversation (the message `payload` beside its Markdown `body`), the taxpayer's feedback
 * and favourites, and the admin test console.
 */
import { z } from 'zod';
import { ZCallKind, ZCallState } from './calls.ts';

export const ZDocumentRef = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  issuer: z.string(),
  number: z.string(),
  year: z.number().int().nullable(),
  summary: z.string(),
});
export type TDocumentRef = z.infer<typeof ZDocumentRef>;

export const ZCandidateQuestion = z.object({ entryId: z.string(), question: z.string() });

/** Offers made when the bot cannot answer. */
export const ZNoAnswerOffer = z.enum(['handoff', 'inquiry', 'appointment']);

export const ZHandoffReason = z.enum([
  'keyword',
  'intent',
  'emotion',
  'no_answer',
  'unresolved',
  'multi_turn',
  'button',
]);
export type THandoffReason = z.infer<typeof ZHandoffReason>;
export const HANDOFF_REASON_LABELS: Record<THandoffReason, string> = {
  keyword: '转人工关键词',
  intent: '转人工意图',
  emotion: '情绪波动',
  no_answer: '连续未找到答案',
  unresolved: '答案未解决问题',
  multi_turn: '多轮交互未解决',
  button: '点击转人工',
};

export const ZMessagePayload = z.discriminatedUnion('kind', [
  /** The body is the entry's Markdown answer. */
  z.object({
    kind: z.literal('answer'),
    entryId: z.string(),
    question: z.string(),
    documents: z.array(ZDocumentRef),
  }),
  /** "您是不是想问": 2–4 candidate questions the taxpayer can click (clicking sends the question's text). */
  z.object({ kind: z.literal('clarify'), candidates: z.array(ZCandidateQuestion).min(2).max(4) }),
  z.object({ kind: z.literal('no_answer'), offers: z.array(ZNoAnswerOffer) }),
  z.object({ kind: z.literal('smalltalk') }),
  /** 问答套餐: a topic's questions offered as choices (clicking sends the question's text). */
  z.object({
    kind: z.literal('topic_menu'),
    topicId: z.string(),
    topicName: z.string(),
    questions: z.array(ZCandidateQuestion).max(20),
  }),
  /** The taxpayer asked for a human (or the signals decided so); the reason is recorded. */
  z.object({ kind: z.literal('handoff_requested'), reason: ZHandoffReason }),
  /** Smart detection asks first: "需要为您转人工服务吗？" with 转人工 / 不用了. */
  z.object({ kind: z.literal('handoff_offer'), reason: ZHandoffReason }),
  /** An agent took the conversation: the bot stops. */
  z.object({ kind: z.literal('agent_joined'), agentName: z.string() }),
  /** The agent ended the conversation: the taxpayer is asked for a 满意度 rating. */
  z.object({ kind: z.literal('rating_request') }),
  /** The taxpayer has been silent with an agent: the conversation will close unless they write. */
  z.object({ kind: z.literal('idle_warning') }),
  /** The conversation moved to another agent or group. */
  z.object({ kind: z.literal('transferred'), to: z.string() }),
  /** Nobody can take the conversation now (every agent away or outside service hours): other ways are offered. */
  z.object({ kind: z.literal('agents_unavailable'), offers: z.array(ZNoAnswerOffer) }),
  /** A tax office answered the taxpayer's 留言 while they were in the chat (the body is the reply). */
  z.object({ kind: z.literal('inquiry_reply'), inquiryId: z.string(), officeName: z.string() }),
  /** A call's mark in the timeline: asked for, started, or over (ended with its duration, declined, missed …). */
  z.object({
    kind: z.literal('call'),
    callId: z.string(),
    callKind: ZCallKind,
    state: ZCallState,
    durationSeconds: z.number().int().nonnegative(),
  }),
]);
export type TMessagePayload = z.infer<typeof ZMessagePayload>;

export const ZFeedbackRequest = z.object({ helpful: z.boolean() });

export const ZFavoriteKind = z.enum(['entry', 'document']);
export const ZAddFavoriteRequest = z.object({ kind: ZFavoriteKind, refId: z.string().min(1).max(64) });
export const ZFavorite = z.object({
  id: z.uuid(),
  kind: ZFavoriteKind,
  refId: z.string(),
  title: z.string(),
  createdAt: z.iso.datetime(),
});
export type TFavorite = z.infer<typeof ZFavorite>;

export const ZDocumentDetail = ZDocumentRef.extend({ topics: z.array(z.string()) });

// ── admin: test console, import/export, unanswered questions ─────────────────────────────

export const ZTestConsoleRequest = z.object({
  question: z.string().max(10_000, '问题不能超过 10000 字'),
  /** Answer as this taxpayer would be answered (their profile). */
  taxpayerId: z.uuid().optional(),
});

export const ZScoredCandidate = z.object({
  entryId: z.string(),
  question: z.string(),
  topicId: z.string(),
  score: z.number(),
  matchedTerms: z.array(z.string()),
});

export const ZSignalReport = z.object({
  name: z.string(),
  fired: z.boolean(),
  detail: z.string(),
});

export const ZTestConsoleResult = z.object({
  outcome: z.enum(['answer', 'clarify', 'no_answer', 'smalltalk']),
  answer: z.string().nullable(),
  terms: z.array(z.string()),
  candidates: z.array(ZScoredCandidate),
  signals: z.array(ZSignalReport),
  tookMs: z.number(),
});
export type TTestConsoleResult = z.infer<typeof ZTestConsoleResult>;

export const ZKnowledgeImportRequest = z.object({
  kb: z.string().max(20_000_000),
  topics: z.string().max(2_000_000),
  documents: z.string().max(5_000_000),
  /** Import the entries as drafts: nothing answers until 发布. */
  asDraft: z.boolean().default(false),
});
export const ZImportReport = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  topics: z.number().int(),
  documents: z.number().int(),
  errors: z.array(z.object({ file: z.string(), line: z.number().int(), message: z.string() })),
});
export type TImportReport = z.infer<typeof ZImportReport>;

export const ZUnansweredQuestion = z.object({
  id: z.uuid(),
  question: z.string(),
  count: z.number().int(),
  lastAskedAt: z.iso.datetime(),
});
