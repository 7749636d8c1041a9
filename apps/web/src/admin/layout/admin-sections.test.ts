import { describe, expect, it } from 'vitest';
import {
  ADMIN_SECTIONS,
  canEditGroups,
  canEditKnowledge,
  canEditOrganization,
  canEditSettings,
  pagesFor,
  resolvePage,
} from './admin-sections.ts';

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

describe('admin sections: 组织与人员', () => {
  it('routes 技能组 and 坐席 by hash key for supervisors and admins', () => {
    for (const role of ['supervisor', 'admin'] as const) {
      expect(resolvePage('organization/groups', role)?.page.label).toBe('技能组');
      expect(resolvePage('organization/agents', role)?.page.label).toBe('坐席');
      expect(resolvePage('organization/agents', role)?.section.label).toBe('组织与人员');
    }
    // the section is no longer a page of its own
    expect(resolvePage('organization', 'admin')?.page.key).toBe('knowledge/test');
  });

  it('lets only admins change groups', () => {
    expect(canEditGroups('supervisor')).toBe(false);
    expect(canEditGroups('admin')).toBe(true);
  });

  it('routes 人员账号 and 税务机关 for supervisors (read) and admins (edit), not agents', () => {
    for (const role of ['supervisor', 'admin'] as const) {
      expect(resolvePage('organization/staff', role)?.page.label).toBe('人员账号');
      expect(resolvePage('organization/offices', role)?.page.label).toBe('税务机关');
      expect(resolvePage('organization/offices', role)?.section.label).toBe('组织与人员');
    }
    expect(resolvePage('organization/staff', 'agent')).toBeNull();
    expect(canEditOrganization('supervisor')).toBe(false);
    expect(canEditOrganization('admin')).toBe(true);
  });
});

describe('admin sections: 留言与工单 and 短信发件箱', () => {
  it('lets supervisors read the 留言与工单 settings and only admins open the SMS outbox', () => {
    expect(resolvePage('settings/cases', 'supervisor')?.page.label).toBe('留言与工单');
    expect(resolvePage('sms/outbox', 'admin')?.page.label).toBe('短信发件箱');
    expect(pagesFor('supervisor').map((p) => p.page.key)).not.toContain('sms/outbox');
  });
});

describe('admin sections: 预约', () => {
  it('routes 预约服务 and 预约设置 for supervisors (read) and admins (edit)', () => {
    for (const role of ['supervisor', 'admin'] as const) {
      expect(resolvePage('appointments/services', role)?.page.label).toBe('预约服务');
      expect(resolvePage('appointments/settings', role)?.section.label).toBe('预约');
    }
    expect(resolvePage('appointments/services', 'agent')).toBeNull();
  });
});

describe('admin sections: 审计日志', () => {
  it('shows 审计日志 in the menu to admins only', () => {
    expect(resolvePage('audit', 'admin')?.page.label).toBe('审计日志');
    expect(pagesFor('admin').map((p) => p.page.key)).toContain('audit');
    expect(pagesFor('supervisor').map((p) => p.page.key)).not.toContain('audit');
    expect(pagesFor('agent').map((p) => p.page.key)).not.toContain('audit');
    // a supervisor who types #audit lands on the default page instead
    expect(resolvePage('audit', 'supervisor')?.page.key).toBe('knowledge/test');
  });

  it('keeps 统计分析 (still a placeholder) for supervisors and admins', () => {
    expect(resolvePage('analytics', 'supervisor')?.page.label).toBe('统计分析');
  });
});

describe('admin sections: 账号安全', () => {
  it('is a page of its own for everyone who can open the console', () => {
    for (const role of ['supervisor', 'admin'] as const)
      expect(resolvePage('account', role)?.page.label).toBe('账号安全');
  });
});

describe('admin sections: 知识库', () => {
  it('opens 知识条目 first in 知识库, for supervisors (read) and admins (edit)', () => {
    const knowledge = ADMIN_SECTIONS.find((s) => s.key === 'knowledge');
    expect(knowledge?.pages?.[0]).toMatchObject({ key: 'knowledge/entries', label: '知识条目' });
    for (const role of ['supervisor', 'admin'] as const) {
      expect(resolvePage('knowledge/entries', role)?.page.label).toBe('知识条目');
      expect(resolvePage('knowledge/entries', role)?.section.label).toBe('知识库');
    }
    expect(resolvePage('knowledge/entries', 'agent')).toBeNull();
    expect(canEditKnowledge('supervisor')).toBe(false);
    expect(canEditKnowledge('admin')).toBe(true);
  });

  it('lists 专题 and 同义词 right after 知识条目, for supervisors (read) and admins (edit), not agents', () => {
    const knowledge = ADMIN_SECTIONS.find((s) => s.key === 'knowledge');
    expect(knowledge?.pages?.slice(0, 3).map((p) => p.label)).toEqual(['知识条目', '专题', '同义词']);
    for (const role of ['supervisor', 'admin'] as const) {
      expect(resolvePage('knowledge/topics', role)?.page.label).toBe('专题');
      expect(resolvePage('knowledge/synonyms', role)?.page.label).toBe('同义词');
      expect(resolvePage('knowledge/synonyms', role)?.section.label).toBe('知识库');
    }
    expect(resolvePage('knowledge/topics', 'agent')).toBeNull();
  });
});
