import type { TStaffRole } from '@zhengna/contracts';

export interface AdminPage {
  /** Also the URL hash: #knowledge/test. */
  readonly key: string;
  readonly label: string;
  /** Who may open it; the whole console is for supervisors and admins. */
  readonly roles: readonly TStaffRole[];
}

export interface AdminSection {
  readonly key: string;
  readonly label: string;
  /** Sub-pages; a section without them is a page itself. */
  readonly pages?: readonly AdminPage[];
  /** Who may open a section that is a page itself (default: supervisors and admins). */
  readonly roles?: readonly TStaffRole[];
}

const MANAGERS = ['supervisor', 'admin'] as const satisfies readonly TStaffRole[];
const ADMINS = ['admin'] as const satisfies readonly TStaffRole[];

/** Whether the role may change what it sees (settings: PUT needs an admin). */
export const canEditSettings = (role: TStaffRole): boolean => role === 'admin';

/** Whether the role may change skill groups and their members (PUT/DELETE need an admin; caps need a supervisor). */
export const canEditGroups = (role: TStaffRole): boolean => role === 'admin';

/** Whether the role may create, save, publish, withdraw, roll back and import knowledge entries (admins only). */
export const canEditKnowledge = (role: TStaffRole): boolean => role === 'admin';

/** Whether the role may change staff accounts and the tax-office tree (admins; supervisors read them). */
export const canEditOrganization = (role: TStaffRole): boolean => role === 'admin';

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    key: 'knowledge',
    label: '知识库',
    pages: [
      // supervisors read the entries and their history; only admins change them (the server enforces both)
      { key: 'knowledge/entries', label: '知识条目', roles: MANAGERS },
      // the same split for topics and the bureau's synonym groups
      { key: 'knowledge/topics', label: '专题', roles: MANAGERS },
      { key: 'knowledge/synonyms', label: '同义词', roles: MANAGERS },
      { key: 'knowledge/test', label: '测试台', roles: MANAGERS },
      { key: 'knowledge/unanswered', label: '未解决问题', roles: MANAGERS },
      { key: 'knowledge/transfer', label: '导入导出', roles: MANAGERS },
    ],
  },
  {
    key: 'settings',
    label: '服务设置',
    pages: [
      // supervisors read the settings; only admins save them (the server enforces both)
      { key: 'settings/handoff', label: '转人工规则', roles: MANAGERS },
      { key: 'settings/hours', label: '人工服务时间', roles: MANAGERS },
      // the server lets only admins read the catalogue
      { key: 'settings/shortcuts', label: '快捷入口目录', roles: ADMINS },
      // supervisors read 留言与工单 types and limits; only admins save them
      { key: 'settings/cases', label: '留言与工单', roles: MANAGERS },
    ],
  },
  {
    key: 'appointments',
    label: '预约',
    // supervisors read services and settings; only admins change them (the server enforces both)
    pages: [
      { key: 'appointments/services', label: '预约服务', roles: MANAGERS },
      { key: 'appointments/settings', label: '预约设置', roles: MANAGERS },
    ],
  },
  {
    key: 'organization',
    label: '组织与人员',
    pages: [
      // supervisors read the groups and set the agents' caps; only admins change groups (the server enforces both)
      { key: 'organization/groups', label: '技能组', roles: MANAGERS },
      { key: 'organization/agents', label: '坐席', roles: MANAGERS },
      // supervisors read accounts and the office tree; only admins change them (the server enforces both)
      { key: 'organization/staff', label: '人员账号', roles: MANAGERS },
      { key: 'organization/offices', label: '税务机关', roles: MANAGERS },
      // the staff password policy and the administrators' second factor: supervisors read, admins change
      { key: 'organization/security', label: '密码与登录安全', roles: MANAGERS },
    ],
  },
  {
    key: 'push',
    label: '消息推送',
    // the server lets only admins read and send pushes
    pages: [{ key: 'push/campaigns', label: '精准推送', roles: ADMINS }],
  },
  {
    key: 'sms',
    label: '短信服务',
    // the server lets only admins read the outbox
    pages: [{ key: 'sms/outbox', label: '短信发件箱', roles: ADMINS }],
  },
  { key: 'analytics', label: '统计分析' },
  // a page of its own (no sub-menu); the server lets only admins search the audit log
  { key: 'audit', label: '审计日志', roles: ADMINS },
  // the signed-in member's own second factor and password: everyone who can open the console
  { key: 'account', label: '账号安全', roles: MANAGERS },
];

export const DEFAULT_PAGE_KEY = 'knowledge/test';

export interface ResolvedPage {
  section: AdminSection;
  page: AdminPage;
}

/** Every page the role may open, in menu order (a section without sub-pages counts as one page). */
export function pagesFor(role: TStaffRole): ResolvedPage[] {
  const out: ResolvedPage[] = [];
  for (const section of ADMIN_SECTIONS) {
    const pages = section.pages ?? [{ key: section.key, label: section.label, roles: section.roles ?? MANAGERS }];
    for (const page of pages) if (page.roles.includes(role)) out.push({ section, page });
  }
  return out;
}

/** The page for a key, or the default page when the key is unknown or not allowed. */
export function resolvePage(key: string, role: TStaffRole): ResolvedPage | null {
  const pages = pagesFor(role);
  return (
    pages.find((p) => p.page.key === key) ?? pages.find((p) => p.page.key === DEFAULT_PAGE_KEY) ?? pages[0] ?? null
  );
}
