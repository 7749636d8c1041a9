import { type TIceServers, ZIceServers } from '@zhengna/contracts';
import { apiRequest } from '../../shared/api/api-client.ts';

/** The STUN/TURN servers for one call; the TURN credential is short-lived, so this is fetched for every call. */
export function fetchIceServers(accessToken: string): Promise<TIceServers> {
  return apiRequest('/api/rtc/ice-servers', { accessToken, schema: ZIceServers });
}
