/**
 * 转人工: the queue for a human and its routing. A request joins the queue of the skill group that fits the taxpayer's
 * tax office and business; the oldest waiting conversation goes to the least-loaded online agent of the group within
 * their cap; the taxpayer sees their place and an estimated wait live, and who joined. When nobody can serve (every
 * agent away), the taxpayer is told so and offered other ways instead of an endless queue.
 */
import type { THandoffReason } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { staff } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import { conversationRepo } from '../conversation/conversation.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { isOpen } from '../settings/service-hours.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { type Assignment, type AssignmentDetails, type DecisionHook, handoffRepo } from './handoff.repo.ts';
import { businessOf, chooseGroup } from './routing.ts';

/** A rough service time per conversation, for the estimated wait shown to the taxpayer. */
const AVERAGE_HANDLING_SECONDS = 180;
const POSITIONS_EVERY_MS = 500;

export type HandoffResult = 'queued' | 'assigned' | 'unavailable' | 'closed';
export type AssignmentEndListener = (conversationId: string, opts: { closing: boolean }) => Promise<unknown>;

export function createHandoffService(deps: {
  db: Db;
  bus: EventBus;
  conversations: ConversationService;
  settings: SettingsService;
  logger: Logger;
}) {
  const { db, bus, conversations } = deps;

  /**
   * Tells the taxpayer who joined (agent_joined) and the agent's workspace (conversation.assigned). An assignment
   * made by assignOne brings what this says with it; the others (accept, manual assignment, transfer, the sweep)
   * read it here.
   */
  async function announce(a: Pick<Assignment, 'conversationId' | 'staffId'> & { details?: AssignmentDetails }) {
    let details = a.details;
    if (!details) {
      const [agent] = await db.select().from(staff).where(eq(staff.id, a.staffId));
      const summary = await conversationRepo.summary(db, a.conversationId);
      details = {
        agentName: agent?.name ?? '坐席',
        taxpayerName: summary?.taxpayer.name ?? '',
        reason: summary?.conversation.handoffReason ?? null,
        ...(summary && {
          owner: {
            id: summary.conversation.id,
            portalUserId: summary.conversation.portalUserId,
            taxpayerId: summary.conversation.taxpayerId,
          },
        }),
      };
    }
    const name = details.agentName;
    await conversations.postAsBot(
      a.conversationId,
      {
        clientId: `joined-${a.conversationId}-${a.staffId}`,
        body: `坐席${name}已接入，为您服务。`,
        payload: { kind: 'agent_joined', agentName: name },
        senderType: 'system',
      },
      details.owner,
    );
    bus.publish('conversation.assigned', {
      staffId: a.staffId,
      conversationId: a.conversationId,
      taxpayerName: details.taxpayerName,
      reason: details.reason,
    });
  }

  /** Tells everyone waiting in the group their place and an estimated wait. */
  /**
   * Positions change with every arrival, assignment and departure; at a peak that is thousands a second. So each
   * group's positions go out at most once per POSITIONS_EVERY_MS, coalesced, and off the request's path.
   */
  const positionTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function publishPositions(groupId: string): Promise<void> {
    if (!positionTimers.has(groupId)) {
      positionTimers.set(
        groupId,
        setTimeout(() => {
          positionTimers.delete(groupId);
          sendPositions(groupId).catch((err) => deps.logger.warn({ err, groupId }, 'queue positions not sent'));
        }, POSITIONS_EVERY_MS),
      );
    }
    return Promise.resolve();
  }

  async function sendPositions(groupId: string) {
    const [queued, online] = await Promise.all([
      handoffRepo.queued(db, groupId),
      handoffRepo.onlineAgents(db, [groupId]),
    ]);
    queued.forEach((c, i) => {
      const position = i + 1;
      bus.publish('queue.update', {
        taxpayerRoom: conversationPolicy.taxpayerRoom(c),
        conversationId: c.id,
        position,
        estimatedWaitSeconds: Math.ceil(position / Math.max(1, online)) * AVERAGE_HANDLING_SECONDS,
      });
    });
  }

  /** Timing hook: the duration of every assignment transaction (benchmarks, metrics). */
  const decisionListeners = new Set<DecisionHook>();
  const onDecision: DecisionHook = (ms, outcome) => {
    for (const fn of decisionListeners) {
      try {
        fn(ms, outcome);
      } catch (err) {
        deps.logger.warn({ err }, 'decision listener failed');
      }
    }
  };

  /**
   * Listeners told when an agent's hold on a conversation ends (calls end with it). Awaited, unlike the bus: on a
   * close they run before the conversation closes, so what they post still goes into its timeline.
   */
  const assignmentEndListeners = new Set<AssignmentEndListener>();
  async function assignmentEnded(conversationId: string, closing: boolean) {
    for (const fn of assignmentEndListeners) {
      // the conversation's own change has happened (or must happen): a listener's failure does not undo it
      await fn(conversationId, { closing }).catch((err) =>
        deps.logger.warn({ err, conversationId }, 'assignment-end listener failed'),
      );
    }
  }

  /** Assigns as many waiting conversations of the group as its agents can take now. */
  async function drain(groupId: string, opts: { seenRoom?: boolean } = {}): Promise<Assignment[]> {
    const done: Assignment[] = [];
    // the caller may just have seen somebody waiting and an agent with room: no need to look again first
    let skipPeek = Boolean(opts.seenRoom);
    for (let busyRetries = 0; ; ) {
      const a = await handoffRepo.assignOne(db, groupId, { onDecision, skipPeek });
      skipPeek = false;
      if (a === 'none') break;
      if (a === 'busy') {
        // another node is assigning in this group right now; its agents may still have room after it commits
        if (++busyRetries > 5) break;
        await new Promise((r) => setTimeout(r, 10 * busyRetries));
        continue;
      }
      done.push({ conversationId: a.conversationId, staffId: a.staffId });
      await announce(a);
    }
    await publishPositions(groupId);
    return done;
  }

  /** The conversation, if the actor holds it (supervisors and admins may act on any). */
  async function mustHold(actor: StaffActor, conversationId: string) {
    const conv = await conversationRepo.byId(db, conversationId);
    if (!conv) throw new AppError('NOT_FOUND', '会话不存在。');
    if (conv.status !== 'open') throw new AppError('CONVERSATION_CLOSED');
    if (actor.role === 'agent' && conv.assigneeStaffId !== actor.staffId) {
      throw new AppError('FORBIDDEN', '只能处理分配给您的会话。');
    }
    return conv;
  }

  async function giveTo(conversationId: string, staffId: string, replace: boolean) {
    const waitingIn = (await conversationRepo.byId(db, conversationId))?.queueGroupId;
    const r = await handoffRepo.assignTo(db, conversationId, staffId, { replace });
    if (r === 'full') throw new AppError('VALIDATION_FAILED', '已达到同时服务上限，请先结束部分会话。');
    if (r === 'gone') throw new AppError('VALIDATION_FAILED', '该会话已被其他坐席接入或已结束。');
    // a supervisor's assignment or takeover may have taken it from another agent
    if (replace) await assignmentEnded(conversationId, false);
    await announce({ conversationId, staffId });
    // everyone who waited behind it moves up
    if (waitingIn) await publishPositions(waitingIn);
    return { ok: true as const };
  }

  /** Closes a conversation with the rating request, then gives the freed place to whoever waits. */
  async function finish(conversationId: string) {
    // the last messages go in while the conversation is still open: calls end first, then the rating request
    await assignmentEnded(conversationId, true);
    await conversations.postAsBot(conversationId, {
      clientId: `end-${conversationId}`,
      body: '本次服务已结束，感谢您的咨询！请为本次服务评价。',
      payload: { kind: 'rating_request' },
      senderType: 'system',
    });
    const closed = await conversationRepo.close(db, conversationId);
    if (!closed) throw new AppError('CONVERSATION_CLOSED');
    if (closed.assigneeStaffId) {
      // only the agent's groups with somebody waiting and room now (their positions change only if one is assigned)
      for (const g of await handoffRepo.groupsToDrain(db, closed.assigneeStaffId)) await drain(g, { seenRoom: true });
    }
  }

  async function noteAndTell(actor: StaffActor, conversationId: string, to: string, note: string) {
    await conversations.postAsBot(conversationId, {
      clientId: `transfer-${conversationId}-${Date.now()}`,
      body: `正在为您转接至${to}，请稍候。`,
      payload: { kind: 'transferred', to },
      senderType: 'system',
    });
    if (note) {
      await conversations.send(actor, {
        conversationId,
        clientId: `transfer-note-${Date.now()}`,
        body: `【转接说明】${note}`,
        attachmentIds: [],
        private: true,
      });
    }
  }

  return {
    drain,

    /** A request for a human in this conversation (any trigger); the reason is already recorded by the caller. */
    async request(conversationId: string, _reason: THandoffReason, topicId: string | null): Promise<HandoffResult> {
      // one read for the conversation, the taxpayer's offices, the groups and who is online in them
      const route = await handoffRepo.routeInfo(db, conversationId);
      if (route?.status !== 'open') return 'unavailable';
      if (route.assigneeStaffId) return 'assigned';
      if (!isOpen(await deps.settings.serviceHours())) return 'closed';
      const group = route.queueGroupId
        ? (route.groups.find((g) => g.id === route.queueGroupId) ?? null)
        : chooseGroup(route.groups, route.officeChain, businessOf(topicId));
      if (!group) return 'unavailable';
      const serving = new Set([group.id, ...(group.fallbackGroupId ? [group.fallbackGroupId] : [])]);
      if (!route.groups.some((g) => serving.has(g.id) && g.online)) return 'unavailable';
      const { enqueued, room } = await handoffRepo.enqueue(db, conversationId, group.id);
      if (!room) {
        // every agent of the group is at their cap: it waits, and its place goes out with the others'
        await publishPositions(group.id);
        return 'queued';
      }
      const assigned = await drain(group.id, { seenRoom: enqueued });
      return assigned.some((a) => a.conversationId === conversationId) ? 'assigned' : 'queued';
    },

    /**
     * Listens to the duration of every assignment transaction (the decision itself, without the reads before it and
     * the announcement after it). Returns the unsubscribe.
     */
    onDecision(fn: DecisionHook): () => void {
      decisionListeners.add(fn);
      return () => decisionListeners.delete(fn);
    },

    /**
     * Listens for the end of an agent's hold on a conversation: closed (`closing`, before it closes), transferred,
     * sent back to a queue, or taken over. Returns the unsubscribe.
     */
    onAssignmentEnd(fn: AssignmentEndListener): () => void {
      assignmentEndListeners.add(fn);
      return () => assignmentEndListeners.delete(fn);
    },

    /** The agent takes a waiting conversation from the queue (within their cap). */
    async accept(actor: StaffActor, conversationId: string) {
      return giveTo(conversationId, actor.staffId, false);
    },

    /** Supervisor: give a conversation to an agent, or take it over (staffId = self). */
    async assign(_actor: StaffActor, conversationId: string, staffId: string) {
      return giveTo(conversationId, staffId, true);
    },

    /** Hand the conversation to a colleague or back to a group's queue, with a note only staff see. */
    async transfer(
      actor: StaffActor,
      conversationId: string,
      to: { toStaffId?: string; toGroupId?: string; note: string },
    ) {
      const conv = await mustHold(actor, conversationId);
      if (to.toStaffId) {
        const [target] = await db.select().from(staff).where(eq(staff.id, to.toStaffId));
        if (!target?.active) throw new AppError('NOT_FOUND', '坐席不存在。');
        if (target.presence === 'away') throw new AppError('VALIDATION_FAILED', `${target.name}当前不在线，无法转接。`);
        const r = await handoffRepo.assignTo(db, conversationId, target.id, { replace: true });
        if (r === 'full')
          throw new AppError('VALIDATION_FAILED', `${target.name}已达到同时服务上限，请稍后再转或转给技能组。`);
        if (r === 'gone') throw new AppError('CONVERSATION_CLOSED');
        await assignmentEnded(conv.id, false);
        await noteAndTell(actor, conv.id, target.name, to.note);
        await announce({ conversationId, staffId: target.id });
      } else if (to.toGroupId) {
        const group = (await handoffRepo.groups(db)).find((g) => g.id === to.toGroupId);
        if (!group) throw new AppError('NOT_FOUND', '技能组不存在。');
        await handoffRepo.requeue(db, conversationId, group.id);
        await assignmentEnded(conv.id, false);
        await noteAndTell(actor, conv.id, group.name, to.note);
        await drain(group.id);
      }
      return { ok: true as const };
    },

    /**
     * Idle rule: a taxpayer silent after the agent's last message is warned, then the conversation is closed (with
     * the rating request), freeing the agent for whoever waits.
     */
    async closeIdle(limits: { warnMinutes: number; closeMinutes: number }, now = new Date()) {
      // close first: a warning given in this sweep cannot also close in it
      const closeBefore = new Date(now.getTime() - limits.closeMinutes * 60_000);
      for (const c of await handoffRepo.idle(db, closeBefore, 'close')) await finish(c.id);
      const warnBefore = new Date(now.getTime() - limits.warnMinutes * 60_000);
      for (const c of await handoffRepo.idle(db, warnBefore, 'warn')) {
        await conversations.postAsBot(c.id, {
          clientId: `idle-${c.id}-${now.getTime()}`,
          body: `您已有一段时间没有回复。如果没有其他问题，本次会话将在 ${limits.closeMinutes} 分钟后自动结束。`,
          payload: { kind: 'idle_warning' },
          senderType: 'system',
        });
      }
    },

    /** Ends the conversation: the taxpayer is asked for a rating, and the agent's place goes to whoever waits. */
    async end(actor: StaffActor, conversationId: string) {
      await mustHold(actor, conversationId);
      await finish(conversationId);
      return { ok: true as const };
    },

    /** Waiting conversations the agent could take (supervisors: all groups). */
    async queue(actor: StaffActor) {
      const groups = actor.role === 'agent' ? await handoffRepo.groupsOf(db, actor.staffId) : null;
      const now = Date.now();
      return (await handoffRepo.queuedWithDetails(db, groups)).map((q) => ({
        conversationId: q.conversationId,
        groupId: q.groupId,
        groupName: q.groupName,
        taxpayerName: q.taxpayerName,
        personName: q.personName,
        reason: (q.reason as THandoffReason | null) ?? null,
        queuedAt: (q.queuedAt ?? new Date()).toISOString(),
        waitingSeconds: Math.max(0, Math.round((now - (q.queuedAt?.getTime() ?? now)) / 1000)),
      }));
    },

    agents: async () => (await handoffRepo.agents(db)).map((a) => ({ ...a, load: Number(a.load) })),

    groups: async () => (await handoffRepo.groups(db)).map((g) => ({ id: g.id, name: g.name })),

    /** Supervisors' live board: per group the queue and its longest wait, per agent presence and load. */
    async board(_actor: StaffActor) {
      const [groups, queued, agents] = await Promise.all([
        handoffRepo.groups(db),
        handoffRepo.queuedWithDetails(db, null),
        handoffRepo.agents(db),
      ]);
      const now = Date.now();
      const out = [];
      for (const g of groups) {
        const waiting = queued.filter((q) => q.groupId === g.id);
        const oldest = waiting[0]?.queuedAt?.getTime();
        out.push({
          groupId: g.id,
          name: g.name,
          waiting: waiting.length,
          longestWaitSeconds: oldest ? Math.round((now - oldest) / 1000) : 0,
          agentsOnline: await handoffRepo.onlineAgents(db, [g.id]),
        });
      }
      return { groups: out, agents: agents.map((a) => ({ ...a, load: Number(a.load) })) };
    },

    /** 在线 / 忙碌 / 离开. Coming online takes waiting conversations at once. */
    async setPresence(actor: StaffActor, presence: 'online' | 'busy' | 'away') {
      await handoffRepo.setPresence(db, actor.staffId, presence);
      if (presence === 'online') for (const g of await handoffRepo.groupsOf(db, actor.staffId)) await drain(g);
      return { presence };
    },

    /** The taxpayer stops waiting for a human (the bot goes on). */
    async leaveQueue(actor: TaxpayerActor, conversationId: string) {
      await conversations.visibleOwner(actor, conversationId);
      const conv = await conversationRepo.byId(db, conversationId);
      const group = conv?.queueGroupId;
      const left = await handoffRepo.leave(db, conversationId);
      if (group) await publishPositions(group);
      return { left };
    },

    /** Stops pending position updates (shutdown). */
    stop() {
      for (const t of positionTimers.values()) clearTimeout(t);
      positionTimers.clear();
    },

    /**
     * The periodic sweep: a conversation that waited longer than its group's overflow time moves to the fallback
     * group; then every group with a queue is drained (agents may have come free).
     */
    async sweep() {
      const groups = await handoffRepo.groups(db);
      for (const g of groups) {
        if (!g.fallbackGroupId) continue;
        const queued = await handoffRepo.queued(db, g.id);
        for (const c of queued) {
          if (c.queuedAt && Date.now() - c.queuedAt.getTime() > g.overflowAfterSeconds * 1000) {
            await handoffRepo.enqueueInto(db, c.id, g.fallbackGroupId);
          }
        }
      }
      for (const g of await handoffRepo.groupsWithQueue(db)) await drain(g);
      // an assignment committed but not announced (the node failed in between) is announced now
      for (const a of await handoffRepo.unannounced(db)) await announce(a);
    },
  };
}

export type HandoffService = ReturnType<typeof createHandoffService>;
