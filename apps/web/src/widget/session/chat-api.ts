import {
  type TChatSession,
  type TMessagePage,
  ZChatSession,
  ZConversationWithPage,
  ZMessagePage,
  ZRealtimeTokenResponse,
} from '@zhengna/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../shared/api/api-client.ts';

export type TConversationWithPage = z.infer<typeof ZConversationWithPage>;

/** Trades the portal's single sign-on token for the chat's own bearer token. */
export function exchangeSession(token: string): Promise<TChatSession> {
  return apiRequest('/api/chat/session', { method: 'POST', body: { token }, schema: ZChatSession });
}

/** The taxpayer's open conversation (created if none) with its newest messages. */
export function fetchCurrentConversation(accessToken: string): Promise<TConversationWithPage> {
  return apiRequest('/api/chat/conversation', { accessToken, schema: ZConversationWithPage });
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
