import type { TMessagePayload } from '@zhengna/contracts';
/** SQL for conversations, messages and attachments. */
import { and, desc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import {
  attachments,
  conversationRatings,
  conversations,
  messages,
  portalUsers,
  taxOffices,
  taxpayers,
} from '../../db/schema.ts';
import type { Db, Tx } from '../../platform/db.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type NewMessage = {
  conversationId: string;
  clientId: string | null;
  senderType: MessageRow['senderType'];
  senderId: string | null;
  senderName: string;
  body: string;
  attachmentIds: string[];
  payload: TMessagePayload | null;
  private: boolean;
};

/** A conversation with who it is with: what the workspace lists. */
function summaryQuery(db: Db) {
  return db
    .select({
      conversation: conversations,
      taxpayer: {
        taxpayerId: taxpayers.id,
        taxpayerNo: taxpayers.taxpayerNo,
        name: taxpayers.name,
        type: taxpayers.type,
        taxOfficeName: taxOffices.name,
      },
      personName: portalUsers.name,
    })
    .from(conversations)
    .innerJoin(taxpayers, eq(taxpayers.id, conversations.taxpayerId))
    .innerJoin(taxOffices, eq(taxOffices.id, taxpayers.taxOfficeId))
    .innerJoin(portalUsers, eq(portalUsers.id, conversations.portalUserId))
    .$dynamic();
}

