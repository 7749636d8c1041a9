/** Who is acting. Every service takes the actor first; routes and socket handlers get it from their guard. */
import type { TStaffRole } from '@zhengna/contracts';

export type TaxpayerActor = {
  kind: 'taxpayer';
  sessionId: string;
  portalUserId: string;
  taxpayerId: string;
  personName: string;
};
export type PortalActor = { kind: 'portal'; sessionId: string; portalUserId: string; taxpayerId: string };
export type StaffActor = {
  kind: 'staff';
  sessionId: string;
  staffId: string;
  role: TStaffRole;
  name: string;
  /** Signed in, but only the routes that lift it work: an expired password, or a second factor to set up. */
  restricted?: 'password_expired' | 'totp_enrolment';
};
export type Actor = TaxpayerActor | PortalActor | StaffActor;

/**
 * Guards, declared by every route and socket event. Staff roles nest: an admin passes a supervisor guard, a
 * supervisor passes an agent guard. `participant` is a chat taxpayer or any staff member.
 */
export type Guard = 'public' | 'portal' | 'taxpayer' | 'agent' | 'supervisor' | 'admin' | 'participant';

const ROLE_RANK: Record<TStaffRole, number> = { agent: 1, supervisor: 2, admin: 3 };

export function passesGuard(guard: Guard, actor: Actor | null): boolean {
  switch (guard) {
    case 'public':
      return true;
    case 'portal':
      return actor?.kind === 'portal';
    case 'taxpayer':
      return actor?.kind === 'taxpayer';
    case 'participant':
      return actor?.kind === 'taxpayer' || actor?.kind === 'staff';
    case 'agent':
    case 'supervisor':
    case 'admin':
      return actor?.kind === 'staff' && ROLE_RANK[actor.role] >= ROLE_RANK[guard];
  }
}
