/** Calls over HTTP with the staff session cookie: ICE servers for a new peer connection, and supervisors' records. */
import {
  type TCallRecordsPage,
  type TCallRecordsQuery,
  type TIceServers,
  ZCallRecordsPage,
  ZIceServers,
} from '@zhengna/contracts';
import { apiRequest } from '../../../shared/api/api-client.ts';

/** Fetched for every call: the TURN credential in it is short-lived. */
export function fetchIceServers(): Promise<TIceServers> {
  return apiRequest('/api/rtc/ice-servers', { schema: ZIceServers });
}

/** 通话记录 (supervisors), newest first. */
export function fetchCallRecords(query: Partial<TCallRecordsQuery>): Promise<TCallRecordsPage> {
  return apiRequest('/api/workspace/calls', {
    query: {
      from: query.from,
      to: query.to,
      kind: query.kind,
      state: query.state,
      staffId: query.staffId,
      conversationId: query.conversationId,
      page: query.page,
      pageSize: query.pageSize,
    },
    schema: ZCallRecordsPage,
  });
}
