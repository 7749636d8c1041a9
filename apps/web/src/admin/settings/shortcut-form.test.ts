import { ZShortcutInput } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import type { TAdminShortcut } from './api/settings-api.ts';
import { duplicateIdError, newShortcutValues, shortcutInputOf } from './shortcut-form.ts';

const LIST: TAdminShortcut[] = [
  {
    id: 'guide',
    name: '办税指南',
    description: '',
    url: '/portal/account.html#guide',
    openIn: 'parent',
    position: 0,
    active: true,
  },
  {
    id: 'verify',
    name: '发票查验',
    description: '',
    url: 'https://inv-veri.chinatax.gov.cn/',
    openIn: 'new_tab',
    position: 6,
    active: false,
  },
];

describe('shortcut form', () => {
  it('places a new entry after the last one', () => {
    expect(newShortcutValues(LIST)).toMatchObject({ id: '', openIn: 'new_tab', position: 7, active: true });
    expect(newShortcutValues([]).position).toBe(0);
  });

  it('sends trimmed values the contract accepts', () => {
    const input = shortcutInputOf({
      id: ' tax-calc ',
      name: ' 个税计算器 ',
      url: ' /portal/account.html#tools ',
      openIn: 'parent',
      position: null,
      active: false,
    });
    expect(input).toEqual({
      id: 'tax-calc',
      name: '个税计算器',
      description: '',
      url: '/portal/account.html#tools',
      openIn: 'parent',
      position: 0,
      active: false,
    });
    expect(ZShortcutInput.safeParse(input).success).toBe(true);
  });

  it('the contract messages are Chinese (shown beside the fields)', () => {
    const bad = ZShortcutInput.safeParse({ id: 'Tax Calc', name: '计算器', url: 'javascript:alert(1)' });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message);
    expect(messages).toContain('编号只能包含小写字母、数字和连字符');
    expect(messages).toContain('链接须以 http://、https:// 或 / 开头');
  });

  it('refuses a new entry with an id already in the catalogue, but not when editing it', () => {
    expect(duplicateIdError('guide', LIST, null)).toBe('该编号已被使用，请换一个');
    expect(duplicateIdError('guide', LIST, 'guide')).toBeNull();
    expect(duplicateIdError('new-one', LIST, null)).toBeNull();
  });
});
