import { randomUUID } from 'node:crypto';
/**
 * The bot's turn. When a taxpayer writes in a conversation no agent has taken yet, the bot answers from the
 * knowledge index (answer / clarify / no answer / small talk), keeps the dialogue state in the conversation so any
 * node can take the next turn, and watches the handoff signals; when one fires, it records the request and its
 * reason and tells the taxpayer. Feedback (有用/没用) feeds the same signals.
 */
import type { THandoffReason, TMessage, TMessagePayload } from '@zhengna/contracts';
import {
  type DialogueState,
  type HandoffReason,
  initialDialogueState,
  type Profile,
  type SignalConfig,
  stepDialogue,
} from '@zhengna/qa-engine';
import type { Logger } from 'pino';
import { botFeedback } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import { conversationRepo } from '../conversation/conversation.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import type { HandoffResult, HandoffService } from '../handoff/handoff.service.ts';
import { identityRepo } from '../identity/identity.repo.ts';
import type { TaxpayerActor } from '../identity/identity.types.ts';
import { knowledgeRepo } from '../knowledge/knowledge.repo.ts';
import { toDocumentRef } from '../knowledge/knowledge.service.ts';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.ts';
import { topicQuestions } from '../knowledge/recommendations.ts';
import { describeHours } from '../settings/service-hours.ts';
import type { SettingsService } from '../settings/settings.service.ts';

export type AssistantDeps = {
  db: Db;
  bus: EventBus;
  index: KnowledgeIndex;
  conversations: ConversationService;
  logger: Logger;
  /** Puts a conversation in the queue for a human; without it, requests are only recorded. */
  handoff?: HandoffService;
  /** The administrators' handoff rules and service hours; defaults without it. */
  settings?: SettingsService;
};

const NO_ANSWER_TEXT = '抱歉，这个问题我暂时没有找到准确的答案。您可以换个说法再问我，也可以转人工咨询。';
const CLARIFY_TEXT = '您是不是想问：';
const HANDOFF_TEXT: Record<THandoffReason, string> = {
  keyword: '好的，正在为您转接人工客服，请稍候。坐席接入前，智能助理会继续为您解答。',
  intent: '好的，正在为您转接人工客服，请稍候。坐席接入前，智能助理会继续为您解答。',
  button: '好的，正在为您转接人工客服，请稍候。坐席接入前，智能助理会继续为您解答。',
  emotion: '非常抱歉给您带来不便，正在为您转接人工客服，请稍候。',
  no_answer: '抱歉没能帮您找到答案，正在为您转接人工客服，请稍候。',
  unresolved: '抱歉刚才的回答没能解决您的问题，正在为您转接人工客服，请稍候。',
  multi_turn: '看来这个问题比较复杂，正在为您转接人工客服，请稍候。',
};
const ALREADY_WAITING = '已为您转接人工客服，请稍候，坐席接入后会第一时间回复您。';
const NOBODY_AVAILABLE =
  '非常抱歉，当前暂无坐席可以接入（坐席均不在线或不在服务时间）。您可以留言或预约，我们会尽快回复您；智能助理也会继续为您解答。';

/** Text a curator can group the same unanswered question by. */
const normalizeQuestion = (q: string) =>
  q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .slice(0, 200);

