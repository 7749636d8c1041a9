/** The side panels, in the manual's order (2.2–2.6); the label is each control's accessible name. */
export const PANEL_TABS = [
  { id: 'hot', label: '热点推荐' },
  { id: 'packages', label: '问答套餐' },
  { id: 'inbox', label: '我的消息' },
  { id: 'favorites', label: '我的收藏' },
  { id: 'shortcuts', label: '快捷入口' },
] as const;

export type PanelTabId = (typeof PANEL_TABS)[number]['id'];
