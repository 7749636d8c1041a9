import { Button, Flex, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { usePanelServices } from '../panel-services.ts';
import { PANEL_TABS, type PanelTabId } from '../panel-tabs.ts';
import { FavoritesPanel } from './FavoritesPanel.tsx';
import { InboxPanel } from './InboxPanel.tsx';
import { QaPackagesPanel } from './QaPackagesPanel.tsx';
import { RecommendationsPanel } from './RecommendationsPanel.tsx';
import { ShortcutsPanel } from './ShortcutsPanel.tsx';

const CONTENT: Record<PanelTabId, () => React.JSX.Element> = {
  hot: RecommendationsPanel,
  packages: QaPackagesPanel,
  inbox: InboxPanel,
  favorites: FavoritesPanel,
  shortcuts: ShortcutsPanel,
};

/**
 * The open side panel (loaded on first use). A region named after its tab; Escape or 关闭 returns to the
 * conversation (and focus to the tab that opened it). Default export for React.lazy.
 */
export default function SidePanel({ tab, id }: { tab: PanelTabId; id: string }) {
  const { close } = usePanelServices();
  const label = PANEL_TABS.find((t) => t.id === tab)?.label ?? '';
  const heading = useRef<HTMLHeadingElement>(null);
  const Content = CONTENT[tab];

  // Screen-reader and keyboard users land in the panel they opened.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // Escape here closes the panel, not the whole chat.
    event.preventDefault();
    event.nativeEvent.preventDefault();
    close();
  };

  return (
    <section
      id={id}
      className="zn-side-panel"
      aria-label={label}
      onKeyDown={onKeyDown}
      data-testid="side-panel"
      data-tab={tab}
    >
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '8px 12px', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} ref={heading} tabIndex={-1} style={{ fontSize: 15, margin: 0 }}>
          {label}
        </Typography.Title>
        <Button size="small" onClick={close} aria-label={`关闭${label}`} data-testid="side-panel-close">
          返回会话
        </Button>
      </Flex>
      <div style={{ padding: '8px 12px', overflow: 'auto', flex: 1, minHeight: 0 }}>
        <Content key={tab} />
      </div>
    </section>
  );
}
