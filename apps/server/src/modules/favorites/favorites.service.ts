/** 我的收藏: answers (knowledge entries) and documents a taxpayer starred, per person and enterprise. */
import type { TFavorite } from '@zhengna/contracts';
import { and, desc, eq } from 'drizzle-orm';
import { favorites } from '../../db/schema.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Db } from '../../platform/db.ts';
import type { TaxpayerActor } from '../identity/identity.types.ts';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.ts';

const MAX_FAVORITES = 500;

export function createFavoritesService(deps: { db: Db; index: KnowledgeIndex }) {
  const { db, index } = deps;
  const mine = (actor: TaxpayerActor) =>
    and(eq(favorites.portalUserId, actor.portalUserId), eq(favorites.taxpayerId, actor.taxpayerId));

  function titleOf(kind: 'entry' | 'document', refId: string): string | null {
    const snap = index.current;
    return kind === 'entry' ? (snap.entries.get(refId)?.question ?? null) : (snap.documents.get(refId)?.title ?? null);
  }

  function toFavorite(row: typeof favorites.$inferSelect): TFavorite {
    return {
      id: row.id,
      kind: row.kind,
      refId: row.refId,
      title: titleOf(row.kind, row.refId) ?? '（该内容已下线）',
      createdAt: row.createdAt.toISOString(),
    };
  }

  return {
    async list(actor: TaxpayerActor): Promise<TFavorite[]> {
      const rows = await db
        .select()
        .from(favorites)
        .where(mine(actor))
        .orderBy(desc(favorites.createdAt))
        .limit(MAX_FAVORITES);
      return rows.map(toFavorite);
    },

    /** Adding the same thing twice keeps one favourite. */
    async add(actor: TaxpayerActor, input: { kind: 'entry' | 'document'; refId: string }): Promise<TFavorite> {
      if (!titleOf(input.kind, input.refId)) throw new AppError('NOT_FOUND', '要收藏的内容不存在。');
      await db
        .insert(favorites)
        .values({
          portalUserId: actor.portalUserId,
          taxpayerId: actor.taxpayerId,
          kind: input.kind,
          refId: input.refId,
        })
        .onConflictDoNothing();
      const [row] = await db
        .select()
        .from(favorites)
        .where(and(mine(actor), eq(favorites.kind, input.kind), eq(favorites.refId, input.refId)));
      if (!row) throw new AppError('INTERNAL');
      return toFavorite(row);
    },

    async remove(actor: TaxpayerActor, id: string) {
      const rows = await db
        .delete(favorites)
        .where(and(mine(actor), eq(favorites.id, id)))
        .returning({ id: favorites.id });
      if (rows.length === 0) throw new AppError('NOT_FOUND', '收藏不存在。');
      return { ok: true as const };
    },
  };
}

export type FavoritesService = ReturnType<typeof createFavoritesService>;
