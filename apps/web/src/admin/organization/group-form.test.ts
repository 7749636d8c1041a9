import { ZSkillGroupInput } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import type { TAgentLoad, TSkillGroup } from './api/organization-api.ts';
import { checkCapacity } from './capacity.ts';
import {
  duplicateGroupIdError,
  fallbackCandidates,
  groupFieldErrors,
  groupInputOf,
  groupValuesOf,
  NO_FALLBACK,
  newGroupValues,
} from './group-form.ts';
import { memberOptions } from './members.ts';
import { PROVINCE } from './office-tree.ts';

const group = (id: string, fallbackGroupId: string | null, extra: Partial<TSkillGroup> = {}): TSkillGroup => ({
  id,
  name: id,
  business: 'general',
  taxOfficeId: null,
  fallbackGroupId,
  overflowAfterSeconds: 120,
  members: [],
  ...extra,
});

const GROUPS = [
  group('general', null),
  group('invoice', 'general'),
  group('invoice-jinan', 'invoice', { taxOfficeId: '13701000000' }),
];

describe('skill group form', () => {
  it('turns a group into form values and back (全省 and 无 as null)', () => {
    const values = groupValuesOf(GROUPS[0] as TSkillGroup);
    expect(values).toMatchObject({ taxOffice: PROVINCE, fallback: NO_FALLBACK });
    expect(groupInputOf(values)).toEqual({
      id: 'general',
      name: 'general',
      business: 'general',
      taxOfficeId: null,
      fallbackGroupId: null,
      overflowAfterSeconds: 120,
    });
    const jinan = groupInputOf(groupValuesOf(GROUPS[2] as TSkillGroup));
    expect(jinan).toMatchObject({ taxOfficeId: '13701000000', fallbackGroupId: 'invoice' });
  });

  it('sends trimmed values the contract accepts', () => {
    const input = groupInputOf({
      ...newGroupValues(),
      id: ' invoice-qd ',
      name: ' 青岛发票 ',
      business: 'invoice',
      taxOffice: '13702000000',
      fallback: 'general',
      overflowAfterSeconds: null,
    });
    expect(input).toEqual({
      id: 'invoice-qd',
      name: '青岛发票',
      business: 'invoice',
      taxOfficeId: '13702000000',
      fallbackGroupId: 'general',
      overflowAfterSeconds: 120,
    });
    expect(ZSkillGroupInput.safeParse(input).success).toBe(true);
  });

  it('the contract messages are Chinese (shown beside the fields)', () => {
    const bad = ZSkillGroupInput.safeParse({ ...groupInputOf(newGroupValues()), id: 'QD 1', overflowAfterSeconds: 10 });
    const messages = bad.error?.issues.map((i) => i.message);
    expect(messages).toContain('编号只能包含小写字母、数字和连字符');
    expect(messages).toContain('溢出等待时间至少 30 秒');
    expect(messages).toContain('请填写名称');
  });

  it('offers as fallback neither the group itself nor one that overflows back to it', () => {
    expect(fallbackCandidates(GROUPS, 'general').map((g) => g.id)).toEqual([]);
    expect(fallbackCandidates(GROUPS, 'invoice').map((g) => g.id)).toEqual(['general']);
    expect(fallbackCandidates(GROUPS, 'invoice-jinan').map((g) => g.id)).toEqual(['general', 'invoice']);
    expect(fallbackCandidates(GROUPS, null).map((g) => g.id)).toEqual(['general', 'invoice', 'invoice-jinan']);
    // a cycle already in the data does not hang
    const cyclic = [group('a', 'b'), group('b', 'a'), group('c', null)];
    expect(fallbackCandidates(cyclic, 'c').map((g) => g.id)).toEqual(['a', 'b']);
  });

  it('refuses a new group with a taken id, but not when editing it', () => {
    expect(duplicateGroupIdError('invoice', GROUPS, null)).toBe('该编号已被使用，请换一个');
    expect(duplicateGroupIdError('invoice', GROUPS, 'invoice')).toBeNull();
    expect(duplicateGroupIdError('new', GROUPS, null)).toBeNull();
  });

  it('puts the server refusal beside the field it is about', () => {
    expect(groupFieldErrors('请求参数不正确', { 'body.x': '?', overflowAfterSeconds: '不超过 1 小时' })).toEqual({
      overflowAfterSeconds: '不超过 1 小时',
    });
    expect(groupFieldErrors('溢出组不能是本组。', undefined)).toEqual({ fallback: '溢出组不能是本组。' });
    expect(groupFieldErrors('税务机关不存在。', {})).toEqual({ taxOffice: '税务机关不存在。' });
    expect(groupFieldErrors('系统繁忙，请稍后再试。', undefined)).toBeNull();
  });
});

describe('members and caps', () => {
  const agents: TAgentLoad[] = [
    {
      staffId: '11111111-1111-4111-8111-111111111111',
      name: '张敏',
      role: 'agent',
      presence: 'online',
      load: 0,
      maxConcurrent: 5,
    },
    {
      staffId: '22222222-2222-4222-8222-222222222222',
      name: '陈华',
      role: 'supervisor',
      presence: 'away',
      load: 0,
      maxConcurrent: 5,
    },
  ];

  it('lists every staff member and keeps current members missing from the list', () => {
    const gone = { staffId: '33333333-3333-4333-8333-333333333333', name: '王离职' };
    expect(memberOptions(agents, [gone])).toEqual([
      { value: agents[0]?.staffId, label: '张敏' },
      { value: agents[1]?.staffId, label: '陈华（班长）' },
      { value: gone.staffId, label: '王离职' },
    ]);
  });

  it('checks a cap like the server', () => {
    expect(checkCapacity(3)).toEqual({ ok: true, value: 3 });
    expect(checkCapacity(0)).toEqual({ ok: true, value: 0 });
    expect(checkCapacity(null)).toEqual({ ok: false, error: '请填写同时服务上限' });
    expect(checkCapacity(51)).toEqual({ ok: false, error: '同时服务上限不超过 50' });
    expect(checkCapacity(-1)).toEqual({ ok: false, error: '同时服务上限不能小于 0' });
  });
});
