/** 审计日志: the filter form as the API takes it, and the words for each cell. */
import {
  STAFF_ROLE_LABELS,
  type TAuditEntry,
  type TAuditKind,
  type TAuditQuery,
  type TAuditResult,
} from '@zhengna/contracts';
import type { Dayjs } from 'dayjs';

/** What the filter form holds; dates are CST calendar dates (YYYY-MM-DD) as the contract takes them. */
export interface AuditFilters {
  /** Inclusive dates, YYYY-MM-DD. */
  range?: readonly [string, string] | null;
  staffId?: string | null;
  kind?: TAuditKind | null;
  result?: TAuditResult | null;
  /** Prefix of the action name, e.g. `settings.` */
  action?: string | null;
  targetId?: string | null;
}

/** What the antd form holds. */
export interface AuditFormValues {
  range?: [Dayjs, Dayjs] | null;
  staffId?: string;
  kind?: TAuditKind;
  result?: TAuditResult;
  action?: string;
  targetId?: string;
}

/** The form's values as filters: picked dates become YYYY-MM-DD (the calendar day the admin chose). */
export function filtersOf(values: AuditFormValues): AuditFilters {
  return {
    range: values.range ? [values.range[0].format('YYYY-MM-DD'), values.range[1].format('YYYY-MM-DD')] : null,
    staffId: values.staffId ?? null,
    kind: values.kind ?? null,
    result: values.result ?? null,
    action: values.action ?? null,
    targetId: values.targetId ?? null,
  };
}

export const AUDIT_PAGE_SIZE = 50;

/** The query string for one page: only the filters that are set (blank text counts as unset). */
export function toAuditQuery(
  filters: AuditFilters,
  before: string | null = null,
  pageSize: number = AUDIT_PAGE_SIZE,
): Partial<TAuditQuery> {
  const query: Partial<TAuditQuery> = {};
  if (filters.range) {
    query.from = filters.range[0];
    query.to = filters.range[1];
  }
  if (filters.staffId) query.staffId = filters.staffId;
  if (filters.kind) query.kind = filters.kind;
  if (filters.result) query.result = filters.result;
  const action = filters.action?.trim();
  if (action) query.action = action;
  const targetId = filters.targetId?.trim();
  if (targetId) query.targetId = targetId;
  if (before) query.before = before;
  query.pageSize = pageSize;
  return query;
}

const cstFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "2026-05-20 09:30:05" in China Standard Time, whatever zone the browser is in. */
export function formatAuditTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = Object.fromEntries(cstFormat.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "管理员" — or "—" for an entry without a staff member (e.g. a failed sign-in). */
export const auditRoleLabel = (entry: Pick<TAuditEntry, 'role'>): string =>
  entry.role ? STAFF_ROLE_LABELS[entry.role] : '—';

/** "conversation 9f…" — what the action touched, or "—". */
export function auditTargetLabel(entry: Pick<TAuditEntry, 'targetType' | 'targetId'>): string {
  const parts = [entry.targetType, entry.targetId].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '—';
}
