/**
 * The one socket gateway. Socket.IO attached to Fastify's HTTP server by hand, with connection-state recovery as a
 * fast path (the guarantee is the database resync) and, in the distributed shape, the Redis streams adapter so any
 * node reaches any socket. Domain events from the bus are fanned out to rooms chosen by the policy layer.
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import {
  type Ack,
  CALL_LIMITS,
  type ClientToServerEvents,
  clientEvents,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
  ZHandshakeAuth,
} from '@zhengna/contracts';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { AuditService } from '../modules/audit/audit.service.ts';
import type { CallsService } from '../modules/calls/calls.service.ts';
import { casesPolicy } from '../modules/cases/cases.policy.ts';
import { conversationPolicy } from '../modules/conversation/conversation.policy.ts';
import type { ConversationService } from '../modules/conversation/conversation.service.ts';
import type { IdentityService } from '../modules/identity/identity.service.ts';
import { type Actor, passesGuard } from '../modules/identity/identity.types.ts';
import type { SpeechService, SpeechSocket } from '../modules/speech/speech.service.ts';
import { AppError, toAppError } from '../platform/app-error.ts';
import type { CallSignal, EventBus } from '../platform/bus.ts';
import type { Metrics } from '../platform/metrics.ts';
import { withTimeout } from '../platform/timeout.ts';
import { socketEvents } from './socket-events.ts';

type SocketData = { actor: Actor };
export type ZnServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ZnSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type RealtimeOptions = {
  httpServer: HttpServer;
  identity: IdentityService;
  conversations: ConversationService;
  calls: CallsService;
  speech: SpeechService;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  redisUrl: string | undefined;
  isAllowedOrigin: (origin: string, host: string | undefined) => boolean;
  /** How often a connected socket's session is checked again (expiry, revocation) on its next event. */
  sessionRecheckMs: number;
  /** Messages per second a socket may send on average, and the burst it may use. */
  rate: { perSecond: number; burst: number };
  /** Staff events that change something are recorded here (issue #10). */
  audit?: AuditService;
  /** Behind a proxy: the client's address is the first of X-Forwarded-For (as Fastify's trustProxy reads it). */
  trustProxy?: boolean;
  /**
   * Back-pressure: a socket is disconnected when a new packet finds more than this many bytes still waiting to be
   * sent to it (its client stopped reading); 0 or unset: no limit.
   */
  sendBufferLimitBytes?: number;
};

/** Staff socket events that change something, with their audit names; the target is in the payload. */
const AUDITED_EVENTS: Record<string, { action: string; target: 'conversation' | 'call' }> = {
  'message:send': { action: 'conversation.message.send', target: 'conversation' },
  'call:invite': { action: 'call.invite', target: 'call' },
  'call:decline': { action: 'call.decline', target: 'call' },
  'call:cancel': { action: 'call.cancel', target: 'call' },
  'call:hangup': { action: 'call.hangup', target: 'call' },
};

function clientAddress(socket: ZnSocket, trustProxy: boolean | undefined): string | null {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (trustProxy && first) || socket.handshake.address || null;
}

/** Room for the largest SDP a call may carry (CALL_LIMITS.sdpBytes) with its envelope; anything bigger is cut off. */
export const MAX_SOCKET_PAYLOAD_BYTES = CALL_LIMITS.sdpBytes + 16 * 1024;

