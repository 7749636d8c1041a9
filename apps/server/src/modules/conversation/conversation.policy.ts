/**
 * Who may see and do what with a conversation. Consulted by the service for every read and write, and by realtime
 * fan-out for every recipient.
 */
import type { Actor } from '../identity/identity.types.ts';

export type ConversationOwner = { id: string; portalUserId: string; taxpayerId: string };

export const conversationPolicy = {
  /** A taxpayer sees only the conversations they had as that enterprise; staff see all (routing narrows this later). */
  canView(actor: Actor, c: ConversationOwner): boolean {
    if (actor.kind === 'staff') return true;
    if (actor.kind === 'taxpayer') return c.portalUserId === actor.portalUserId && c.taxpayerId === actor.taxpayerId;
    return false;
  },
  canPost(actor: Actor, c: ConversationOwner): boolean {
    return conversationPolicy.canView(actor, c);
  },
  /**
   * A file of a conversation the actor may see (checked first). Staff read every one. The taxpayer reads their own
   * uploads and the files sent in a message they can see — never one attached only to a private note, nor an agent's
   * upload not (yet) sent: those are staff-only like the note itself.
   */
  canReadAttachment(
    actor: Actor,
    file: { uploaderType: 'taxpayer' | 'agent'; uploaderId: string },
    sentPublicly: boolean,
  ): boolean {
    if (actor.kind === 'staff') return true;
    if (actor.kind !== 'taxpayer') return false;
    return conversationPolicy.isOwnUpload(actor, file) || sentPublicly;
  },
  /** A taxpayer's message carries only files that taxpayer uploaded. */
  isOwnUpload(actor: Actor, file: { uploaderType: 'taxpayer' | 'agent'; uploaderId: string }): boolean {
    return actor.kind === 'taxpayer' && file.uploaderType === 'taxpayer' && file.uploaderId === actor.portalUserId;
  },
  /**
   * The full mobile number behind the card's masked one (issue #10): supervisors and admins, and the agent serving
   * the conversation now (who may need to call back). Everyone else works with the masked number.
   */
  canRevealPhone(actor: Actor, c: { status: 'open' | 'closed'; assigneeStaffId: string | null }): boolean {
    if (actor.kind !== 'staff') return false;
    if (actor.role !== 'agent') return true;
    return c.status === 'open' && c.assigneeStaffId === actor.staffId;
  },
  /** The room of the taxpayer's sockets that may receive this conversation's events. */
  taxpayerRoom(c: { portalUserId: string; taxpayerId: string }): string {
    return `tp:${c.portalUserId}:${c.taxpayerId}`;
  },
  /** Staff sockets watching a conversation (its workspace view) join its room. */
  conversationRoom(conversationId: string): string {
    return `conv:${conversationId}`;
  },
  /** One agent's sockets (assignments, personal notices). */
  agentRoom(staffId: string): string {
    return `agent:${staffId}`;
  },
  /** Every staff socket joins this room; staff-only notices (new conversations) go here. */
  staffRoom: 'staff',
};
