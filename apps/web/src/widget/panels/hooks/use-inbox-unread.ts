import { useEffect, useState } from 'react';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { postToHost } from '../../host/host-bridge.ts';
import { fetchInboxUnread } from '../api/inbox-unread-api.ts';

/**
 * 我的消息 unread count: loaded once, then kept live from the socket (a new item, read elsewhere …). Every change
 * goes to the host page too, for the badge on the launcher icon.
 */
export function useInboxUnread(
  client: RealtimeClient | null,
  withAuth: <T>(call: (accessToken: string) => Promise<T>) => Promise<T>,
  hostOrigin: string,
) {
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    let cancelled = false;
    withAuth(fetchInboxUnread).then(
      (count) => !cancelled && setUnread(count),
      () => {}, // the badge is a hint; the panel shows errors when opened
    );
    return () => {
      cancelled = true;
    };
  }, [withAuth]);

  useEffect(() => client?.onInbox((event) => setUnread(event.unread)), [client]);

  useEffect(() => {
    postToHost(hostOrigin, { type: 'zn:unread', count: unread });
  }, [hostOrigin, unread]);

  return { unread, setUnread };
}
