/**
 * Calls and remote assistance: the state machine behind the signalling. The server never touches media; it decides
 * who may ring whom, moves each call through its states exactly once (one conditional UPDATE per step, safe across
 * nodes), expires unanswered and stuck calls (a timer on the node that made the step, and a sweep for what a dead
 * node left), ends calls when the agent no longer holds the conversation, marks the timeline, and relays the peers'
 * offers, answers and candidates to the other side only. Every change reaches both sides as `call:update`.
 */
import { randomUUID } from 'node:crypto';
import {
  isFinalCallState,
  type TCall,
  type TCallInviteRequest,
  type TCallParty,
  type TCallRecordsPage,
  type TCallRecordsQuery,
  type TCallRef,
  type TCallRequest,
  type ZCallDecline,
  type ZCallFailed,
} from '@zhengna/contracts';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AppError } from '../../platform/app-error.ts';
import type { CallSignal, CallSignalMessage, EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { cstStartOf, shiftDate } from '../appointment/appointment-calendar.ts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import { conversationRepo } from '../conversation/conversation.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import type { Actor, StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { callNotice } from './call-notices.ts';
import { type CallStep, callsPolicy, SIGNALLING_STATES } from './calls.policy.ts';
import {
  type CallAccess,
  type CallRow,
  type CallWithNames,
  callsRepo,
  durationSoFar,
  type ExpiryRule,
  uniqueViolation,
} from './calls.repo.ts';

export type CallTimeouts = { ringSeconds: number; connectSeconds: number };
type Party = TaxpayerActor | StaffActor;
type TCallDecline = z.infer<typeof ZCallDecline>;
type TCallFailed = z.infer<typeof ZCallFailed>;

/** Beyond the socket's general token bucket: ringing somebody is not something to do in a loop. */
const PER_MINUTE = { request: 6, invite: 10 } as const;
/** A node's timer fires a little after the deadline, so the database clock has certainly passed it too. */
const TIMER_SLACK_MS = 250;
/** An unanswered request waits this many ring times before it lapses (the agent may be busy typing). */
const REQUEST_RINGS = 4;

const notFound = () => new AppError('NOT_FOUND', '通话不存在或已结束。');

export function toCall(row: CallWithNames): TCall {
  return {
    id: row.id,
    conversationId: row.conversationId,
    kind: row.kind,
    state: row.state,
    initiator: row.initiator,
    agentName: row.agentName,
    taxpayerName: row.taxpayerName,
    note: row.note,
    failureReason: row.failureReason,
    endedBy: row.endedBy,
    createdAt: row.createdAt.toISOString(),
    invitedAt: row.invitedAt?.toISOString() ?? null,
    connectedAt: row.connectedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    durationSeconds: row.durationSeconds,
  };
}

/** At most `max` hits per key in any minute; in memory, per node (a rough brake, not an accounting). */
function perMinute(max: number) {
  const hits = new Map<string, number[]>();
  return (key: string): boolean => {
    const now = Date.now();
    const recent = (hits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (hits.size > 10_000) for (const [k, v] of hits) if (v.every((t) => now - t >= 60_000)) hits.delete(k);
    if (recent.length >= max) {
      hits.set(key, recent);
      return false;
    }
    recent.push(now);
    hits.set(key, recent);
    return true;
  };
}

export function createCallsService(deps: {
  db: Db;
  bus: EventBus;
  conversations: ConversationService;
  logger: Logger;
  timeouts: CallTimeouts;
  /** Every call that reached a final state, once (metrics). */
  onFinal?: (call: TCall) => void;
}) {
  const { db, bus, conversations, logger } = deps;
  const rules: ExpiryRule[] = [
    { state: 'inviting', afterSeconds: deps.timeouts.ringSeconds },
    { state: 'requested', afterSeconds: deps.timeouts.ringSeconds * REQUEST_RINGS },
    { state: 'connecting', afterSeconds: deps.timeouts.connectSeconds },
  ];
  const limits = { request: perMinute(PER_MINUTE.request), invite: perMinute(PER_MINUTE.invite) };
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let closed = false;

  function disarm(callId: string) {
    const t = timers.get(callId);
    if (t) clearTimeout(t);
    timers.delete(callId);
  }

  /** The precise expiry of a state this node just entered; the sweep covers a node that dies before it fires. */
  function arm(row: CallRow) {
    disarm(row.id);
    const rule = rules.find((r) => r.state === row.state);
    if (!rule || closed) return;
    const timer = setTimeout(
      () => {
        timers.delete(row.id);
        callsRepo
          .expire(db, rule, row.id)
          .then((expired) => Promise.all(expired.map(changed)))
          .catch((err) => logger.warn({ err, callId: row.id }, 'call expiry failed; the sweep will retry'));
      },
      rule.afterSeconds * 1000 + TIMER_SLACK_MS,
    );
    timer.unref();
    timers.set(row.id, timer);
  }

  /** After every change: both sides hear it, the timeline gets its mark, a final call is counted. */
  async function changed(row: CallWithNames): Promise<TCall> {
    const call = toCall(row);
    arm(row);
    bus.publish('call.updated', { call, rooms: callsPolicy.rooms(row) });
    if (isFinalCallState(call.state)) deps.onFinal?.(call);
    const body = callNotice(call);
    if (body) {
      await conversations
        .postAsBot(
          row.conversationId,
          {
            clientId: `call:${row.id}:${row.state}`,
            senderType: 'system',
            body,
            payload: {
              kind: 'call',
              callId: row.id,
              callKind: row.kind,
              state: row.state,
              durationSeconds: row.durationSeconds,
            },
          },
          { id: row.conversationId, portalUserId: row.portalUserId, taxpayerId: row.taxpayerId },
        )
        // the call itself changed; a timeline mark that cannot go in (the conversation closed) is not its failure
        .catch((err) => logger.warn({ err, callId: row.id }, 'call notice not posted'));
    }
    return call;
  }

  /** The call named by `ref`, if the actor is one of its two parties; "not found" for anybody else. */
  async function partyCall(actor: Party, ref: TCallRef): Promise<{ row: CallAccess; party: TCallParty }> {
    const row = await callsRepo.access(db, ref.callId);
    // a real call id paired with another conversation is as unknown as a made-up one
    if (!row || row.conversationId !== ref.conversationId) throw notFound();
    const party = callsPolicy.partyOf(actor, row);
    if (!party) throw notFound();
    return { row, party };
  }

  /** Refuses a call that is over (a stale signal) or whose agent no longer holds the conversation. */
  function mustBeLive(row: CallAccess) {
    if (isFinalCallState(row.state)) throw new AppError('CALL_STATE_CHANGED');
    if (!callsPolicy.isLive(row, { status: row.conversationStatus, assigneeStaffId: row.assigneeStaffId })) {
      throw new AppError('CALL_NOT_LIVE', '该会话已不由这位坐席服务，通话无法继续。');
    }
  }

  /** A conditional UPDATE found nothing to move: says why, from a fresh read. */
  async function refused(callId: string): Promise<never> {
    const now = await callsRepo.access(db, callId);
    if (!now) throw notFound();
    mustBeLive(now);
    throw new AppError('CALL_STATE_CHANGED');
  }

  /** One step of a party: checks, then one conditional UPDATE. */
  async function step(
    actor: Party,
    ref: TCallRef,
    name: CallStep,
    set: (party: TCallParty) => Partial<Record<keyof CallRow, unknown>>,
  ): Promise<TCall> {
    const { row, party } = await partyCall(actor, ref);
    const from = callsPolicy.allowedFrom(name, party);
    if (!from) throw new AppError('FORBIDDEN', '这一步应由通话的另一方操作。');
    mustBeLive(row);
    // both sides report their connection up; the second report finds the call active already
    if (name === 'connected' && row.state === 'active') return toCall(row);
    if (!from.includes(row.state)) throw new AppError('CALL_STATE_CHANGED');
    const moved = await callsRepo.step(db, row.id, name === 'connected' ? ['connecting'] : from, set(party));
    if (moved) return changed(moved);
    if (name === 'connected') {
      const now = await callsRepo.access(db, row.id);
      if (now?.state === 'active') return toCall(now);
    }
    return refused(row.id);
  }

  function limited(kind: keyof typeof limits, actor: Party) {
    const key = actor.kind === 'staff' ? `staff:${actor.staffId}` : `person:${actor.portalUserId}`;
    if (!limits[kind](key)) {
      throw new AppError(
        'RATE_LIMITED',
        kind === 'request' ? '请求通话过于频繁，请稍后再试。' : '发起通话邀请过于频繁，请稍后再试。',
      );
    }
  }

  /** A new live call; the conversation's one-live-call index turns a second one into CALL_BUSY. */
  async function insert(values: Parameters<typeof callsRepo.insert>[1]): Promise<TCall> {
    try {
      return await changed(await callsRepo.insert(db, values));
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === null) throw err;
      if (index === 'calls_pkey') throw new AppError('CALL_STATE_CHANGED');
      throw new AppError('CALL_BUSY');
    }
  }

  const now = sql`now()`;

  return {
    /** Taxpayer: "please call me" / "please help me on my screen", to the agent who holds the conversation. */
    async request(actor: TaxpayerActor, input: TCallRequest): Promise<TCall> {
      limited('request', actor);
      const conv = await conversationRepo.byId(db, input.conversationId);
      if (!conv || !conversationPolicy.canView(actor, conv)) throw new AppError('NOT_FOUND', '会话不存在。');
      if (conv.status !== 'open') throw new AppError('CONVERSATION_CLOSED');
      if (!conv.assigneeStaffId) {
        throw new AppError('CALL_NOT_LIVE', '请先转人工，坐席接入后即可请求通话或远程协助。');
      }
      return insert({
        id: randomUUID(),
        conversationId: conv.id,
        taxpayerId: conv.taxpayerId,
        portalUserId: conv.portalUserId,
        staffId: conv.assigneeStaffId,
        kind: input.kind,
        state: 'requested',
        initiator: 'taxpayer',
        note: input.note,
      });
    },

    /**
     * Agent: ring the taxpayer — a new call, or the answer to the taxpayer's pending request (same id). A resend of
     * the same invitation (a lost ack) gets the call as it is.
     */
    async invite(actor: StaffActor, input: TCallInviteRequest): Promise<TCall> {
      limited('invite', actor);
      const existing = await callsRepo.access(db, input.callId);
      if (existing) {
        if (existing.conversationId !== input.conversationId || !callsPolicy.partyOf(actor, existing)) throw notFound();
        if (existing.state === 'inviting' && existing.kind === input.kind) return toCall(existing);
        mustBeLive(existing);
        if (existing.state !== 'requested') throw new AppError('CALL_STATE_CHANGED');
        const moved = await callsRepo.step(db, existing.id, ['requested'], {
          state: 'inviting',
          kind: input.kind,
          invitedAt: now,
        });
        return moved ? changed(moved) : refused(existing.id);
      }
      const conv = await conversationRepo.byId(db, input.conversationId);
      if (!conv) throw new AppError('NOT_FOUND', '会话不存在。');
      if (!callsPolicy.isLive({ staffId: actor.staffId }, conv)) {
        throw new AppError('CALL_NOT_LIVE', '只有正在服务该会话的坐席可以发起通话或远程协助。');
      }
      return insert({
        id: input.callId,
        conversationId: conv.id,
        taxpayerId: conv.taxpayerId,
        portalUserId: conv.portalUserId,
        staffId: actor.staffId,
        kind: input.kind,
        state: 'inviting',
        initiator: 'agent',
        invitedAt: now,
      });
    },

    /** Taxpayer takes the invitation (for remote assistance: consent to share, given now). */
    accept: (actor: TaxpayerActor, ref: TCallRef) =>
      step(actor, ref, 'accept', () => ({ state: 'connecting', answeredAt: now })),

    decline: (actor: Party, input: TCallDecline) =>
      step(actor, input, 'decline', (party) => ({ state: 'declined', endedBy: party, endedAt: now })),

    cancel: (actor: Party, ref: TCallRef) =>
      step(actor, ref, 'cancel', (party) => ({ state: 'cancelled', endedBy: party, endedAt: now })),

    hangup: (actor: Party, ref: TCallRef) =>
      step(actor, ref, 'hangup', (party) => ({
        state: 'ended',
        endedBy: party,
        endedAt: now,
        durationSeconds: durationSoFar,
      })),

    connected: (actor: Party, ref: TCallRef) =>
      step(actor, ref, 'connected', () => ({ state: 'active', connectedAt: now })),

    failed: (actor: Party, input: TCallFailed) =>
      step(actor, input, 'failed', (party) => ({
        state: 'failed',
        failureReason: input.reason,
        endedBy: party,
        endedAt: now,
        durationSeconds: durationSoFar,
      })),

    /** Relays an offer, answer, candidate or restart request to the other side; nothing is stored. */
    async signal(actor: Party, signal: CallSignalMessage): Promise<null> {
      const { row, party } = await partyCall(actor, signal.payload);
      mustBeLive(row);
      if (!SIGNALLING_STATES.includes(row.state)) throw new AppError('CALL_STATE_CHANGED');
      bus.publish('call.signal', { ...signal, room: callsPolicy.otherRoom(party, row) } as CallSignal);
      return null;
    },

    /**
     * The agent's hold on the conversation ended or is about to (`closing`): calls of an agent who no longer holds
     * it end now, with their marks still in the open conversation.
     */
    async assignmentEnded(conversationId: string, opts: { closing: boolean }): Promise<number> {
      const ended = await callsRepo.endStale(db, conversationId, opts.closing);
      for (const row of ended) await changed(row);
      return ended.length;
    },

    /** The periodic sweep: calls left ringing or connecting, or left in a lost assignment, by a node that died. */
    async sweep(): Promise<number> {
      let n = 0;
      for (const rule of rules) {
        for (const row of await callsRepo.expire(db, rule)) {
          await changed(row);
          n++;
        }
      }
      for (const row of await callsRepo.endOrphaned(db)) {
        await changed(row);
        n++;
      }
      return n;
    },

    /** Supervisors' call records, newest first; `from`/`to` are China Standard Time dates, both included. */
    /**
     * The calls not over yet of a socket that just connected: a ringing invitation or a waiting request is shown
     * again after a reload or a reconnect that missed its `call:update`.
     */
    async live(actor: Actor): Promise<TCall[]> {
      if (actor.kind === 'staff') return (await callsRepo.liveFor(db, { staffId: actor.staffId })).map(toCall);
      if (actor.kind === 'taxpayer')
        return (await callsRepo.liveFor(db, { portalUserId: actor.portalUserId, taxpayerId: actor.taxpayerId })).map(
          toCall,
        );
      return [];
    },

    async records(_actor: StaffActor, q: TCallRecordsQuery): Promise<TCallRecordsPage> {
      if (q.from && q.to && q.from > q.to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期。');
      const { rows, total } = await callsRepo.records(db, {
        ...q,
        ...(q.from ? { fromAt: cstStartOf(q.from) } : {}),
        ...(q.to ? { toBefore: cstStartOf(shiftDate(q.to, 1)) } : {}),
      });
      return {
        items: rows.map((r) => ({ ...toCall(r), staffId: r.staffId, taxpayerNo: r.taxpayerNo })),
        total,
      };
    },

    /** Stops this node's timers (shutdown); what they would have done is left to the sweep. */
    close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

export type CallsService = ReturnType<typeof createCallsService>;