export async function startRealtime(opts: RealtimeOptions) {
  const io: ZnServer = new Server(opts.httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    // Browsers always send Origin on a WebSocket; a foreign page is refused. Non-browser clients send none.
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      cb(null, !origin || opts.isAllowedOrigin(origin, req.headers.host));
    },
  });

  let redis: ReturnType<typeof createClient> | undefined;
  if (opts.redisUrl) {
    const client = createClient({ url: opts.redisUrl, socket: { reconnectStrategy: (n) => Math.min(n * 200, 3000) } });
    redis = client;
    // The link to the other nodes broke: what was in flight is lost (a broadcast this node published, or one it was
    // reading), and a socket that stayed connected would never learn it. Once Redis answers again, every socket here
    // is told to resync from the database, and when this node's own broadcasts failed meanwhile, every socket of the
    // cluster is (they may have missed those).
    let linkLost = false;
    let publishFailed = false;
    client.on('error', (err) => {
      linkLost = true;
      opts.logger.warn({ err: String(err) }, 'redis error');
    });
    client.on('ready', () => {
      if (!linkLost) return;
      const everywhere = publishFailed;
      linkLost = false;
      publishFailed = false;
      opts.logger.warn({ everywhere }, 'redis is back: asking sockets to resync');
      opts.metrics.resyncRequests.inc({ scope: everywhere ? 'cluster' : 'node' });
      if (everywhere) io.emit('sync:required');
      else io.local.emit('sync:required');
    });
    // The adapter stores recovery sessions with a SET that nothing awaits: one cut off by a dying Redis must not
    // become an unhandled rejection, which would end the process.
    const set = client.set.bind(client);
    Object.assign(client, {
      set: (...args: Parameters<typeof set>) =>
        set(...args).catch((err: unknown) => {
          opts.logger.warn({ err: String(err) }, 'socket session not stored for recovery');
          return null;
        }),
    });
    await client.connect();
    io.adapter(createAdapter(client, { streamName: 'zhengna:socket.io', maxLen: 100_000 }));
    const adapter = io.of('/').adapter as unknown as {
      doPublish: (message: unknown) => Promise<string>;
      restoreSession: (pid: string, offset: string) => Promise<unknown>;
    };
    const doPublish = adapter.doPublish.bind(adapter);
    adapter.doPublish = (message) =>
      doPublish(message).catch((err: unknown) => {
        publishFailed = true;
        throw err;
      });
    // Recovery of a dropped socket's state is a fast path (the database resync is the guarantee): without Redis, or
    // when it does not answer, the socket connects afresh instead of waiting for it.
    const restoreSession = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = (pid, offset) =>
      client.isReady
        ? withTimeout(restoreSession(pid, offset), REDIS_ANSWER_MS, 'session restore')
        : Promise.reject(new Error('redis is not connected'));
  }

  io.use(async (socket, next) => {
    const auth = ZHandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(socketError(new AppError('UNAUTHENTICATED')));
    if (auth.data.protocolVersion !== PROTOCOL_VERSION) return next(socketError(new AppError('PROTOCOL_MISMATCH')));
    let actor: Actor | null;
    try {
      actor = await opts.identity.actorFromRealtimeToken(auth.data.token);
    } catch (err) {
      // the database is down: say so (the client tries again), rather than that the session is gone
      const e = toAppError(err);
      if (e.code === 'INTERNAL') opts.logger.error({ err }, 'socket handshake failed');
      return next(socketError(e));
    }
    if (!actor || actor.kind === 'portal') return next(socketError(new AppError('UNAUTHENTICATED')));
    socket.data.actor = actor;
    next();
  });

  const defs = socketEvents({ conversations: opts.conversations, calls: opts.calls, speech: opts.speech });
  const byName = new Map(defs.map((d) => [d.name as string, d]));

  io.on('connection', (socket: ZnSocket) => {
    const actor = socket.data.actor;
    opts.metrics.socketsConnected.inc();
    if (opts.sendBufferLimitBytes)
      limitSendBuffer(socket, opts.sendBufferLimitBytes, (pendingBytes) => {
        opts.metrics.slowSocketDisconnects.inc();
        opts.logger.warn(
          { socketId: socket.id, actor: actor.kind, pendingBytes, limitBytes: opts.sendBufferLimitBytes },
          'slow client: too much waiting to be sent, socket disconnected',
        );
      });
    socket.on('disconnect', () => {
      opts.metrics.socketsConnected.dec();
      opts.speech.closeSocket(socket.id);
    });
    const speechSocket: SpeechSocket = {
      id: socket.id,
      emit: (event, payload) =>
        event === 'speech:result'
          ? socket.emit('speech:result', payload as Parameters<ServerToClientEvents['speech:result']>[0])
          : socket.emit('speech:ended', payload as Parameters<ServerToClientEvents['speech:ended']>[0]),
    };
    socket.join(`session:${actor.sessionId}`);
    if (actor.kind === 'taxpayer') socket.join(conversationPolicy.taxpayerRoom(actor));
    if (actor.kind === 'staff')
      socket.join([conversationPolicy.staffRoom, conversationPolicy.agentRoom(actor.staffId)]);
    if (actor.kind === 'staff' && actor.role !== 'agent') socket.join(casesPolicy.supervisorRoom);
    // a ringing invitation or a waiting request missed while this page was away (reload, reconnect)
    opts.calls
      .live(actor)
      .then((live) => {
        for (const call of live) socket.emit('call:update', call);
      })
      .catch((err) => opts.logger.warn({ err }, 'live calls not replayed'));

    let sessionCheckedAt = Date.now();
    // one check at a time, and every event that arrives meanwhile waits for it too: events stay in their order
    // (voice frames carry a sequence number). A check that could not be made (the database is down) ends nothing:
    // the events waiting for it are refused with that error and the next event checks again.
    let sessionCheck: Promise<{ live: boolean; error?: AppError }> | undefined;
    let tokens = opts.rate.burst;
    let refilledAt = Date.now();
    const allow = () => {
      const now = Date.now();
      tokens = Math.min(opts.rate.burst, tokens + ((now - refilledAt) / 1000) * opts.rate.perSecond);
      refilledAt = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    };

    // Every event goes through here: known ones are validated and guarded, unknown ones answered with an error.
    socket.onAny(async (event: string, ...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: Ack<unknown>) => void) : undefined;
      const audited = actor.kind === 'staff' ? AUDITED_EVENTS[event] : undefined;
      const payload = args[0] as { conversationId?: unknown; callId?: unknown } | undefined;
      const reply = (r: Ack<unknown>) => {
        opts.metrics.socketEvents.inc({
          event: byName.has(event) ? event : 'unknown',
          result: r.ok ? 'ok' : r.error.code,
        });
        if (!audited || !opts.audit || actor.kind !== 'staff') return ack?.(r);
        const targetId = audited.target === 'call' ? payload?.callId : payload?.conversationId;
        // the ack waits for the entry (record never rejects): once a client sees its change done, it is on record
        void opts.audit
          .record({
            who: { staffId: actor.staffId, name: actor.name, role: actor.role },
            kind: 'change',
            action: audited.action,
            target: { type: audited.target, id: typeof targetId === 'string' ? targetId.slice(0, 100) : null },
            result: r.ok ? 'ok' : r.error.code === 'INTERNAL' ? 'failed' : 'denied',
            status: r.ok ? 'ok' : r.error.code,
            ip: clientAddress(socket, opts.trustProxy),
            request: event,
          })
          .then(() => ack?.(r));
      };
      const def = byName.get(event);
      if (!def) return reply({ ok: false, error: new AppError('UNKNOWN_EVENT').toBody() });
      // The session may have expired or been revoked since the handshake; socket activity also counts as use.
      if (!sessionCheck && Date.now() - sessionCheckedAt >= opts.sessionRecheckMs) {
        sessionCheckedAt = Date.now();
        const check = opts.identity.resolveSessionById(actor.sessionId).then(
          (live) => ({ live: Boolean(live) }),
          (err: unknown) => {
            sessionCheckedAt = 0;
            const error = toAppError(err);
            if (error.code === 'INTERNAL') opts.logger.error({ err }, 'socket session check failed');
            return { live: true, error };
          },
        );
        sessionCheck = check;
        void check.then(() => {
          if (sessionCheck === check) sessionCheck = undefined;
        });
      }
      const checked = sessionCheck ? await sessionCheck : undefined;
      if (checked?.error) return reply({ ok: false, error: checked.error.toBody() });
      if (checked && !checked.live) {
        reply({ ok: false, error: new AppError('UNAUTHENTICATED').toBody() });
        if (socket.connected) {
          opts.speech.closeSocket(socket.id, 'session');
          socket.emit('session:ended', { reason: '登录已失效，请重新登录。' });
          socket.disconnect(true);
        }
        return;
      }
      // voice frames come ten a second; the speech service paces them itself (real time, at most a little faster)
      if (event !== 'speech:audio' && !allow())
        return reply({ ok: false, error: new AppError('RATE_LIMITED').toBody() });
      if (!passesGuard(def.guard, actor)) return reply({ ok: false, error: new AppError('FORBIDDEN').toBody() });
      const parsed = clientEvents[def.name].safeParse(args[0]);
      if (!parsed.success) {
        const err = AppError.fromZod(parsed.error);
        const bodyIssue = parsed.error.issues.find((i) => i.path[0] === 'body');
        const specific =
          bodyIssue?.code === 'too_big'
            ? new AppError('MESSAGE_TOO_LONG')
            : bodyIssue?.code === 'custom'
              ? new AppError('MESSAGE_EMPTY')
              : err;
        return reply({ ok: false, error: specific.toBody() });
      }
      try {
        const ctx = {
          actor,
          watch: (rooms: string[]) => {
            for (const room of socket.rooms) if (room.startsWith('conv:') && !rooms.includes(room)) socket.leave(room);
            socket.join(rooms);
          },
          broadcast: (rooms: string[], ev: 'typing', payload: Parameters<ServerToClientEvents['typing']>[0]) =>
            socket.to(rooms).emit(ev, payload),
          speech: speechSocket,
        };
        const data = await (def.handle as (c: typeof ctx, p: unknown) => Promise<unknown>)(ctx, parsed.data);
        reply({ ok: true, data });
      } catch (err) {
        const e = toAppError(err);
        if (e.code === 'INTERNAL') opts.logger.error({ err, event }, 'socket event failed');
        reply({ ok: false, error: e.toBody() });
      }
    });
  });

  // Fan-out: the policy decides the rooms; the adapter carries it to every node.
  const unsubscribe = [
    opts.bus.on('message.created', ({ message, taxpayerRoom }) => {
      const rooms = [conversationPolicy.conversationRoom(message.conversationId)];
      if (taxpayerRoom) rooms.push(taxpayerRoom);
      io.to(rooms).emit('message:new', message);
    }),
    opts.bus.on('conversation.updated', ({ summary }) => {
      io.to(conversationPolicy.staffRoom).emit('conversation:updated', summary);
    }),
    opts.bus.on('inbox.created', ({ taxpayerRoom, item, unread }) => {
      io.to(taxpayerRoom).emit('inbox:new', { item, unread });
    }),
    opts.bus.on('inbox.unread', ({ taxpayerRoom, unread }) => {
      io.to(taxpayerRoom).emit('inbox:unread', { unread });
    }),
    opts.bus.on('queue.update', ({ taxpayerRoom, ...payload }) => {
      io.to(taxpayerRoom).emit('queue:update', payload);
    }),
    opts.bus.on('conversation.assigned', ({ staffId, ...payload }) => {
      io.to(conversationPolicy.agentRoom(staffId)).emit('conversation:assigned', payload);
    }),
    opts.bus.on('case.assigned', ({ staffId, notice }) => {
      io.to(conversationPolicy.agentRoom(staffId)).emit('case:assigned', notice);
    }),
    opts.bus.on('case.alert', ({ staffIds, supervisors, notice }) => {
      const rooms = staffIds.map((id) => conversationPolicy.agentRoom(id));
      if (supervisors) rooms.push(casesPolicy.supervisorRoom);
      if (rooms.length) io.to(rooms).emit('case:alert', notice);
    }),
    opts.bus.on('call.updated', ({ call, rooms }) => {
      io.to(rooms).emit('call:update', call);
    }),
    opts.bus.on('call.signal', (signal) => relaySignal(io, signal)),
    opts.bus.on('session.revoked', ({ sessionIds, reason }) => {
      for (const id of sessionIds) {
        io.to(`session:${id}`).emit('session:ended', { reason });
        io.in(`session:${id}`).disconnectSockets(true);
      }
    }),
  ];

  return {
    io,
    eventNames: defs.map((d) => ({ name: d.name, guard: d.guard })),
    /** Redis answers (for /readyz); fails at once while disconnected, and after a while when it hangs. */
    async ping() {
      if (!redis) return;
      if (!redis.isReady) throw new Error('redis is not connected');
      await withTimeout(redis.ping(), REDIS_ANSWER_MS, 'redis ping');
    },
    /** Closes every socket so its client reconnects (elsewhere, behind a balancer). */
    async close() {
      for (const u of unsubscribe) u();
      // Only the connections are closed: a client sees a lost transport and reconnects by itself. Not
      // disconnectSockets(), which tells each client "the server disconnected you" — a Socket.IO client never
      // reconnects after that (it is how a revoked session is ended). Not io.close(): that would also close the
      // HTTP server, which Fastify owns and closes itself.
      io.engine.close();
      await io.of('/').adapter.close();
      if (redis?.isOpen) await redis.quit().catch(() => {});
    },
  };
}

