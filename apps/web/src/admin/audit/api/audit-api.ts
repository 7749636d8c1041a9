/** 审计日志 over HTTP with the staff session cookie (admins only; the server answers 403 to anyone else). */
import { type TAuditPage, type TAuditQuery, ZAuditPage } from '@zhengna/contracts';
import { apiRequest } from '../../../shared/api/api-client.ts';

/** One page, newest first; pass the previous page's `nextBefore` as `before` for the next (older) one. */
export function fetchAuditPage(query: Partial<TAuditQuery>, signal?: AbortSignal): Promise<TAuditPage> {
  return apiRequest('/api/admin/audit', {
    query: {
      from: query.from,
      to: query.to,
      staffId: query.staffId,
      kind: query.kind,
      result: query.result,
      action: query.action,
      targetId: query.targetId,
      before: query.before,
      pageSize: query.pageSize,
    },
    schema: ZAuditPage,
    signal,
  });
}
