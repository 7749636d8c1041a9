/**
 * Conversation use cases: the taxpayer's current conversation, history pages, sending (idempotent, sequenced, stored
 * before ack), resync after reconnect, the workspace list, and attachments.
 */
import {
  maskPhone,
  type TAttachment,
  type TConversation,
  type TConversationSummary,
  type TMessage,
  type TMessagePage,
  type TMessagePayload,
  type TSendMessage,
  type TTaxpayerCard,
} from '@zhengna/contracts';
import { conversationRatings } from '../../db/schema.ts';
import { AppError, isDatabaseUnavailable } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import type { FileStore } from '../../platform/files.ts';
import { identityRepo } from '../identity/identity.repo.ts';
import type { Actor, StaffActor, TaxpayerActor } from '../identity/identity.types.ts';
import { cleanFileName, detectAllowedType, reencodeImage } from './attachment-rules.ts';
import { type ConversationOwner, conversationPolicy } from './conversation.policy.ts';
import { type AttachmentRow, type ConversationRow, conversationRepo, type MessageRow } from './conversation.repo.ts';
import { MessageWriter } from './message-writer.ts';

export type ConversationDeps = { db: Db; bus: EventBus; files: FileStore; onBatch?: (size: number) => void };

const OWNER_CACHE_MAX = 50_000;
const FANNED_OUT_MAX = 20_000;
export const BOT_NAME = '智能助理';
const SYNC_LIMIT_PER_CONVERSATION = 500;

export function toConversation(row: ConversationRow): TConversation {
  return {
    id: row.id,
    status: row.status,
    assigneeStaffId: row.assigneeStaffId,
    queuedAt: row.queuedAt?.toISOString() ?? null,
    lastSeq: row.lastSeq,
    createdAt: row.createdAt.toISOString(),
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
  };
}

export function toAttachment(row: AttachmentRow): TAttachment {
  return { id: row.id, fileName: row.fileName, mime: row.mime, size: row.size, url: `/api/files/${row.id}` };
}

