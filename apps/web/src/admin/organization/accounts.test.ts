import { describe, expect, it } from 'vitest';
import { accountTags, accountUpdateOf, rowActions, staffListQuery, toggledActive } from './accounts.ts';
import type { TStaffAccount } from './api/accounts-api.ts';

const account = (over: Partial<TStaffAccount> = {}): TStaffAccount => ({
  id: '00000000-0000-4000-8000-000000000001',
  username: 'agent9',
  name: '王五',
  role: 'agent',
  officeId: '13701000000',
  officeName: '国家税务总局济南市税务局',
  active: true,
  mustChangePassword: false,
  locked: false,
  totpEnabled: false,
  presence: 'away',
  maxConcurrent: 5,
  createdAt: '2026-05-01T00:00:00.000Z',
  version: 3,
  ...over,
});

describe('人员账号 helpers', () => {
  it('builds the list query from the filters, leaving empty ones out', () => {
    expect(staffListQuery({ q: '  ' }, 1)).toEqual({ page: 1 });
    expect(staffListQuery({ q: ' 王 ', role: 'agent', officeId: '137', status: 'inactive' }, 3)).toEqual({
      page: 3,
      q: '王',
      role: 'agent',
      officeId: '137',
      active: false,
    });
    expect(staffListQuery({ q: '', status: 'active' }, 1).active).toBe(true);
  });

  it('tags what an administrator should notice', () => {
    expect(accountTags(account()).map((t) => t.label)).toEqual(['启用']);
    expect(
      accountTags(account({ active: false, mustChangePassword: true, locked: true, totpEnabled: true })).map(
        (t) => t.label,
      ),
    ).toEqual(['停用', '待修改密码', '已锁定', '双因素']);
  });

  it('sends the edit with the version it was based on', () => {
    const a = account();
    expect(
      accountUpdateOf(a, { name: ' 王五五 ', role: 'supervisor', officeId: '137', maxConcurrent: 8, active: true }),
    ).toEqual({ version: 3, name: '王五五', role: 'supervisor', officeId: '137', maxConcurrent: 8, active: true });
    expect(
      accountUpdateOf(a, { name: '王五', role: 'agent', officeId: '137', maxConcurrent: null, active: true }),
    ).not.toHaveProperty('maxConcurrent');
    expect(toggledActive(a)).toEqual({
      version: 3,
      name: '王五',
      role: 'agent',
      officeId: '13701000000',
      maxConcurrent: 5,
      active: false,
    });
    expect(toggledActive(account({ active: false })).active).toBe(true);
  });

  it('offers no reset, 强制下线 or 停用 on the administrator’s own row', () => {
    const a = account();
    expect(rowActions(a, a.id)).toEqual({ resetPassword: false, forceLogout: false, toggleActive: false });
    expect(rowActions(a, 'someone-else')).toEqual({ resetPassword: true, forceLogout: true, toggleActive: true });
    expect(rowActions(account({ active: false }), 'someone-else').forceLogout).toBe(false);
  });
});
