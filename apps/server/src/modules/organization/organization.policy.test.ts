import { describe, expect, it } from 'vitest';
import {
  accountChangeRefusal,
  changeEndsSessions,
  officeAndDescendants,
  officeDeleteRefusal,
  officeMoveRefusal,
} from './organization.policy.ts';

const admin = { role: 'admin', active: true } as const;

describe('account changes', () => {
  it('keeps an administrator from deactivating or demoting themselves', () => {
    const self = { actorId: 'a', targetId: 'a', before: admin, activeAdminIds: ['a', 'b'] };
    expect(accountChangeRefusal({ ...self, after: { role: 'admin', active: false } })).toContain('不能停用自己的账号');
    expect(accountChangeRefusal({ ...self, after: { role: 'supervisor', active: true } })).toContain(
      '不能更改自己的角色',
    );
    expect(accountChangeRefusal({ ...self, after: admin })).toBeNull();
  });

  it('keeps the last active administrator an active administrator', () => {
    const last = { actorId: 'a', targetId: 'b', before: admin, activeAdminIds: ['b'] };
    expect(accountChangeRefusal({ ...last, after: { role: 'admin', active: false } })).toContain('至少需要保留一名');
    expect(accountChangeRefusal({ ...last, after: { role: 'agent', active: true } })).toContain('至少需要保留一名');
    expect(accountChangeRefusal({ ...last, activeAdminIds: ['a', 'b'], after: { role: 'agent', active: true } })).toBe(
      null,
    );
    // an agent, or an administrator already inactive, is not the last administrator
    const agent = { role: 'agent', active: true } as const;
    expect(
      accountChangeRefusal({ ...last, before: agent, activeAdminIds: [], after: { ...agent, active: false } }),
    ).toBe(null);
    expect(
      accountChangeRefusal({
        ...last,
        before: { role: 'admin', active: false },
        activeAdminIds: [],
        after: { role: 'agent', active: false },
      }),
    ).toBeNull();
  });

  it('ends sessions on deactivation and on a new role, not on a rename or a reactivation', () => {
    const agent = { role: 'agent', active: true } as const;
    expect(changeEndsSessions(agent, { role: 'agent', active: false })).toBe(true);
    expect(changeEndsSessions(agent, { role: 'supervisor', active: true })).toBe(true);
    expect(changeEndsSessions(agent, agent)).toBe(false);
    expect(changeEndsSessions({ role: 'agent', active: false }, agent)).toBe(false);
  });
});

const TREE = [
  { id: 'sd', parentId: null },
  { id: 'jn', parentId: 'sd' },
  { id: 'jn-lx', parentId: 'jn' },
  { id: 'qd', parentId: 'sd' },
];

describe('office tree', () => {
  it('finds an office and everything below it', () => {
    expect(officeAndDescendants(TREE, 'jn').sort()).toEqual(['jn', 'jn-lx']);
    expect(officeAndDescendants(TREE, 'sd').sort()).toEqual(['jn', 'jn-lx', 'qd', 'sd']);
    expect(officeAndDescendants(TREE, 'unknown')).toEqual(['unknown']);
    // old data with a cycle does not loop
    expect(
      officeAndDescendants(
        [
          { id: 'x', parentId: 'y' },
          { id: 'y', parentId: 'x' },
        ],
        'x',
      ).sort(),
    ).toEqual(['x', 'y']);
  });

  it('refuses a move under itself, under its own sub-office, or under a missing parent', () => {
    expect(officeMoveRefusal(TREE, 'jn', 'jn')).toContain('自己的上级机关');
    expect(officeMoveRefusal(TREE, 'sd', 'jn-lx')).toContain('形成循环');
    expect(officeMoveRefusal(TREE, 'jn', 'jn-lx')).toContain('形成循环');
    expect(officeMoveRefusal(TREE, 'jn', 'nowhere')).toContain('上级机关不存在');
    expect(officeMoveRefusal(TREE, 'jn-lx', 'qd')).toBeNull();
    expect(officeMoveRefusal(TREE, 'jn', null)).toBeNull();
  });

  it('names everything that still refers to an office it refuses to delete', () => {
    const none = {
      children: 0,
      staff: 0,
      taxpayers: 0,
      skillGroups: 0,
      inquiries: 0,
      workOrders: 0,
      appointmentServices: 0,
    };
    expect(officeDeleteRefusal('济南市税务局', none)).toBeNull();
    expect(officeDeleteRefusal('济南市税务局', { ...none, children: 2, staff: 3, taxpayers: 1 })).toBe(
      '“济南市税务局”还有2 个下级机关、3 名工作人员、1 户纳税人，不能删除。请先将其移至其他税务机关或删除后再试。',
    );
  });
});
