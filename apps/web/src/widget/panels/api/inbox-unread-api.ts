import { ZInboxUnread } from '@zhengna/contracts';
import { apiRequest } from '../../../shared/api/api-client.ts';

/**
 * 我的消息 unread count for the badge. Apart from panels-api.ts on purpose: the chat's first load needs only this, and
 * a module the first load touches brings all of its used code along (the panels' requests load with the panels).
 */
export async function fetchInboxUnread(accessToken: string): Promise<number> {
  return (await apiRequest('/api/chat/inbox/unread', { accessToken, schema: ZInboxUnread })).unread;
}
