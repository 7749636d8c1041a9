/**
 * Who may take part in a call and what each side may do in each state. A call has exactly two parties: the
 * conversation's taxpayer (the person acting for that enterprise) and the agent who held the conversation when the
 * call began — and only while that agent still holds it. Everybody else is told the call does not exist, so call ids
 * cannot be probed.
 */
import type { TCallParty, TCallState } from '@zhengna/contracts';
import { conversationPolicy } from '../conversation/conversation.policy.ts';
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';

export type CallParties = { staffId: string; portalUserId: string; taxpayerId: string };
export type LiveAssignment = { status: 'open' | 'closed'; assigneeStaffId: string | null };

/** The lifecycle steps a party may take; `connected` is idempotent on an active call. */
export type CallStep = 'accept' | 'decline' | 'cancel' | 'hangup' | 'connected' | 'failed';

/**
 * From which states each side may take each step. A step missing for a side is not theirs to take at all; a state
 * missing from the list means the call has moved on (answered, ended …) since the client last saw it.
 */
const STEPS: Record<CallStep, Partial<Record<TCallParty, readonly TCallState[]>>> = {
  accept: { taxpayer: ['inviting'] },
  // the taxpayer turns an invitation down; the agent turns a request down
  decline: { taxpayer: ['inviting'], agent: ['requested'] },
  // the one who asked gives up before an answer
  cancel: { agent: ['inviting'], taxpayer: ['requested'] },
  // before an answer a call is cancelled or declined, never hung up: the record says which
  hangup: { taxpayer: ['connecting', 'active'], agent: ['connecting', 'active'] },
  connected: { taxpayer: ['connecting', 'active'], agent: ['connecting', 'active'] },
  failed: { taxpayer: ['connecting', 'active'], agent: ['connecting', 'active'] },
};

/** States in which the peers exchange offers, answers and candidates. */
export const SIGNALLING_STATES: readonly TCallState[] = ['connecting', 'active'];

export const callsPolicy = {
  /** Which side of this call the actor is, or null for anybody else (another taxpayer, agent or supervisor). */
  partyOf(actor: TaxpayerActor | StaffActor, call: CallParties): TCallParty | null {
    if (actor.kind === 'staff') return actor.staffId === call.staffId ? 'agent' : null;
    return actor.portalUserId === call.portalUserId && actor.taxpayerId === call.taxpayerId ? 'taxpayer' : null;
  },

  /** The call's agent still holds its conversation (open, assigned to them). */
  isLive(call: Pick<CallParties, 'staffId'>, conversation: LiveAssignment): boolean {
    return conversation.status === 'open' && conversation.assigneeStaffId === call.staffId;
  },

  /** The states from which `party` may take `step`; null when the step is never theirs. */
  allowedFrom(step: CallStep, party: TCallParty): readonly TCallState[] | null {
    return STEPS[step][party] ?? null;
  },

  /** Both sides' sockets: every tab of the taxpayer, every socket of the agent. */
  rooms(call: CallParties): string[] {
    return [conversationPolicy.taxpayerRoom(call), conversationPolicy.agentRoom(call.staffId)];
  },

  /** Where a signal from `from` goes: the other side only, never back to the sender's own sockets. */
  otherRoom(from: TCallParty, call: CallParties): string {
    return from === 'agent' ? conversationPolicy.taxpayerRoom(call) : conversationPolicy.agentRoom(call.staffId);
  },
};
