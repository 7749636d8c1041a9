/** 通话记录 for supervisors: the filters as the API takes them, and the words for each cell. */
import type { TCallKind, TCallRecord, TCallRecordsQuery, TCallState } from '@zhengna/contracts';
import { formatCallDuration } from '../../shared/rtc/use-call.ts';

export type CallRecordFilters = {
  /** Inclusive dates, YYYY-MM-DD. */
  range: readonly [string, string] | null;
  kind: TCallKind | null;
  state: TCallState | null;
};

export const NO_FILTERS: CallRecordFilters = { range: null, kind: null, state: null };

export function toCallRecordsQuery(
  filters: CallRecordFilters,
  page: number,
  pageSize: number,
): Partial<TCallRecordsQuery> {
  return {
    from: filters.range?.[0],
    to: filters.range?.[1],
    kind: filters.kind ?? undefined,
    state: filters.state ?? undefined,
    page,
    pageSize,
  };
}

export const CALL_ENDED_BY_LABELS = { taxpayer: '纳税人', agent: '坐席', system: '系统' } as const;

/** A call that never connected has no duration to show. */
export function recordDuration(record: Pick<TCallRecord, 'connectedAt' | 'durationSeconds'>): string {
  return record.connectedAt ? formatCallDuration(record.durationSeconds) : '—';
}

export function recordEndedBy(record: Pick<TCallRecord, 'endedBy'>): string {
  return record.endedBy ? CALL_ENDED_BY_LABELS[record.endedBy] : '—';
}