export function createAssistantService(deps: AssistantDeps) {
  const { db, index, conversations, logger } = deps;
  // One turn at a time per conversation, so the dialogue state is never written by two turns at once.
  const chains = new Map<string, Promise<void>>();
  const profiles = new Map<string, Profile>();

  function serial(conversationId: string, fn: () => Promise<void>): Promise<void> {
    const prev = chains.get(conversationId) ?? Promise.resolve();
    const next = prev.then(fn).catch((err) => logger.error({ err, conversationId }, 'bot turn failed'));
    chains.set(conversationId, next);
    void next.finally(() => {
      if (chains.get(conversationId) === next) chains.delete(conversationId);
    });
    return next;
  }

  /** Like serial, for a taxpayer's request: the caller gets fn's failure (a 503, not a success that did nothing). */
  async function serialOrThrow(conversationId: string, fn: () => Promise<void>): Promise<void> {
    let failure: { err: unknown } | undefined;
    await serial(conversationId, () =>
      fn().catch((err: unknown) => {
        failure = { err };
        throw err;
      }),
    );
    if (failure) throw failure.err;
  }

  async function profileOf(taxpayerId: string): Promise<Profile> {
    const cached = profiles.get(taxpayerId);
    if (cached) return cached;
    const p = await identityRepo.profile(db, taxpayerId);
    const profile: Profile = p ? { taxpayerType: p.type, industry: p.industry, region: p.region } : {};
    if (profiles.size > 10_000) profiles.clear();
    profiles.set(taxpayerId, profile);
    return profile;
  }

  async function post(conversationId: string, clientId: string, body: string, payload: TMessagePayload) {
    return conversations.postAsBot(conversationId, { clientId, body, payload });
  }

  async function announceHandoff(
    conversationId: string,
    clientId: string,
    state: DialogueState,
    reason: HandoffReason | 'button',
    alreadyRequested: boolean,
  ): Promise<HandoffResult | 'recorded'> {
    await conversationRepo.saveBotState(db, conversationId, state, reason);
    await post(conversationId, clientId, alreadyRequested ? ALREADY_WAITING : HANDOFF_TEXT[reason], {
      kind: 'handoff_requested',
      reason,
    });
    if (!deps.handoff) return 'recorded';
    const topicId = state.previousEntryId ? (index.current.entries.get(state.previousEntryId)?.topicId ?? null) : null;
    const result = await deps.handoff.request(conversationId, reason, topicId);
    if (result === 'unavailable' || result === 'closed') {
      const body =
        result === 'closed' && deps.settings
          ? `非常抱歉，现在不在人工服务时间（${describeHours(await deps.settings.serviceHours())}）。您可以留言或预约，我们会尽快回复您；智能助理也会继续为您解答。`
          : NOBODY_AVAILABLE;
      await post(conversationId, `${clientId}-unavailable`, body, {
        kind: 'agents_unavailable',
        offers: ['inquiry', 'appointment'],
      });
    }
    return result;
  }

  /** Smart detection with the 'offer' rule: ask before transferring; the reason waits in the state. */
  async function offerHandoff(conversationId: string, clientId: string, state: DialogueState, reason: HandoffReason) {
    await conversationRepo.saveBotState(db, conversationId, { ...state, offerReason: reason });
    await post(conversationId, clientId, '需要为您转人工服务吗？', { kind: 'handoff_offer', reason });
  }

  async function signalConfig(): Promise<Partial<SignalConfig>> {
    if (!deps.settings) return {};
    const r = await deps.settings.handoffRules();
    return {
      handoffKeywords: r.keywords,
      noAnswerLimit: r.noAnswerLimit,
      unhelpfulLimit: r.unhelpfulLimit,
      multiTurnLimit: r.multiTurnLimit,
      emotionThreshold: r.emotionThreshold,
    };
  }

  /** Keyword requests always transfer; smart signals transfer or ask first, per the rules. */
  async function onSignal(
    conv: { id: string; handoffRequestedAt: Date | null },
    clientId: string,
    state: DialogueState,
    reason: HandoffReason,
  ) {
    const mode = deps.settings ? (await deps.settings.handoffRules()).smartMode : 'direct';
    if (reason !== 'keyword' && mode === 'offer' && !conv.handoffRequestedAt) {
      return offerHandoff(conv.id, clientId, state, reason);
    }
    return announceHandoff(conv.id, clientId, state, reason, conv.handoffRequestedAt !== null);
  }

  async function turn(message: TMessage): Promise<void> {
    const conv = await conversationRepo.byId(db, message.conversationId);
    // an agent has taken the conversation: the bot stops
    if (conv?.status !== 'open' || conv.assigneeStaffId) return;
    const snap = index.current;
    const state = (conv.botState as DialogueState | null) ?? initialDialogueState();
    const outcome = snap.engine.answer(message.body, {
      profile: await profileOf(conv.taxpayerId),
      context: { previousQuery: state.previousQuery, previousEntryId: state.previousEntryId ?? null },
    });
    const step = stepDialogue(
      state,
      { type: 'message', text: message.body, outcome: outcome.kind, entryId: outcome.entryId },
      await signalConfig(),
    );
    const clientId = `bot-${message.id}`;

    if (step.handoff) {
      await onSignal(conv, clientId, step.state, step.handoff.reason);
      return;
    }
    await conversationRepo.saveBotState(db, conv.id, step.state);

    const entry = outcome.entryId ? snap.entries.get(outcome.entryId) : undefined;
    if (outcome.kind === 'answer' && entry) {
      await post(conv.id, clientId, entry.answer, {
        kind: 'answer',
        entryId: entry.id,
        question: entry.question,
        documents: entry.documents.flatMap((id) => {
          const d = snap.documents.get(id);
          return d ? [toDocumentRef(d)] : [];
        }),
      });
      await knowledgeRepo.countHit(db, entry.id);
    } else if (outcome.kind === 'clarify' && outcome.candidates.length >= 2) {
      await post(conv.id, clientId, CLARIFY_TEXT, {
        kind: 'clarify',
        candidates: outcome.candidates.slice(0, 4).map((c) => ({ entryId: c.entryId, question: c.question })),
      });
    } else if (outcome.kind === 'smalltalk') {
      await post(conv.id, clientId, outcome.smalltalkReply ?? '您好，请问有什么可以帮您？', { kind: 'smalltalk' });
    } else {
      await post(conv.id, clientId, NO_ANSWER_TEXT, {
        kind: 'no_answer',
        offers: ['handoff', 'inquiry', 'appointment'],
      });
      await knowledgeRepo.recordUnanswered(db, normalizeQuestion(message.body), message.body.slice(0, 500));
    }
  }

  return {
    /** Subscribes the bot to taxpayers' messages. */
    start() {
      return deps.bus.on('message.created', ({ message }) => {
        if (message.senderType !== 'taxpayer') return;
        return serial(message.conversationId, () => turn(message));
      });
    },

    /** 有用 / 没用 on one of the bot's answers in the taxpayer's own conversation. */
    async feedback(actor: TaxpayerActor, messageId: string, helpful: boolean) {
      const message = await conversationRepo.message(db, messageId);
      const owner = message ? await conversations.ownerOf(message.conversationId).catch(() => null) : null;
      if (!message || !owner || !conversationPolicy.canView(actor, owner)) {
        throw new AppError('NOT_FOUND', '消息不存在。');
      }
      if (message.senderType !== 'bot' || message.payload?.kind !== 'answer') {
        throw new AppError('VALIDATION_FAILED', '只能对智能助理的答案进行评价。');
      }
      const entryId = message.payload.entryId;
      await db
        .insert(botFeedback)
        .values({ messageId, entryId, helpful })
        .onConflictDoUpdate({ target: botFeedback.messageId, set: { helpful } });
      await serialOrThrow(message.conversationId, async () => {
        const conv = await conversationRepo.byId(db, message.conversationId);
        if (conv?.status !== 'open' || conv.assigneeStaffId) return;
        const state = (conv.botState as DialogueState | null) ?? initialDialogueState();
        const step = stepDialogue(state, { type: 'feedback', helpful }, await signalConfig());
        if (step.handoff) {
          await onSignal(conv, `bot-feedback-${messageId}`, step.state, step.handoff.reason);
        } else {
          await conversationRepo.saveBotState(db, conv.id, step.state);
        }
      });
      return { ok: true as const };
    },

    /** 问答套餐: the bot offers a topic's questions as choices in the taxpayer's conversation. */
    async startTopic(actor: TaxpayerActor, topicId: string, input: { conversationId: string; clientId: string }) {
      const owner = await conversations.visibleOwner(actor, input.conversationId);
      const snap = index.current;
      const topic = snap.topics.get(topicId);
      const questions = topic ? await topicQuestions(db, snap, topicId) : [];
      if (!topic || questions.length === 0) throw new AppError('NOT_FOUND', '该问答套餐不存在或暂无问题。');
      return post(owner.id, `topic-${input.clientId}`, `「${topic.name}」常见问题，请点击您想了解的问题：`, {
        kind: 'topic_menu',
        topicId,
        topicName: topic.name,
        questions,
      });
    },

    /** The 转人工 button. */
    async requestHuman(actor: TaxpayerActor, conversationId: string) {
      await conversations.visibleOwner(actor, conversationId);
      let status: HandoffResult | 'recorded' = 'recorded';
      await serialOrThrow(conversationId, async () => {
        const conv = await conversationRepo.byId(db, conversationId);
        if (conv?.status !== 'open') {
          status = 'closed';
          return;
        }
        if (conv.assigneeStaffId) {
          status = 'assigned';
          return;
        }
        const saved =
          (conv.botState as (DialogueState & { offerReason?: HandoffReason }) | null) ?? initialDialogueState();
        // accepting the bot's offer keeps the reason the signals found
        const { offerReason, ...state } = saved as DialogueState & { offerReason?: HandoffReason };
        status = await announceHandoff(
          conv.id,
          `button-${randomUUID()}`,
          state,
          offerReason ?? 'button',
          conv.handoffRequestedAt !== null,
        );
      });
      return { ok: true as const, status };
    },

    /** Waits for every queued bot turn (tests, graceful shutdown). */
    async idle() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
}

export type AssistantService = ReturnType<typeof createAssistantService>;
