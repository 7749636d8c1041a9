/**
 * The audit log's use cases: record an entry (never failing the action it records), search for admins, purge what
 * is older than the retention period.
 */
import type { TAuditEntry, TAuditKind, TAuditPage, TAuditQuery, TAuditResult } from '@zhengna/contracts';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db.ts';
import { cstStartOf, shiftDate } from '../appointment/appointment-calendar.ts';
import type { StaffActor } from '../identity/identity.types.ts';
import { type AuditRow, auditRepo } from './audit.repo.ts';

/** Who acted: a signed-in staff member, or (a failed login) only the username that was tried. */
export type AuditWho = Pick<StaffActor, 'staffId' | 'name' | 'role'> | { staffId: null; name: string; role: null };

export type AuditRecord = {
  who: AuditWho;
  kind: TAuditKind;
  action: string;
  target?: { type: string; id: string | null } | null;
  result: TAuditResult;
  /** HTTP status or socket error code. */
  status: string;
  ip: string | null;
  /** `METHOD /path` without the query string, or the socket event's name. */
  request: string;
};

/** ok for 2xx (and 3xx), denied for 4xx, failed for 5xx. */
export const resultOfStatus = (status: number): TAuditResult =>
  status >= 500 ? 'failed' : status >= 400 ? 'denied' : 'ok';

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export function toAuditEntry(r: AuditRow): TAuditEntry {
  return {
    id: r.id.toString(),
    at: r.at.toISOString(),
    staffId: r.staffId,
    staffName: r.staffName,
    role: r.role,
    kind: r.kind,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    result: r.result,
    status: r.status,
    ip: r.ip,
    request: r.request,
  };
}

export function createAuditService(deps: { db: Db; logger: Logger; onWriteFailure: () => void }) {
  const { db, logger } = deps;
  return {
    /**
     * Appends one entry. Resolves even when the write fails: the action already happened, and refusing the response
     * afterwards would not undo it. A failure is logged at error level and counted, for an alert to pick up.
     */
    async record(e: AuditRecord): Promise<void> {
      try {
        await auditRepo.insert(db, {
          staffId: e.who.staffId,
          staffName: clip(e.who.name, 100),
          role: e.who.role,
          kind: e.kind,
          action: e.action,
          targetType: e.target?.type ?? null,
          targetId: e.target?.id ? clip(e.target.id, 100) : null,
          result: e.result,
          status: e.status,
          ip: e.ip,
          request: clip(e.request, 300),
        });
      } catch (err) {
        deps.onWriteFailure();
        logger.error(
          { err, audit: { staffId: e.who.staffId, action: e.action, result: e.result } },
          'audit entry not written',
        );
      }
    },

    /** Admins' search. Dates are China dates (the whole of `to` included); newest first. */
    async search(_actor: StaffActor, q: TAuditQuery): Promise<TAuditPage> {
      const rows = await auditRepo.search(db, {
        ...(q.from ? { fromAt: cstStartOf(q.from) } : {}),
        ...(q.to ? { toBefore: cstStartOf(shiftDate(q.to, 1)) } : {}),
        ...(q.staffId ? { staffId: q.staffId } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.result ? { result: q.result } : {}),
        ...(q.action ? { actionPrefix: q.action } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(q.before ? { beforeId: BigInt(q.before) } : {}),
        limit: q.pageSize + 1,
      });
      const page = rows.slice(0, q.pageSize);
      const last = page.at(-1);
      return {
        items: page.map(toAuditEntry),
        nextBefore: rows.length > q.pageSize && last ? last.id.toString() : null,
      };
    },

    /** The daily retention job. */
    async purge(retentionDays: number): Promise<number> {
      const n = await auditRepo.purgeOlderThan(db, retentionDays);
      if (n > 0) logger.info({ deleted: n, retentionDays }, 'audit entries past retention deleted');
      return n;
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
