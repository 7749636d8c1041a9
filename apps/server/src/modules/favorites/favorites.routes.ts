/** HTTP for 我的收藏. */
import { ZAddFavoriteRequest, ZUuidParam } from '@zhengna/contracts';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../http/guard.ts';
import { parse } from '../../http/parse.ts';
import type { FavoritesService } from './favorites.service.ts';

export function favoritesRoutes(app: FastifyInstance, deps: { favorites: FavoritesService }) {
  const { favorites } = deps;
  app.get('/api/chat/favorites', { config: { guard: 'taxpayer' } }, async (req) => ({
    favorites: await favorites.list(actorOf(req, 'taxpayer')),
  }));
  app.post('/api/chat/favorites', { config: { guard: 'taxpayer' } }, (req) =>
    favorites.add(actorOf(req, 'taxpayer'), parse(ZAddFavoriteRequest, req.body)),
  );
  app.delete('/api/chat/favorites/:id', { config: { guard: 'taxpayer' } }, (req) =>
    favorites.remove(actorOf(req, 'taxpayer'), parse(ZUuidParam, req.params).id),
  );
}
