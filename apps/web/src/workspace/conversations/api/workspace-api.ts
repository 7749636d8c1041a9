import { type TConversationSummary, type TMessagePage, ZConversationSummary, ZMessagePage } from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

const ZConversationList = z.object({ conversations: z.array(ZConversationSummary) });

/** The agent's conversations, newest activity first. */
export async function fetchConversations(): Promise<TConversationSummary[]> {
  const { conversations } = await apiRequest('/api/workspace/conversations', { schema: ZConversationList });
  return conversations;
}

export function fetchConversationMessages(conversationId: string, beforeSeq?: number): Promise<TMessagePage> {
  return apiRequest(`/api/workspace/conversations/${encodeURIComponent(conversationId)}/messages`, {
    query: { beforeSeq, limit: 30 },
    schema: ZMessagePage,
  });
}
