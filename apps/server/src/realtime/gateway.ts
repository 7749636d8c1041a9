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
    redis = createClient({ url: opts.redisUrl, socket: { reconnectStrategy: (n) => Math.min(n * 200, 3000) } });
    redis.on('error', (err) => opts.logger.warn({ err: String(err) }, 'redis error'));
    await redis.connect();
    io.adapter(createAdapter(redis, { streamName: 'zhengna:socket.io', maxLen: 100_000 }));
  }

  io.use(async (socket, next) => {
    const auth = ZHandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(socketError(new AppError('UNAUTHENTICATED')));
    if (auth.data.protocolVersion !== PROTOCOL_VERSION) return next(socketError(new AppError('PROTOCOL_MISMATCH')));
    const actor = await opts.identity.actorFromRealtimeToken(auth.data.token).catch(() => null);
    if (!actor || actor.kind === 'portal') return next(socketError(new AppError('UNAUTHENTICATED')));
    socket.data.actor = actor;
    next();
  });

  const defs = socketEvents({ conversations: opts.conversations, calls: opts.calls, speech: opts.speech });
  const byName = new Map(defs.map((d) => [d.name as string, d]));

  io.on('connection', (socket: ZnSocket) => {
    const actor = socket.data.actor;
    opts.metrics.socketsConnected.inc();
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
    // (voice frames carry a sequence number)
    let sessionCheck: Promise<boolean> | undefined;
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
          (live) => Boolean(live),
          () => false,
        );
        sessionCheck = check;
        void check.then(() => {
          if (sessionCheck === check) sessionCheck = undefined;
        });
      }
      if (sessionCheck && !(await sessionCheck)) {
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
    async ping() {
      if (redis) await redis.ping();
    },
    /** Closes every socket so its client reconnects (elsewhere, behind a balancer). */
    async close() {
      for (const u of unsubscribe) u();
      io.local.disconnectSockets(true);
      // not io.close(): that would also close the HTTP server, which Fastify owns and closes itself
      io.engine.close();
      await io.of('/').adapter.close();
      if (redis?.isOpen) await redis.quit().catch(() => {});
    },
  };
}

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
