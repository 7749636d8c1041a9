export const ADMIN_SECTIONS = [
  { key: 'knowledge', label: '知识库' },
  { key: 'settings', label: '服务设置' },
  { key: 'organization', label: '组织与人员' },
  { key: 'analytics', label: '统计分析' },
  { key: 'audit', label: '审计日志' },
] as const;

export type AdminSectionKey = (typeof ADMIN_SECTIONS)[number]['key'];
