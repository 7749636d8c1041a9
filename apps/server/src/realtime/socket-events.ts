/**
 * The registry of client→server socket events. Each declares its guard and its schema (from the contracts); the
 * gateway validates, checks the guard, rate-limits and acks. A test enumerates this list.
 */
import { type ClientEventName, type ClientEventResult, clientEvents } from '@zhengna/contracts';
import type { z } from 'zod';
import type { CallsService } from '../modules/calls/calls.service.ts';
import { conversationPolicy } from '../modules/conversation/conversation.policy.ts';
import type { ConversationService } from '../modules/conversation/conversation.service.ts';
import type { Actor, Guard, StaffActor, TaxpayerActor } from '../modules/identity/identity.types.ts';
import type { SpeechService, SpeechSocket } from '../modules/speech/speech.service.ts';
import { AppError } from '../platform/app-error.ts';

export type SocketContext = {
  actor: Actor;
  /** Replaces the set of conversation rooms this socket watches. */
  watch: (rooms: string[]) => void;
  /** Broadcast to rooms, excluding the sending socket. */
  broadcast: (
    rooms: string[],
    event: 'typing',
    payload: { conversationId: string; typing: boolean; senderType: 'taxpayer' | 'agent' },
  ) => void;
  /** This socket alone (its id and an emit to it): voice input streams belong to the socket that started them. */
  speech: SpeechSocket;
};

export type SocketEventDef<E extends ClientEventName> = {
  name: E;
  guard: Guard;
  handle: (ctx: SocketContext, payload: z.infer<(typeof clientEvents)[E]>) => Promise<ClientEventResult[E]>;
};

type AnyDef = { [E in ClientEventName]: SocketEventDef<E> }[ClientEventName];

function sender(actor: Actor): TaxpayerActor | StaffActor {
  if (actor.kind === 'taxpayer' || actor.kind === 'staff') return actor;
  throw new AppError('FORBIDDEN');
}

/** The guard admits only a taxpayer; narrowed for the service. */
function taxpayer(actor: Actor): TaxpayerActor {
  if (actor.kind === 'taxpayer') return actor;
  throw new AppError('FORBIDDEN');
}

function staffMember(actor: Actor): StaffActor {
  if (actor.kind === 'staff') return actor;
  throw new AppError('FORBIDDEN');
}

