import {
  type TBoard,
  type TCannedReply,
  type TConversationSummary,
  type TMessagePage,
  type TPresence,
  type TQueuedConversation,
  type TTaxpayerCard,
  ZAgentLoad,
  ZBoard,
  ZCannedReply,
  ZConversationSummary,
  ZKnowledgeHit,
  ZMessagePage,
  ZPresence,
  ZQueue,
  ZRevealedPhone,
  ZTaxpayerCard,
} from '@zhengna/contracts';
import { z } from 'zod';
import { apiRequest } from '../../../shared/api/api-client.ts';

const ZConversationList = z.object({ conversations: z.array(ZConversationSummary) });
const ZOk = z.object({ ok: z.literal(true) });
export type TAgentLoad = z.infer<typeof ZAgentLoad>;
export type TKnowledgeHit = z.infer<typeof ZKnowledgeHit>;
export type TGroup = { id: string; name: string };
export type ConversationScope = 'mine' | 'all';

const path = (id: string, rest = '') => `/api/workspace/conversations/${encodeURIComponent(id)}${rest}`;

/** mine = open and assigned to me; all = everything the agent may see. Newest activity first. */
export async function fetchConversations(scope: ConversationScope = 'mine'): Promise<TConversationSummary[]> {
  const { conversations } = await apiRequest('/api/workspace/conversations', {
    query: { scope },
    schema: ZConversationList,
  });
  return conversations;
}

export function fetchConversationMessages(conversationId: string, beforeSeq?: number): Promise<TMessagePage> {
  return apiRequest(path(conversationId, '/messages'), { query: { beforeSeq, limit: 30 }, schema: ZMessagePage });
}

export async function setPresence(presence: TPresence): Promise<TPresence> {
  const result = await apiRequest('/api/workspace/presence', {
    method: 'POST',
    body: { presence },
    schema: z.object({ presence: ZPresence }),
  });
  return result.presence;
}

export async function fetchQueue(): Promise<TQueuedConversation[]> {
  return (await apiRequest('/api/workspace/queue', { schema: ZQueue })).queued;
}

export async function acceptConversation(conversationId: string): Promise<void> {
  await apiRequest(path(conversationId, '/accept'), { method: 'POST', body: {}, schema: ZOk });
}

export async function assignConversation(conversationId: string, staffId: string): Promise<void> {
  await apiRequest(path(conversationId, '/assign'), { method: 'POST', body: { staffId }, schema: ZOk });
}

export interface TransferInput {
  toStaffId?: string;
  toGroupId?: string;
  note: string;
}
export async function transferConversation(conversationId: string, input: TransferInput): Promise<void> {
  await apiRequest(path(conversationId, '/transfer'), { method: 'POST', body: input, schema: ZOk });
}

export async function endConversation(conversationId: string, note = ''): Promise<void> {
  await apiRequest(path(conversationId, '/end'), { method: 'POST', body: { note }, schema: ZOk });
}

export function fetchTaxpayerCard(conversationId: string): Promise<TTaxpayerCard> {
  return apiRequest(path(conversationId, '/card'), { schema: ZTaxpayerCard });
}

/** The contact's full phone number (the card shows it masked); the server records every reveal in the audit log. */
export async function revealPhone(conversationId: string): Promise<string> {
  return (await apiRequest(path(conversationId, '/reveal-phone'), { method: 'POST', body: {}, schema: ZRevealedPhone }))
    .phone;
}

export async function fetchAgents(): Promise<TAgentLoad[]> {
  return (await apiRequest('/api/workspace/agents', { schema: z.object({ agents: z.array(ZAgentLoad) }) })).agents;
}

export async function fetchGroups(): Promise<TGroup[]> {
  const schema = z.object({ groups: z.array(z.object({ id: z.string(), name: z.string() })) });
  return (await apiRequest('/api/workspace/groups', { schema })).groups;
}

export function fetchBoard(): Promise<TBoard> {
  return apiRequest('/api/workspace/board', { schema: ZBoard });
}

export async function fetchCannedReplies(): Promise<TCannedReply[]> {
  return (await apiRequest('/api/workspace/canned-replies', { schema: z.object({ replies: z.array(ZCannedReply) }) }))
    .replies;
}

export function createCannedReply(input: { title: string; body: string; shared: boolean }): Promise<TCannedReply> {
  return apiRequest('/api/workspace/canned-replies', { method: 'POST', body: input, schema: ZCannedReply });
}

export async function deleteCannedReply(id: string): Promise<void> {
  await apiRequest(`/api/workspace/canned-replies/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function searchKnowledge(q: string): Promise<TKnowledgeHit[]> {
  return (
    await apiRequest('/api/workspace/knowledge/search', {
      query: { q },
      schema: z.object({ hits: z.array(ZKnowledgeHit) }),
    })
  ).hits;
}
