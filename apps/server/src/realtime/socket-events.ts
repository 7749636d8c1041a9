/**
 * The registry of client→server socket events. Each declares its guard and its schema (from the contracts); the
 * gateway validates, checks the guard, rate-limits and acks. A test enumerates this list.
 */
import { type ClientEventName, type ClientEventResult, clientEvents } from '@zhengna/contracts';
import type { z } from 'zod';
import { conversationPolicy } from '../modules/conversation/conversation.policy.ts';
import type { ConversationService } from '../modules/conversation/conversation.service.ts';
import type { Actor, Guard, StaffActor, TaxpayerActor } from '../modules/identity/identity.types.ts';
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

export function socketEvents(deps: { conversations: ConversationService }): AnyDef[] {
  const { conversations } = deps;
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
  ];
  // every event of the protocol has a handler, and nothing else does
  const names = new Set(defs.map((d) => d.name));
  for (const n of Object.keys(clientEvents))
    if (!names.has(n as ClientEventName)) throw new Error(`no handler for ${n}`);
  return defs;
}
