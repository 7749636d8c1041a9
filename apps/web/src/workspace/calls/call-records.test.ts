import { describe, expect, it } from 'vitest';
import { NO_FILTERS, recordDuration, recordEndedBy, toCallRecordsQuery } from './call-records.ts';

describe('call records', () => {
  it('sends only the filters that are set', () => {
    expect(toCallRecordsQuery(NO_FILTERS, 1, 20)).toEqual({
      from: undefined,
      to: undefined,
      kind: undefined,
      state: undefined,
      page: 1,
      pageSize: 20,
    });
    expect(toCallRecordsQuery({ range: ['2026-05-01', '2026-05-20'], kind: 'screen', state: 'ended' }, 3, 50)).toEqual({
      from: '2026-05-01',
      to: '2026-05-20',
      kind: 'screen',
      state: 'ended',
      page: 3,
      pageSize: 50,
    });
  });
  it('shows a duration only for calls that connected, and who ended them', () => {
    expect(recordDuration({ connectedAt: '2026-05-20T01:00:00.000Z', durationSeconds: 75 })).toBe('1 分 15 秒');
    expect(recordDuration({ connectedAt: null, durationSeconds: 0 })).toBe('—');
    expect(recordEndedBy({ endedBy: 'system' })).toBe('系统');
    expect(recordEndedBy({ endedBy: null })).toBe('—');
  });
});
