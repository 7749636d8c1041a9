/**
 * 我的消息: a person's to-dos and notifications for the enterprise they act for. Sources (precise push, work-order
 * results, replies to left messages, appointments) call `notify`; the item is stored first, then pushed live.
 */
import type { TInboxItem, TInboxKind, TInboxPage } from '@zhengna/contracts';
import { and, count, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { inboxItems, portalUserTaxpayers } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { EventBus } from '../../platform/bus.ts';
import type { Db } from '../../platform/db.ts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import type { TaxpayerActor } from '../identity/identity.types.ts';

type Row = typeof inboxItems.$inferSelect;

export const toInboxItem = (r: Row): TInboxItem => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt?.toISOString() ?? null,
});

export type InboxNotice = { kind: TInboxKind; title: string; body: string; dedupeKey?: string };

export function createInboxService(deps: { db: Db; bus: EventBus }) {
  const { db, bus } = deps;
  const owner = (a: { portalUserId: string; taxpayerId: string }) =>
    and(eq(inboxItems.portalUserId, a.portalUserId), eq(inboxItems.taxpayerId, a.taxpayerId));

  async function unreadCount(a: { portalUserId: string; taxpayerId: string }): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(inboxItems)
      .where(and(owner(a), isNull(inboxItems.readAt)));
    return Number(row?.n ?? 0);
  }

  return {
    unreadCount: (who: { portalUserId: string; taxpayerId: string }) => unreadCount(who),

    async list(
      actor: TaxpayerActor,
      q: { before?: string | undefined; limit: number; unreadOnly: boolean },
    ): Promise<TInboxPage> {
      const rows = await db
        .select()
        .from(inboxItems)
        .where(
          and(
            owner(actor),
            q.before ? lt(inboxItems.createdAt, new Date(q.before)) : undefined,
            q.unreadOnly ? isNull(inboxItems.readAt) : undefined,
          ),
        )
        .orderBy(desc(inboxItems.createdAt))
        .limit(q.limit + 1);
      return {
        items: rows.slice(0, q.limit).map(toInboxItem),
        unread: await unreadCount(actor),
        hasMore: rows.length > q.limit,
      };
    },

    async markRead(actor: TaxpayerActor, id: string) {
      const [row] = await db
        .update(inboxItems)
        .set({ readAt: new Date() })
        .where(and(owner(actor), eq(inboxItems.id, id), isNull(inboxItems.readAt)))
        .returning();
      const item =
        row ??
        (
          await db
            .select()
            .from(inboxItems)
            .where(and(owner(actor), eq(inboxItems.id, id)))
        )[0];
      if (!item) throw new AppError('NOT_FOUND', '消息不存在。');
      const unread = await unreadCount(actor);
      bus.publish('inbox.unread', { taxpayerRoom: conversationPolicy.taxpayerRoom(actor), unread });
      return { item: toInboxItem(item), unread };
    },

    async markAllRead(actor: TaxpayerActor) {
      await db
        .update(inboxItems)
        .set({ readAt: new Date() })
        .where(and(owner(actor), isNull(inboxItems.readAt)));
      bus.publish('inbox.unread', { taxpayerRoom: conversationPolicy.taxpayerRoom(actor), unread: 0 });
      return { unread: 0 };
    },

    /**
     * The items a bulk delivery (dedupe key) made for these people, each with its owner's unread count: what a node
     * pushes live to its connected taxpayers after a batch of 精准推送.
     */
    async deliveredTo(people: { portalUserId: string; taxpayerId: string }[], dedupeKey: string) {
      if (people.length === 0) return [];
      const rows = (
        (await db.execute(sql`
          with who as (
            select * from jsonb_to_recordset(${JSON.stringify(people)}::jsonb) as w("portalUserId" uuid, "taxpayerId" uuid)
          )
          select i.id, i.portal_user_id, i.taxpayer_id, i.kind, i.title, i.body, i.created_at, i.read_at,
                 (select count(*) from inbox_items u
                   where u.portal_user_id = i.portal_user_id and u.taxpayer_id = i.taxpayer_id
                     and u.read_at is null)::int as unread
            from who join inbox_items i
              on i.portal_user_id = who."portalUserId" and i.taxpayer_id = who."taxpayerId"
           where i.dedupe_key = ${dedupeKey}`)) as unknown as {
          rows: {
            id: string;
            portal_user_id: string;
            taxpayer_id: string;
            kind: TInboxKind;
            title: string;
            body: string;
            created_at: string | Date;
            read_at: string | Date | null;
            unread: number;
          }[];
        }
      ).rows;
      return rows.map((r) => ({
        portalUserId: r.portal_user_id,
        taxpayerId: r.taxpayer_id,
        unread: r.unread,
        item: {
          id: r.id,
          kind: r.kind,
          title: r.title,
          body: r.body,
          createdAt: new Date(r.created_at).toISOString(),
          readAt: r.read_at === null ? null : new Date(r.read_at).toISOString(),
        } satisfies TInboxItem,
      }));
    },

    /**
     * Delivers a notice to every person acting for the enterprise (or to one person). Idempotent by dedupeKey.
     * Returns the items created.
     */
    async notify(to: { taxpayerId: string; portalUserId?: string }, notice: InboxNotice): Promise<TInboxItem[]> {
      const people = to.portalUserId
        ? [to.portalUserId]
        : (
            await db
              .select({ userId: portalUserTaxpayers.userId })
              .from(portalUserTaxpayers)
              .where(eq(portalUserTaxpayers.taxpayerId, to.taxpayerId))
          ).map((r) => r.userId);
      if (people.length === 0) return [];
      const rows = await db
        .insert(inboxItems)
        .values(
          people.map((portalUserId) => ({
            portalUserId,
            taxpayerId: to.taxpayerId,
            kind: notice.kind,
            title: notice.title,
            body: notice.body,
            dedupeKey: notice.dedupeKey ?? null,
          })),
        )
        .onConflictDoNothing()
        .returning();
      for (const r of rows) {
        const unread = await unreadCount(r);
        bus.publish('inbox.created', {
          taxpayerRoom: conversationPolicy.taxpayerRoom(r),
          item: toInboxItem(r),
          unread,
        });
      }
      return rows.map(toInboxItem);
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
