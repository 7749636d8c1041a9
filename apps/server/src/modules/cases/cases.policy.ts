/**
 * Who may see and act on a 留言 or 工单. A taxpayer: only their own enterprise's (anything else is "not found", so ids
 * cannot be probed). Staff: supervisors and administrators everything; an agent what is assigned to them, what
 * belongs to their own tax office, or what waits in one of their skill groups.
 */
import type { StaffActor, TaxpayerActor } from '../identity/identity.types.ts';

export type StaffScope = { staffId: string; role: StaffActor['role']; taxOfficeId: string; groupIds: string[] };
export type CaseOwnership = {
  taxpayerId: string;
  taxOfficeId: string;
  groupId: string | null;
  assigneeStaffId: string | null;
};

export const casesPolicy = {
  /** Supervisors' and administrators' sockets: escalations go here. */
  supervisorRoom: 'supervisors',
  seesAll: (s: Pick<StaffScope, 'role'>) => s.role !== 'agent',
  taxpayerOwns: (actor: TaxpayerActor, c: Pick<CaseOwnership, 'taxpayerId'>) => c.taxpayerId === actor.taxpayerId,
  staffMayAct(s: StaffScope, c: CaseOwnership): boolean {
    if (casesPolicy.seesAll(s)) return true;
    if (c.assigneeStaffId === s.staffId) return true;
    if (c.taxOfficeId === s.taxOfficeId) return true;
    return c.groupId !== null && s.groupIds.includes(c.groupId);
  },
};
