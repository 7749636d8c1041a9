import { PANEL_TABS, type PanelTabId } from '../panel-tabs.ts';

interface PanelNavProps {
  active: PanelTabId | null;
  panelId: string;
  unread: number;
  onSelect: (tab: PanelTabId) => void;
}

/**
 * The panel switches at the top right (热点推荐 … 快捷入口). Each is a disclosure button for the one panel area; the
 * active one again returns to the conversation. The unread count on 我的消息 is shown as a badge and read out as its
 * description, so the button's name stays exactly "我的消息".
 */
export function PanelNav({ active, panelId, unread, onSelect }: PanelNavProps) {
  return (
    <nav aria-label="服务面板" className="zn-panel-nav">
      {PANEL_TABS.map((tab) => {
        const pressed = active === tab.id;
        const showCount = tab.id === 'inbox' && unread > 0;
        return (
          <button
            key={tab.id}
            type="button"
            className="zn-panel-tab"
            aria-expanded={pressed}
            aria-controls={pressed ? panelId : undefined}
            aria-label={tab.label}
            aria-describedby={showCount ? 'zn-inbox-unread' : undefined}
            data-active={pressed}
            data-testid={`panel-tab-${tab.id}`}
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
            {showCount && (
              <span className="zn-count" aria-hidden="true" data-testid="inbox-unread-badge">
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </button>
        );
      })}
      <span id="zn-inbox-unread" hidden>
        {unread > 0 ? `${unread} 条未读消息` : ''}
      </span>
    </nav>
  );
}
