import {
  type TChatSession,
  type TFavorite,
  type TMessagePage,
  ZChatSession,
  ZConversationWithPage,
  ZDocumentDetail,
  ZFavorite,
  type ZFavoriteKind,
  ZHandoffResponse,
  ZMessagePage,
  ZRealtimeTokenResponse,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../shared/api/api-client.ts';
import { readPortalPage } from '../host/host-bridge.ts';

export type TConversationWithPage = z.infer<typeof ZConversationWithPage>;
export type TDocumentDetail = z.infer<typeof ZDocumentDetail>;
export type TFavoriteKind = z.infer<typeof ZFavoriteKind>;

const ZOk = z.object({ ok: z.literal(true) });

/** Trades the portal's single sign-on token for the chat's own bearer token. */
export function exchangeSession(token: string): Promise<TChatSession> {
  return apiRequest('/api/chat/session', { method: 'POST', body: { token }, schema: ZChatSession });
}

/** The taxpayer's open conversation (created if none) with its newest messages. */
/** The open conversation (created on first use, remembering the portal page it was opened from). */
export function fetchCurrentConversation(accessToken: string): Promise<TConversationWithPage> {
  return apiRequest('/api/chat/conversation', {
    accessToken,
    query: { page: readPortalPage() },
    schema: ZConversationWithPage,
  });
}

export function fetchOlderMessages(
  accessToken: string,
  conversationId: string,
  beforeSeq: number,
): Promise<TMessagePage> {
  return apiRequest(`/api/chat/conversations/${encodeURIComponent(conversationId)}/messages`, {
    accessToken,
    query: { beforeSeq, limit: 30 },
    schema: ZMessagePage,
  });
}

export async function fetchChatRealtimeToken(accessToken: string): Promise<string> {
  const { token } = await apiRequest('/api/realtime/token', { accessToken, schema: ZRealtimeTokenResponse });
  return token;
}

/** 有用 / 没用 on one of the assistant's answers. */
export async function sendFeedback(accessToken: string, messageId: string, helpful: boolean): Promise<void> {
  await apiRequest(`/api/chat/messages/${encodeURIComponent(messageId)}/feedback`, {
    method: 'POST',
    accessToken,
    body: { helpful },
    schema: ZOk,
  });
}

/** 收藏: star an answer (knowledge-base entry) or a document. */
export function addFavorite(accessToken: string, kind: TFavoriteKind, refId: string): Promise<TFavorite> {
  return apiRequest('/api/chat/favorites', { method: 'POST', accessToken, body: { kind, refId }, schema: ZFavorite });
}

export function fetchDocumentDetail(accessToken: string, documentId: string): Promise<TDocumentDetail> {
  return apiRequest(`/api/chat/documents/${encodeURIComponent(documentId)}`, { accessToken, schema: ZDocumentDetail });
}

/** 转人工 (the button or the no-answer offer): the server records the reason 'button' and queues the conversation. */
/** 转人工: where the request stands now (queued → show the queue banner). */
export async function requestHandoff(accessToken: string, conversationId: string) {
  const r = await apiRequest('/api/chat/handoff', {
    method: 'POST',
    accessToken,
    body: { conversationId },
    schema: ZHandoffResponse,
  });
  return r.status;
}

/** 退出排队: back to the assistant only. */
export async function leaveQueue(accessToken: string, conversationId: string): Promise<void> {
  await apiRequest('/api/chat/queue/leave', { method: 'POST', accessToken, body: { conversationId } });
}

/** 满意度 for a closed conversation (once; a second submit is refused by the server). */
export async function submitRating(
  accessToken: string,
  conversationId: string,
  score: number,
  comment: string,
): Promise<void> {
  await apiRequest(`/api/chat/conversations/${encodeURIComponent(conversationId)}/rating`, {
    method: 'POST',
    accessToken,
    body: { score, comment },
    schema: ZOk,
  });
}
