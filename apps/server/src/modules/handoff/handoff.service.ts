/**
 * 转人工: the queue for a human and its routing. A request joins the queue of the skill group that fits the taxpayer's
 * tax office and business; the oldest waiting conversation goes to the least-loaded online agent of the group within
 * their cap; the taxpayer sees their place and an estimated wait live, and who joined. When nobody can serve (every
 * agent away), the taxpayer is told so and offered other ways instead of an endless queue.
 */
import type { THandoffReason } from '@zhengna/contracts';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { conversations as conversationsTable, staff } from '../../db/schema.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import { conversationRepo } from '../conversation/conversation.repo.ts';
import type { ConversationService } from '../conversation/conversation.service.ts';
import { identityRepo } from '../identity/identity.repo.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { type Assignment, handoffRepo } from './handoff.repo.ts';
import { businessOf, chooseGroup, type GroupRow } from './routing.ts';

/** A rough service time per conversation, for the estimated wait shown to the taxpayer. */
const AVERAGE_HANDLING_SECONDS = 180;

export type HandoffResult = 'queued' | 'assigned' | 'unavailable';

export function createHandoffService(deps: {
  db: Db;
  bus: EventBus;
  conversations: ConversationService;
  logger: Logger;
}) {
  const { db, bus, conversations } = deps;

  async function announce(a: Assignment) {
    const [agent] = await db.select().from(staff).where(eq(staff.id, a.staffId));
    const summary = await conversationRepo.summary(db, a.conversationId);
    const name = agent?.name ?? '坐席';
    await conversations.postAsBot(a.conversationId, {
      clientId: `joined-${a.conversationId}-${a.staffId}`,
      body: `坐席${name}已接入，为您服务。`,
      payload: { kind: 'agent_joined', agentName: name },
      senderType: 'system',
    });
    bus.publish('conversation.assigned', {
      staffId: a.staffId,
      conversationId: a.conversationId,
      taxpayerName: summary?.taxpayer.name ?? '',
      reason: summary?.conversation.handoffReason ?? null,
    });
  }

  /** Tells everyone waiting in the group their place and an estimated wait. */
  async function publishPositions(groupId: string) {
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

  /** Assigns as many waiting conversations of the group as its agents can take now. */
  async function drain(groupId: string): Promise<Assignment[]> {
    const done: Assignment[] = [];
    for (;;) {
      const a = await handoffRepo.assignOne(db, groupId);
      if (!a) break;
      done.push(a);
      await announce(a);
    }
    await publishPositions(groupId);
    return done;
  }

  async function groupFor(taxpayerId: string, topicId: string | null): Promise<GroupRow | null> {
    const profile = await identityRepo.profile(db, taxpayerId);
    const groups = await handoffRepo.groups(db);
    const chain = profile ? await handoffRepo.officeChain(db, profile.taxOfficeId) : [];
    return chooseGroup(groups, chain, businessOf(topicId));
  }

  return {
    drain,

    /** A request for a human in this conversation (any trigger); the reason is already recorded by the caller. */
    async request(conversationId: string, _reason: THandoffReason, topicId: string | null): Promise<HandoffResult> {
      const conv = await conversationRepo.byId(db, conversationId);
      if (conv?.status !== 'open') return 'unavailable';
      if (conv.assigneeStaffId) return 'assigned';
      const group = conv.queueGroupId
        ? ((await handoffRepo.groups(db)).find((g) => g.id === conv.queueGroupId) ?? null)
        : await groupFor(conv.taxpayerId, topicId);
      if (!group) return 'unavailable';
      const serving = [group.id, ...(group.fallbackGroupId ? [group.fallbackGroupId] : [])];
      if ((await handoffRepo.onlineAgents(db, serving)) === 0) return 'unavailable';
      await handoffRepo.enqueue(db, conversationId, group.id);
      const assigned = await drain(group.id);
      return assigned.some((a) => a.conversationId === conversationId) ? 'assigned' : 'queued';
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
          const [row] = await db.select().from(conversationsTable).where(eq(conversationsTable.id, c.id));
          if (row?.queuedAt && Date.now() - row.queuedAt.getTime() > g.overflowAfterSeconds * 1000) {
            await handoffRepo.enqueueInto(db, c.id, g.fallbackGroupId);
          }
        }
      }
      for (const g of await handoffRepo.groupsWithQueue(db)) await drain(g);
    },
  };
}

export type HandoffService = ReturnType<typeof createHandoffService>;
