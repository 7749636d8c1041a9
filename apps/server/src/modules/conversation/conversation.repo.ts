/** SQL for conversations, messages and attachments. */
import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { attachments, conversations, messages, portalUsers, taxOffices, taxpayers } from '../../db/schema.ts';
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
};

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
  async createOpen(db: Db, portalUserId: string, taxpayerId: string) {
    const [row] = await db.insert(conversations).values({ portalUserId, taxpayerId }).onConflictDoNothing().returning();
    return row;
  },

  async page(db: Db, conversationId: string, beforeSeq: number | undefined, limit: number) {
    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), beforeSeq ? lt(messages.seq, beforeSeq) : undefined))
      .orderBy(desc(messages.seq))
      .limit(limit + 1);
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  },

  async after(db: Db, conversationId: string, afterSeq: number, limit: number) {
    return db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
      .orderBy(messages.seq)
      .limit(limit);
  },

  async summaries(db: Db, limit: number) {
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
      .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, desc(conversations.createdAt))
      .limit(limit);
  },

  async summary(db: Db, conversationId: string) {
    const [row] = await db
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
      .where(eq(conversations.id, conversationId));
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
   * Reserves `n` sequence numbers in each open conversation; returns the new last_seq of those that are open.
   * The row lock taken by UPDATE serialises writers of one conversation across nodes.
   */
  async reserveSeqs(tx: Tx, counts: Map<string, number>) {
    const ids = [...counts.keys()];
    const ns = ids.map((id) => counts.get(id) ?? 0);
    const idList = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const nList = sql.join(
      ns.map((n) => sql`${n}`),
      sql`, `,
    );
    const result = await tx.execute<{ id: string; last_seq: number }>(sql`
      update conversations c
         set last_seq = c.last_seq + v.n, last_message_at = now()
        from (select unnest(array[${idList}]::uuid[]) as id, unnest(array[${nList}]::int[]) as n) v
       where c.id = v.id and c.status = 'open'
   returning c.id, c.last_seq`);
    const rows = (result as unknown as { rows: { id: string; last_seq: number }[] }).rows;
    return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
  },

  async insertMessages(tx: Tx, rows: (typeof messages.$inferInsert)[]) {
    return tx.insert(messages).values(rows).returning();
  },

  async attachmentsByIds(db: Db, ids: string[]) {
    if (ids.length === 0) return [];
    return db.select().from(attachments).where(inArray(attachments.id, ids));
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
