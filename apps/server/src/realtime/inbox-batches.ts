/**
 * Live arrival of bulk inbox deliveries (精准推送). A batch of thousands of items is announced once to every node as a
 * taxpayer-id range; each node looks among its own connected taxpayers' rooms for those in the range and sends them
 * their new item and unread count — the cost follows the connected audience, not the size of the push.
 */
import type { Logger } from 'pino';
import { conversationPolicy } from '../modules/conversation/conversation.policy.ts';
import type { InboxService } from '../modules/inbox/inbox.service.ts';
import type { ClusterBus } from '../platform/cluster-bus.ts';
import type { ZnServer } from './gateway.ts';

const ROOM = /^tp:([0-9a-f-]{36}):([0-9a-f-]{36})$/;
const CHUNK = 500;

export function relayInboxBatches(opts: { cluster: ClusterBus; io: ZnServer; inbox: InboxService; logger: Logger }) {
  opts.cluster.on('inbox.batch', ({ dedupeKey, after, upTo }) => {
    const people: { portalUserId: string; taxpayerId: string }[] = [];
    // this node's rooms only (the adapter's local map); uuid text order is the database's uuid order
    for (const room of opts.io.of('/').adapter.rooms.keys()) {
      const m = ROOM.exec(room);
      if (m?.[1] && m[2] && m[2] > after && m[2] <= upTo) people.push({ portalUserId: m[1], taxpayerId: m[2] });
    }
    if (people.length === 0) return;
    void (async () => {
      for (let i = 0; i < people.length; i += CHUNK) {
        for (const d of await opts.inbox.deliveredTo(people.slice(i, i + CHUNK), dedupeKey)) {
          opts.io.local.to(conversationPolicy.taxpayerRoom(d)).emit('inbox:new', { item: d.item, unread: d.unread });
        }
      }
    })().catch((err) => opts.logger.warn({ err, dedupeKey }, 'live push notice failed'));
  });
}
