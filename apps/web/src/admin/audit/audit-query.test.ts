import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { auditRoleLabel, auditTargetLabel, filtersOf, formatAuditTime, toAuditQuery } from './audit-query.ts';

describe('audit query', () => {
  it('sends only the page size when nothing is filled in', () => {
    expect(toAuditQuery(filtersOf({}))).toEqual({ pageSize: 50 });
    expect(toAuditQuery({ action: '   ', targetId: '', staffId: null, range: null })).toEqual({ pageSize: 50 });
  });

  it('turns the picked dates into from/to and keeps the filters that are set, trimmed', () => {
    const values = {
      range: [dayjs('2026-05-01T00:00:00'), dayjs('2026-05-20T23:59:00')] as [dayjs.Dayjs, dayjs.Dayjs],
      staffId: '00000000-0000-4000-8000-0000000000a1',
      kind: 'change' as const,
      result: 'denied' as const,
      action: ' settings. ',
      targetId: ' 9f01 ',
    };
    expect(toAuditQuery(filtersOf(values), null, 20)).toEqual({
      from: '2026-05-01',
      to: '2026-05-20',
      staffId: '00000000-0000-4000-8000-0000000000a1',
      kind: 'change',
      result: 'denied',
      action: 'settings.',
      targetId: '9f01',
      pageSize: 20,
    });
  });

  it('asks for the next (older) page with before', () => {
    expect(toAuditQuery({ kind: 'read' }, '12345')).toEqual({ kind: 'read', before: '12345', pageSize: 50 });
  });

  it('shows times in China time and fills the blanks', () => {
    expect(formatAuditTime('2026-05-20T01:02:03.000Z')).toBe('2026-05-20 09:02:03');
    expect(formatAuditTime('2026-05-20T16:30:00.000Z')).toBe('2026-05-21 00:30:00');
    expect(auditRoleLabel({ role: 'admin' })).toBe('管理员');
    expect(auditRoleLabel({ role: null })).toBe('—');
    expect(auditTargetLabel({ targetType: 'conversation', targetId: '9f01' })).toBe('conversation 9f01');
    expect(auditTargetLabel({ targetType: null, targetId: null })).toBe('—');
  });
});
