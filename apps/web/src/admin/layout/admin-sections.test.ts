import { describe, expect, it } from 'vitest';
import { canEditSettings, pagesFor, resolvePage } from './admin-sections.ts';

describe('admin sections: 服务设置', () => {
  it('routes the settings pages by hash key', () => {
    expect(resolvePage('settings/handoff', 'admin')?.page.label).toBe('转人工规则');
    expect(resolvePage('settings/hours', 'supervisor')?.page.label).toBe('人工服务时间');
    expect(resolvePage('settings/shortcuts', 'admin')?.section.label).toBe('服务设置');
  });

  it('lets supervisors read rules and hours but not the shortcut catalogue (admin only on the server)', () => {
    const keys = pagesFor('supervisor').map((p) => p.page.key);
    expect(keys).toEqual(expect.arrayContaining(['settings/handoff', 'settings/hours']));
    expect(keys).not.toContain('settings/shortcuts');
    expect(resolvePage('settings/shortcuts', 'supervisor')?.page.key).toBe('knowledge/test');
    expect(canEditSettings('supervisor')).toBe(false);
    expect(canEditSettings('admin')).toBe(true);
  });
});