export function createConversationService(deps: ConversationDeps) {
  const { db, bus } = deps;
  const writer = new MessageWriter(db, deps.onBatch);
  // Who owns a conversation never changes, so it is safe to remember; status is checked inside the write.
  const owners = new Map<string, ConversationOwner>();
  // Messages this node has fanned out lately. A resend that finds its message already stored is fanned out again when
  // this node has not sent it on: the node that stored it may have died before doing so, or the write committed
  // although its answer was lost. Clients keep a message once by id; the bot answers a message once (its client id).
  const fannedOut = new Set<string>();

  /** A new message goes out; one found stored again goes out only if this node has not sent it on. */
  function fanOut(message: TMessage, taxpayerRoom: string | null, created: boolean) {
    if (!created && fannedOut.has(message.id)) return;
    if (fannedOut.size >= FANNED_OUT_MAX) fannedOut.delete(fannedOut.values().next().value as string);
    fannedOut.add(message.id);
    bus.publish('message.created', { message, taxpayerRoom, ...(created ? {} : { redelivered: true as const }) });
  }

  async function ownerOf(conversationId: string): Promise<ConversationOwner> {
    const cached = owners.get(conversationId);
    if (cached) return cached;
    const row = await conversationRepo.byId(db, conversationId);
    if (!row) throw new AppError('NOT_FOUND', '会话不存在。');
    return remember({ id: row.id, portalUserId: row.portalUserId, taxpayerId: row.taxpayerId });
  }

  function remember(owner: ConversationOwner): ConversationOwner {
    if (!owners.has(owner.id) && owners.size >= OWNER_CACHE_MAX) owners.delete(owners.keys().next().value as string);
    owners.set(owner.id, owner);
    return owner;
  }

  /** Loads a conversation the actor may see; anything else is "not found", so ids cannot be probed. */
  async function visible(actor: Actor, conversationId: string): Promise<ConversationOwner> {
    // a database that cannot be asked is not a conversation that does not exist: that error goes on (503)
    const owner = await ownerOf(conversationId).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) throw err;
      return null;
    });
    if (!owner || !conversationPolicy.canView(actor, owner)) throw new AppError('NOT_FOUND', '会话不存在。');
    return owner;
  }

  async function toMessages(rows: MessageRow[]): Promise<TMessage[]> {
    const ids = [...new Set(rows.flatMap((r) => r.attachmentIds))];
    const atts = new Map((await conversationRepo.attachmentsByIds(db, ids)).map((a) => [a.id, toAttachment(a)]));
    return rows.map((r) => toMessage(r, atts));
  }

  function toMessage(r: MessageRow, atts: Map<string, TAttachment>): TMessage {
    return {
      id: r.id,
      conversationId: r.conversationId,
      seq: r.seq,
      clientId: r.clientId,
      senderType: r.senderType,
      senderId: r.senderId,
      senderName: r.senderName,
      body: r.body,
      attachments: r.attachmentIds.flatMap((id) => {
        const a = atts.get(id);
        return a ? [a] : [];
      }),
      payload: r.payload ?? null,
      private: r.private,
      createdAt: r.createdAt.toISOString(),
    };
  }

  async function toSummary(conversationId: string): Promise<TConversationSummary | null> {
    const row = await conversationRepo.summary(db, conversationId);
    if (!row) return null;
    const [last] = await conversationRepo.lastMessages(db, [conversationId]);
    return {
      ...toConversation(row.conversation),
      taxpayer: row.taxpayer,
      personName: row.personName,
      lastMessage: last ? ((await toMessages([last]))[0] ?? null) : null,
    };
  }

  return {
    writer,
    visibleOwner: visible,

    /** The taxpayer's open conversation (created on first use) with its newest page. */
    async current(
      actor: TaxpayerActor,
      limit = 30,
      page?: string,
    ): Promise<{ conversation: TConversation; page: TMessagePage }> {
      let row = await conversationRepo.openFor(db, actor.portalUserId, actor.taxpayerId);
      if (!row) {
        row =
          (await conversationRepo.createOpen(db, actor.portalUserId, actor.taxpayerId, page ?? null)) ??
          (await conversationRepo.openFor(db, actor.portalUserId, actor.taxpayerId));
        if (!row) throw new AppError('INTERNAL');
        const summary = await toSummary(row.id);
        if (summary) bus.publish('conversation.updated', { summary });
      }
      const newest = await conversationRepo.page(db, row.id, undefined, limit);
      return {
        conversation: toConversation(row),
        page: { messages: await toMessages(newest.rows), hasMore: newest.hasMore },
      };
    },

    async messages(actor: Actor, conversationId: string, q: { beforeSeq?: number | undefined; limit: number }) {
      await visible(actor, conversationId);
      const page = await conversationRepo.page(db, conversationId, q.beforeSeq, q.limit, actor.kind === 'staff');
      return { messages: await toMessages(page.rows), hasMore: page.hasMore } satisfies TMessagePage;
    },

    /**
     * Stores a message and returns it with its sequence number. The sender is the actor, never the payload.
     * A resend with the same client id returns the original and publishes nothing new.
     */
    async send(actor: TaxpayerActor | StaffActor, input: TSendMessage): Promise<TMessage> {
      const owner = await visible(actor, input.conversationId);
      if (!conversationPolicy.canPost(actor, owner)) throw new AppError('FORBIDDEN');
      if (input.private && actor.kind !== 'staff') throw new AppError('FORBIDDEN', '只有坐席可以添加内部备注。');
      let atts = new Map<string, TAttachment>();
      if (input.attachmentIds.length > 0) {
        const rows = await conversationRepo.attachmentsByIds(db, input.attachmentIds);
        if (
          rows.length !== new Set(input.attachmentIds).size ||
          rows.some(
            (a) =>
              a.conversationId !== owner.id || (actor.kind === 'taxpayer' && !conversationPolicy.isOwnUpload(actor, a)),
          )
        ) {
          throw new AppError('NOT_FOUND', '附件不存在或不属于该会话。');
        }
        atts = new Map(rows.map((a) => [a.id, toAttachment(a)]));
      }
      const sender =
        actor.kind === 'taxpayer'
          ? { senderType: 'taxpayer' as const, senderId: actor.portalUserId, senderName: actor.personName }
          : { senderType: 'agent' as const, senderId: actor.staffId, senderName: actor.name };
      const { row, created } = await writer.write({
        conversationId: owner.id,
        clientId: input.clientId,
        ...sender,
        body: input.body,
        attachmentIds: input.attachmentIds,
        payload: null,
        private: input.private,
      });
      let message = toMessage(row, atts.size > 0 || row.attachmentIds.length === 0 ? atts : new Map());
      if (!created && row.attachmentIds.length > 0 && message.attachments.length === 0) {
        message = (await toMessages([row]))[0] as TMessage;
      }
      const taxpayerRoom = message.private ? null : conversationPolicy.taxpayerRoom(owner);
      // replying takes an unassigned conversation (a note does not)
      if (created && actor.kind === 'staff' && !input.private) {
        await conversationRepo.claimForAgent(db, owner.id, actor.staffId);
      }
      fanOut(message, taxpayerRoom, created);
      return message;
    },

    /**
     * A message from the bot (or a system notice). Idempotent by its client id, so a bot turn that runs twice
     * answers once.
     */
    async postAsBot(
      conversationId: string,
      input: { clientId: string; body: string; payload: TMessagePayload; senderType?: 'bot' | 'system' },
      /** The conversation's owner when the caller already read it (spares a read). */
      knownOwner?: ConversationOwner,
    ): Promise<TMessage> {
      const owner = knownOwner?.id === conversationId ? remember(knownOwner) : await ownerOf(conversationId);
      const { row, created } = await writer.write({
        conversationId,
        clientId: input.clientId,
        senderType: input.senderType ?? 'bot',
        senderId: null,
        senderName: BOT_NAME,
        body: input.body,
        attachmentIds: [],
        payload: input.payload,
        private: false,
      });
      const message = toMessage(row, new Map());
      fanOut(message, conversationPolicy.taxpayerRoom(owner), created);
      return message;
    },

    ownerOf,

    /** 满意度, once, for the taxpayer's own ended conversation. */
    async rate(actor: TaxpayerActor, conversationId: string, input: { score: number; comment: string }) {
      await visible(actor, conversationId);
      const conv = await conversationRepo.byId(db, conversationId);
      if (conv?.status !== 'closed') throw new AppError('VALIDATION_FAILED', '服务结束后才能评价。');
      const rows = await db
        .insert(conversationRatings)
        .values({ conversationId, score: input.score, comment: input.comment, staffId: conv.assigneeStaffId })
        .onConflictDoNothing()
        .returning({ id: conversationRatings.conversationId });
      if (rows.length === 0) throw new AppError('VALIDATION_FAILED', '您已评价过本次服务，感谢您的反馈。');
      return { ok: true as const };
    },

    /** The taxpayer card beside a conversation in the workspace. */
    async card(_actor: StaffActor, conversationId: string): Promise<TTaxpayerCard> {
      const conv = await conversationRepo.byId(db, conversationId);
      if (!conv) throw new AppError('NOT_FOUND', '会话不存在。');
      const [profile, person, earlier] = await Promise.all([
        identityRepo.profile(db, conv.taxpayerId),
        identityRepo.portalUser(db, conv.portalUserId),
        conversationRepo.earlierOf(db, conv.portalUserId, conv.taxpayerId, conv.id),
      ]);
      if (!profile || !person) throw new AppError('NOT_FOUND', '纳税人不存在。');
      return {
        profile,
        personName: person.name,
        phone: maskPhone(person.phone),
        page: conv.entryPage,
        handoffReason: (conv.handoffReason as TTaxpayerCard['handoffReason']) ?? null,
        earlier: earlier.map((e) => ({
          conversationId: e.id,
          createdAt: e.createdAt.toISOString(),
          closedAt: e.closedAt?.toISOString() ?? null,
          rating: e.rating,
        })),
      };
    },

    /** The card's phone number in full, for those who need it; the route records the reveal in the audit log. */
    async revealPhone(actor: StaffActor, conversationId: string): Promise<{ phone: string }> {
      const conv = await conversationRepo.byId(db, conversationId);
      if (!conv) throw new AppError('NOT_FOUND', '会话不存在。');
      if (!conversationPolicy.canRevealPhone(actor, conv))
        throw new AppError('FORBIDDEN', '只有正在接待的坐席、班长和管理员可以查看完整号码。');
      const person = await identityRepo.portalUser(db, conv.portalUserId);
      if (!person) throw new AppError('NOT_FOUND', '纳税人不存在。');
      return { phone: person.phone };
    },

    /** What a reconnecting client missed, from the database: survives any node's restart. */
    async sync(actor: Actor, req: { conversations: { conversationId: string; lastSeq: number }[] }) {
      const out: TMessage[] = [];
      const upTo: { conversationId: string; seq: number }[] = [];
      for (const c of req.conversations) {
        const owner = await ownerOf(c.conversationId).catch(() => null);
        if (!owner || !conversationPolicy.canView(actor, owner)) continue;
        // everything up to the conversation's current last seq that this actor may see
        const last = (await conversationRepo.byId(db, c.conversationId))?.lastSeq ?? 0;
        const rows = await conversationRepo.after(
          db,
          c.conversationId,
          c.lastSeq,
          last,
          SYNC_LIMIT_PER_CONVERSATION,
          actor.kind === 'staff',
        );
        out.push(...(await toMessages(rows)));
        // a full page may stop short of `last`: then only as far as what was sent
        const reached = rows.length === SYNC_LIMIT_PER_CONVERSATION ? (rows[rows.length - 1]?.seq ?? c.lastSeq) : last;
        upTo.push({ conversationId: c.conversationId, seq: Math.max(c.lastSeq, reached) });
      }
      return { messages: out, upTo };
    },

    async workspaceList(
      actor: StaffActor,
      scope: 'mine' | 'all' = 'all',
      limit = 100,
    ): Promise<TConversationSummary[]> {
      const rows = await conversationRepo.summaries(db, limit, scope === 'mine' ? actor.staffId : undefined);
      const lasts = await toMessages(
        await conversationRepo.lastMessages(
          db,
          rows.map((r) => r.conversation.id),
        ),
      );
      const lastBy = new Map(lasts.map((m) => [m.conversationId, m]));
      return rows.map((r) => ({
        ...toConversation(r.conversation),
        taxpayer: r.taxpayer,
        personName: r.personName,
        lastMessage: lastBy.get(r.conversation.id) ?? null,
      }));
    },

    /**
     * Stores a file for this conversation: the actor must be able to post in it; the type is decided by the bytes;
     * images are re-encoded. The attachment is then sent with a message (attachmentIds).
     */
    async upload(actor: TaxpayerActor | StaffActor, conversationId: string, file: { data: Buffer; fileName: string }) {
      const owner = await visible(actor, conversationId);
      if (!conversationPolicy.canPost(actor, owner)) throw new AppError('FORBIDDEN');
      const { mime, ext } = await detectAllowedType(file.data);
      const data = mime.startsWith('image/') ? await reencodeImage(file.data, mime) : file.data;
      const storageKey = await deps.files.put(data);
      const row = await conversationRepo.insertAttachment(db, {
        conversationId: owner.id,
        ...(actor.kind === 'taxpayer'
          ? { uploaderType: 'taxpayer' as const, uploaderId: actor.portalUserId }
          : { uploaderType: 'agent' as const, uploaderId: actor.staffId }),
        storageKey,
        fileName: cleanFileName(file.fileName, ext),
        mime,
        size: data.length,
      });
      return toAttachment(row);
    },

    /** An attachment the actor may read; "not found" otherwise. */
    async attachmentFor(actor: Actor, attachmentId: string): Promise<AttachmentRow> {
      const row = await conversationRepo.attachment(db, attachmentId);
      if (!row) throw new AppError('NOT_FOUND', '文件不存在。');
      await visible(actor, row.conversationId).catch(() => {
        throw new AppError('NOT_FOUND', '文件不存在。');
      });
      // a file only on a private note (or an agent's unsent upload) does not exist for the taxpayer
      const sentPublicly =
        actor.kind === 'taxpayer' && !conversationPolicy.isOwnUpload(actor, row)
          ? await conversationRepo.attachmentSentPublicly(db, row.conversationId, row.id)
          : false;
      if (!conversationPolicy.canReadAttachment(actor, row, sentPublicly)) {
        throw new AppError('NOT_FOUND', '文件不存在。');
      }
      return row;
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