/** The parts of engine.io's connection (and of its websocket transport's `ws` socket) the send limit reads. */
type EngineConnection = {
  on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): void;
  on(event: 'flush', listener: () => void): void;
  off(event: string, listener: (...args: never[]) => void): void;
  close(discard?: boolean): void;
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
};

/**
 * A packet's size without reading it: a string's length (a lower bound of its UTF-8 bytes, at most 3× less) — the
 * same broadcast string goes to every recipient, and measuring it exactly for each would cost as much as sending it.
 */
const byteSize = (data: unknown) =>
  typeof data === 'string'
    ? data.length
    : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
      ? data.byteLength
      : 0;

/**
 * Back-pressure for one socket. What waits to be sent to a client is engine.io's write buffer (packets queued while
 * the transport is still busy with the previous batch) plus the websocket's own buffer (written, not yet taken by
 * the kernel). A client that stops reading lets both grow without end; when a new packet finds more than the limit
 * already waiting, the connection is cut (the packet itself may be large: a big sync answer alone never trips it).
 * The client sees its connection drop, reconnects and resyncs from the database.
 */
function limitSendBuffer(socket: ZnSocket, limitBytes: number, onOver: (pendingBytes: number) => void) {
  const conn = socket.conn as unknown as EngineConnection;
  let queued = 0;
  const onFlush = () => {
    queued = 0; // handed to the transport: counted by the websocket's bufferedAmount from now on
  };
  const onPacket = (packet: { data?: unknown }) => {
    const waiting = queued + (conn.transport?.socket?.bufferedAmount ?? 0);
    queued += byteSize(packet.data);
    if (waiting <= limitBytes) return;
    conn.off('packetCreate', onPacket);
    conn.off('flush', onFlush);
    onOver(waiting);
    const ws = conn.transport?.socket;
    conn.close(true);
    // free what is buffered now rather than after the websocket's closing handshake times out
    ws?.terminate?.();
  };
  conn.on('packetCreate', onPacket);
  conn.on('flush', onFlush);
}

/** How long a readiness check or a session restore waits for Redis before treating it as down. */
const REDIS_ANSWER_MS = 2000;

/** A peer's signal to the other side's room, under the event name it came with. */
function relaySignal(io: ZnServer, s: CallSignal) {
  const to = io.to(s.room);
  switch (s.event) {
    case 'call:offer':
      return void to.emit('call:offer', s.payload);
    case 'call:answer':
      return void to.emit('call:answer', s.payload);
    case 'call:ice-candidate':
      return void to.emit('call:ice-candidate', s.payload);
    case 'call:ice-restart':
      return void to.emit('call:ice-restart', s.payload);
  }
}

function socketError(e: AppError): Error & { data: unknown } {
  return Object.assign(new Error(e.message), { data: e.toBody() });
}

export type Realtime = Awaited<ReturnType<typeof startRealtime>>;
