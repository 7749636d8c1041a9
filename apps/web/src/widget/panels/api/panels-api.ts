/** The chat's side panels over HTTP (热点推荐, 问答套餐, 我的消息, 我的收藏, 快捷入口); every call takes the bearer token. */
import {
  type TFavorite,
  type TInboxItem,
  type TInboxPage,
  type TMessage,
  type TQaPackage,
  type TRecommendations,
  ZFavorite,
  ZInboxItem,
  ZInboxPage,
  ZInboxUnread,
  ZMessage,
  ZQaPackageList,
  ZRecommendations,
  ZShortcuts,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';
import type { PortalPage } from '../../host/host-bridge.ts';

export type TShortcuts = z.infer<typeof ZShortcuts>;

export function fetchRecommendations(accessToken: string, page: PortalPage): Promise<TRecommendations> {
  return apiRequest('/api/chat/recommendations', { accessToken, query: { page }, schema: ZRecommendations });
}

export async function fetchQaPackages(accessToken: string): Promise<TQaPackage[]> {
  return (await apiRequest('/api/chat/qa-packages', { accessToken, schema: ZQaPackageList })).packages;
}

/** Starts a 问答套餐: the bot posts the topic's questions as a `topic_menu` message (also pushed live). */
export function startQaPackage(
  accessToken: string,
  topicId: string,
  conversationId: string,
  clientId: string,
): Promise<TMessage> {
  return apiRequest(`/api/chat/qa-packages/${encodeURIComponent(topicId)}/start`, {
    method: 'POST',
    accessToken,
    body: { conversationId, clientId },
    schema: ZMessage,
  });
}

export function fetchInbox(accessToken: string, before?: string): Promise<TInboxPage> {
  return apiRequest('/api/chat/inbox', { accessToken, query: { limit: 20, before }, schema: ZInboxPage });
}

export function markInboxRead(accessToken: string, id: string): Promise<{ item: TInboxItem; unread: number }> {
  return apiRequest(`/api/chat/inbox/${encodeURIComponent(id)}/read`, {
    method: 'POST',
    accessToken,
    body: {},
    schema: z.object({ item: ZInboxItem, unread: z.number().int() }),
  });
}

export async function markAllInboxRead(accessToken: string): Promise<number> {
  return (await apiRequest('/api/chat/inbox/read-all', { method: 'POST', accessToken, body: {}, schema: ZInboxUnread }))
    .unread;
}

export async function fetchFavorites(accessToken: string): Promise<TFavorite[]> {
  return (await apiRequest('/api/chat/favorites', { accessToken, schema: z.object({ favorites: z.array(ZFavorite) }) }))
    .favorites;
}

export async function removeFavorite(accessToken: string, id: string): Promise<void> {
  await apiRequest(`/api/chat/favorites/${encodeURIComponent(id)}`, { method: 'DELETE', accessToken });
}

export function fetchShortcuts(accessToken: string): Promise<TShortcuts> {
  return apiRequest('/api/chat/shortcuts', { accessToken, schema: ZShortcuts });
}

export function saveShortcuts(accessToken: string, ids: readonly string[]): Promise<TShortcuts> {
  return apiRequest('/api/chat/shortcuts', { method: 'PUT', accessToken, body: { ids }, schema: ZShortcuts });
}