export const conversationRepo = {
  async byId(db: Db, id: string) {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
    return row;
  },

  async openFor(db: Db, portalUserId: string, taxpayerId: string) {
    const [row] = await db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.portalUserId, portalUserId),
          eq(conversations.taxpayerId, taxpayerId),
          eq(conversations.status, 'open'),
        ),
      );
    return row;
  },

  /** Creates the open conversation unless a concurrent request just did (the partial unique index decides). */
  async createOpen(db: Db, portalUserId: string, taxpayerId: string, entryPage: string | null = null) {
    const [row] = await db
      .insert(conversations)
      .values({ portalUserId, taxpayerId, entryPage })
      .onConflictDoNothing()
      .returning();
    return row;
  },

  /** A page of history; `withPrivate` only for staff. */
  async page(db: Db, conversationId: string, beforeSeq: number | undefined, limit: number, withPrivate = false) {
    const rows = await db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          beforeSeq ? lt(messages.seq, beforeSeq) : undefined,
          withPrivate ? undefined : eq(messages.private, false),
        ),
      )
      .orderBy(desc(messages.seq))
      .limit(limit + 1);
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  },

  async after(db: Db, conversationId: string, afterSeq: number, upToSeq: number, limit: number, withPrivate = false) {
    return db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          gt(messages.seq, afterSeq),
          lte(messages.seq, upToSeq),
          withPrivate ? undefined : eq(messages.private, false),
        ),
      )
      .orderBy(messages.seq)
      .limit(limit);
  },

  /** The workspace list: all conversations, or the open ones an agent holds. */
  async summaries(db: Db, limit: number, assigneeStaffId?: string) {
    return summaryQuery(db)
      .where(
        assigneeStaffId
          ? and(eq(conversations.assigneeStaffId, assigneeStaffId), eq(conversations.status, 'open'))
          : undefined,
      )
      .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, desc(conversations.createdAt))
      .limit(limit);
  },

  async summary(db: Db, conversationId: string) {
    const [row] = await summaryQuery(db).where(eq(conversations.id, conversationId));
    return row;
  },

  /** The newest message of each conversation, in one query. */
  async lastMessages(db: Db, conversationIds: string[]) {
    if (conversationIds.length === 0) return [];
    return db
      .selectDistinctOn([messages.conversationId])
      .from(messages)
      .where(inArray(messages.conversationId, conversationIds))
      .orderBy(messages.conversationId, desc(messages.seq));
  },

  async findByClientIds(tx: Tx | Db, conversationIds: string[], clientIds: string[]) {
    return tx
      .select()
      .from(messages)
      .where(and(inArray(messages.conversationId, conversationIds), inArray(messages.clientId, clientIds)));
  },

  /**
   * Stores a batch of messages in ONE statement: it numbers each message after its conversation's last_seq (in
   * input order), bumps last_seq, and inserts — all or nothing. The batch travels as a single JSON parameter, which
   * keeps per-message overhead small. Returns, aligned with the input, the stored id/seq/createdAt, or null where
   * the conversation is not open. A resend that is already stored makes the statement fail with a unique violation
   * (23505); the caller then filters resends out and tries again.
   */
  async insertBatch(db: Db, inputs: NewMessage[]): Promise<({ id: string; seq: number; createdAt: Date } | null)[]> {
    const payload = JSON.stringify(
      inputs.map((m, idx) => ({
        idx,
        conversation_id: m.conversationId,
        client_id: m.clientId,
        sender_type: m.senderType,
        sender_id: m.senderId,
        sender_name: m.senderName,
        body: m.body,
        attachment_ids: m.attachmentIds,
        payload: m.payload,
        private: m.private,
      })),
    );
    const result = await db.execute<{
      id: string;
      conversation_id: string;
      seq: number;
      created_at: string | Date;
    }>(sql`
      with input as (
        select * from json_to_recordset(${payload}::json) as x(
          idx int, conversation_id uuid, client_id text, sender_type text, sender_id text, sender_name text,
          body text, attachment_ids jsonb, payload jsonb, private boolean)
      ),
      counts as (select conversation_id, count(*)::int as n from input group by conversation_id),
      reserved as (
        update conversations c
           set last_seq = c.last_seq + counts.n, last_message_at = now()
          from counts
         where c.id = counts.conversation_id and c.status = 'open'
     returning c.id, c.last_seq, counts.n
      )
      insert into messages (conversation_id, seq, client_id, sender_type, sender_id, sender_name, body, attachment_ids, payload, private)
      select i.conversation_id,
             (r.last_seq - r.n + row_number() over (partition by i.conversation_id order by i.idx))::int,
             i.client_id, i.sender_type, i.sender_id, i.sender_name, i.body, i.attachment_ids, i.payload, i.private
        from input i join reserved r on r.id = i.conversation_id
       order by i.idx
   returning id, conversation_id, seq, created_at`);
    const rows = (
      result as unknown as { rows: { id: string; conversation_id: string; seq: number; created_at: string | Date }[] }
    ).rows;
    // Within a conversation, seq follows input order: pair the stored rows with the inputs in that order.
    const stored = new Map<string, { id: string; seq: number; createdAt: Date }[]>();
    for (const r of rows) {
      const list = stored.get(r.conversation_id) ?? [];
      list.push({ id: r.id, seq: Number(r.seq), createdAt: new Date(r.created_at) });
      stored.set(r.conversation_id, list);
    }
    for (const list of stored.values()) list.sort((a, b) => a.seq - b.seq);
    const taken = new Map<string, number>();
    return inputs.map((m) => {
      const list = stored.get(m.conversationId);
      if (!list) return null;
      const i = taken.get(m.conversationId) ?? 0;
      taken.set(m.conversationId, i + 1);
      return list[i] ?? null;
    });
  },

  /** The first agent to reply takes the conversation: from then on the bot stays quiet in it. */
  async claimForAgent(db: Db, conversationId: string, staffId: string) {
    await db
      .update(conversations)
      .set({ assigneeStaffId: staffId })
      .where(and(eq(conversations.id, conversationId), isNull(conversations.assigneeStaffId)));
  },

  async saveBotState(db: Db, conversationId: string, botState: unknown, handoffReason?: string) {
    await db
      .update(conversations)
      .set({
        botState,
        ...(handoffReason
          ? { handoffReason, handoffRequestedAt: sql`coalesce(${conversations.handoffRequestedAt}, now())` }
          : {}),
      })
      .where(eq(conversations.id, conversationId));
  },

  /** Closes an open conversation; returns it as it was (with its assignee), or undefined if it was not open. */
  async close(db: Db, conversationId: string) {
    const [row] = await db
      .update(conversations)
      .set({ status: 'closed', closedAt: new Date(), queueGroupId: null, queuedAt: null })
      .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'open')))
      .returning();
    return row;
  },

  /** The person's earlier conversations for this enterprise, newest first, with their ratings. */
  async earlierOf(db: Db, portalUserId: string, taxpayerId: string, exceptId: string) {
    return db
      .select({
        id: conversations.id,
        createdAt: conversations.createdAt,
        closedAt: conversations.closedAt,
        rating: conversationRatings.score,
      })
      .from(conversations)
      .leftJoin(conversationRatings, eq(conversationRatings.conversationId, conversations.id))
      .where(
        and(
          eq(conversations.portalUserId, portalUserId),
          eq(conversations.taxpayerId, taxpayerId),
          sql`${conversations.id} <> ${exceptId}`,
        ),
      )
      .orderBy(desc(conversations.createdAt))
      .limit(10);
  },

  async message(db: Db, id: string) {
    const [row] = await db.select().from(messages).where(eq(messages.id, id));
    return row;
  },

  async attachmentsByIds(db: Db, ids: string[]) {
    if (ids.length === 0) return [];
    return db.select().from(attachments).where(inArray(attachments.id, ids));
  },

  /** Whether a message the taxpayer can see (not a private note) carries this attachment. */
  async attachmentSentPublicly(db: Db, conversationId: string, attachmentId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          eq(messages.private, false),
          sql`${messages.attachmentIds} @> ${JSON.stringify([attachmentId])}::jsonb`,
        ),
      )
      .limit(1);
    return row !== undefined;
  },

  async insertAttachment(db: Db, values: typeof attachments.$inferInsert) {
    const [row] = await db.insert(attachments).values(values).returning();
    if (!row) throw new Error('attachment insert returned nothing');
    return row;
  },

  async attachment(db: Db, id: string) {
    const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
    return row;
  },
};