export function socketEvents(deps: {
  conversations: ConversationService;
  calls: CallsService;
  speech: SpeechService;
}): AnyDef[] {
  const { conversations, calls, speech } = deps;
  const defs: AnyDef[] = [
    {
      name: 'message:send',
      guard: 'participant',
      handle: (ctx, p) => conversations.send(sender(ctx.actor), p),
    } satisfies SocketEventDef<'message:send'>,
    {
      name: 'conversation:sync',
      guard: 'participant',
      handle: (ctx, p) => conversations.sync(ctx.actor, p),
    } satisfies SocketEventDef<'conversation:sync'>,
    {
      name: 'typing:set',
      guard: 'participant',
      handle: async (ctx, p) => {
        const actor = sender(ctx.actor);
        // only to the other party of a conversation the actor may see
        const owner = await conversations.visibleOwner(actor, p.conversationId);
        const rooms =
          actor.kind === 'taxpayer' ? [conversationPolicy.staffRoom] : [conversationPolicy.taxpayerRoom(owner)];
        ctx.broadcast(rooms, 'typing', {
          conversationId: p.conversationId,
          typing: p.typing,
          senderType: actor.kind === 'taxpayer' ? 'taxpayer' : 'agent',
        });
        return null;
      },
    } satisfies SocketEventDef<'typing:set'>,
    {
      name: 'conversation:watch',
      guard: 'agent',
      handle: async (ctx, p) => {
        // staff may view every conversation for now; routing (assignment) narrows this later
        const ids = [...new Set(p.conversationIds)];
        ctx.watch(ids.map((id) => conversationPolicy.conversationRoom(id)));
        return { watching: ids.length };
      },
    } satisfies SocketEventDef<'conversation:watch'>,
    // calls: the service checks that the actor is one of the call's two parties, every time
    {
      name: 'call:request',
      guard: 'taxpayer',
      handle: (ctx, p) => calls.request(taxpayer(ctx.actor), p),
    } satisfies SocketEventDef<'call:request'>,
    {
      name: 'call:invite',
      guard: 'agent',
      handle: (ctx, p) => calls.invite(staffMember(ctx.actor), p),
    } satisfies SocketEventDef<'call:invite'>,
    {
      name: 'call:accept',
      guard: 'taxpayer',
      handle: (ctx, p) => calls.accept(taxpayer(ctx.actor), p),
    } satisfies SocketEventDef<'call:accept'>,
    {
      name: 'call:decline',
      guard: 'participant',
      handle: (ctx, p) => calls.decline(sender(ctx.actor), p),
    } satisfies SocketEventDef<'call:decline'>,
    {
      name: 'call:cancel',
      guard: 'participant',
      handle: (ctx, p) => calls.cancel(sender(ctx.actor), p),
    } satisfies SocketEventDef<'call:cancel'>,
    {
      name: 'call:hangup',
      guard: 'participant',
      handle: (ctx, p) => calls.hangup(sender(ctx.actor), p),
    } satisfies SocketEventDef<'call:hangup'>,
    {
      name: 'call:connected',
      guard: 'participant',
      handle: (ctx, p) => calls.connected(sender(ctx.actor), p),
    } satisfies SocketEventDef<'call:connected'>,
    {
      name: 'call:failed',
      guard: 'participant',
      handle: (ctx, p) => calls.failed(sender(ctx.actor), p),
    } satisfies SocketEventDef<'call:failed'>,
    {
      name: 'call:offer',
      guard: 'participant',
      handle: (ctx, p) => calls.signal(sender(ctx.actor), { event: 'call:offer', payload: p }),
    } satisfies SocketEventDef<'call:offer'>,
    {
      name: 'call:answer',
      guard: 'participant',
      handle: (ctx, p) => calls.signal(sender(ctx.actor), { event: 'call:answer', payload: p }),
    } satisfies SocketEventDef<'call:answer'>,
    {
      name: 'call:ice-candidate',
      guard: 'participant',
      handle: (ctx, p) => calls.signal(sender(ctx.actor), { event: 'call:ice-candidate', payload: p }),
    } satisfies SocketEventDef<'call:ice-candidate'>,
    {
      name: 'call:ice-restart',
      guard: 'participant',
      handle: (ctx, p) => calls.signal(sender(ctx.actor), { event: 'call:ice-restart', payload: p }),
    } satisfies SocketEventDef<'call:ice-restart'>,
    // voice input: the service checks that the stream is this socket's, every time
    {
      name: 'speech:start',
      guard: 'taxpayer',
      handle: (ctx) => speech.start(taxpayer(ctx.actor), ctx.speech),
    } satisfies SocketEventDef<'speech:start'>,
    {
      name: 'speech:audio',
      guard: 'taxpayer',
      handle: (ctx, p) => speech.audio(taxpayer(ctx.actor), ctx.speech.id, p),
    } satisfies SocketEventDef<'speech:audio'>,
    {
      name: 'speech:stop',
      guard: 'taxpayer',
      handle: (ctx, p) => speech.stop(taxpayer(ctx.actor), ctx.speech.id, p),
    } satisfies SocketEventDef<'speech:stop'>,
    {
      name: 'speech:cancel',
      guard: 'taxpayer',
      handle: (ctx, p) => speech.cancel(taxpayer(ctx.actor), ctx.speech.id, p),
    } satisfies SocketEventDef<'speech:cancel'>,
  ];
  // every event of the protocol has a handler, and nothing else does
  const names = new Set(defs.map((d) => d.name));
  for (const n of Object.keys(clientEvents))
    if (!names.has(n as ClientEventName)) throw new Error(`no handler for ${n}`);
  return defs;
}
