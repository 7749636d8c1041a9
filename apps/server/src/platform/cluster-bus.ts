/**
 * Events every node must hear (cache invalidation such as "the knowledge base changed"). Distributed shape: Redis
 * pub/sub; embedded shape: in-process. The publishing node hears its own events too, so one code path serves both —
 * at once, from memory, not through Redis: a node whose Redis is down or hanging still applies its own changes, and
 * `publish` never waits on Redis (what cannot go out now waits in the client's queue until Redis is back).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { createClient } from 'redis';

export type ClusterEvents = {
  'knowledge.changed': { reason: string };
  'settings.changed': { key: string };
  /** A push batch filled the inboxes of taxpayers with ids in (after, upTo]: nodes tell their connected ones. */
  'inbox.batch': { dedupeKey: string; after: string; upTo: string };
  /**
   * Heard locally only: this node's subscription to Redis is back after a break, and what was published meanwhile
   * never reached it (pub/sub keeps nothing) — caches must be read again.
   */
  'cluster.resumed': Record<string, never>;
};

export interface ClusterBus {
  publish<E extends keyof ClusterEvents>(event: E, payload: ClusterEvents[E]): Promise<void>;
  on<E extends keyof ClusterEvents>(event: E, handler: (payload: ClusterEvents[E]) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'zhengna:cluster';

export async function createClusterBus(opts: { redisUrl: string | undefined; logger: Logger }): Promise<ClusterBus> {
  const local = new EventEmitter();
  if (!opts.redisUrl) {
    return {
      publish: async (event, payload) => void local.emit(event, payload),
      on: (event, handler) => void local.on(event, handler),
      close: async () => void local.removeAllListeners(),
    };
  }
  const pub = createClient({ url: opts.redisUrl, socket: { reconnectStrategy: (n) => Math.min(n * 200, 3000) } });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (err) => opts.logger.warn({ err: String(err) }, 'cluster bus redis error'));
  await Promise.all([pub.connect(), sub.connect()]);
  // every 'ready' after the first is a reconnection, emitted once the subscription is renewed
  sub.on('ready', () => {
    opts.logger.warn('cluster bus: Redis is back, reloading what other nodes may have changed meanwhile');
    local.emit('cluster.resumed', {});
  });
  // this node's own events come back through Redis too: they were already delivered here, at publish time
  const origin = randomUUID();
  await sub.subscribe(CHANNEL, (raw) => {
    try {
      const { event, payload, from } = JSON.parse(raw) as { event: string; payload: unknown; from?: string };
      if (from !== origin) local.emit(event, payload);
    } catch (err) {
      opts.logger.warn({ err }, 'malformed cluster event');
    }
  });
  return {
    async publish(event, payload) {
      local.emit(event, payload);
      // not awaited: while Redis is down the command waits in the client's offline queue (sent on reconnect); one
      // cut off in flight is lost for the other nodes and logged
      pub
        .publish(CHANNEL, JSON.stringify({ event, payload, from: origin }))
        .catch((err) => opts.logger.warn({ err: String(err), event }, 'cluster event not published'));
    },
    on: (event, handler) => void local.on(event, handler),
    async close() {
      local.removeAllListeners();
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
