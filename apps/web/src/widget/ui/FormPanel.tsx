import { Button, Flex, Tabs, Typography } from 'antd';
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { usePanelServices } from '../panels/panel-services.ts';

type Tab = 'new' | 'mine';

/**
 * A side panel with a form and the taxpayer's own list of what it made (留言: 我要留言 / 我的留言, 预约: 我要预约 /
 * 我的预约). The heading takes focus when it opens; Escape closes the panel, not the whole chat; the list reloads each
 * time it is shown, so what was just sent is in it. `testId` prefixes the test ids (`<testId>-panel`, `-close`,
 * `-tab-new`, `-tab-mine`).
 */
export function FormPanel(props: {
  id: string;
  title: string;
  testId: string;
  newLabel: string;
  mineLabel: string;
  renderNew: (showMine: () => void) => ReactNode;
  renderMine: () => ReactNode;
}) {
  const { close } = usePanelServices();
  const [tab, setTab] = useState<Tab>('new');
  const [listVersion, setListVersion] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const show = (next: Tab) => {
    if (next === 'mine') setListVersion((n) => n + 1);
    setTab(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // a select's own Escape was handled before it got here
    event.preventDefault();
    event.nativeEvent.preventDefault();
    close();
  };

  return (
    <section
      id={props.id}
      className="zn-side-panel"
      aria-label={props.title}
      onKeyDown={onKeyDown}
      data-testid={`${props.testId}-panel`}
    >
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '8px 12px', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} ref={heading} tabIndex={-1} style={{ fontSize: 15, margin: 0 }}>
          {props.title}
        </Typography.Title>
        <Button size="small" onClick={close} aria-label={`关闭${props.title}`} data-testid={`${props.testId}-close`}>
          返回会话
        </Button>
      </Flex>
      <div style={{ padding: '0 12px 8px', overflow: 'auto', flex: 1, minHeight: 0, position: 'relative' }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => show(k as Tab)}
          size="small"
          items={[
            {
              key: 'new',
              label: <span data-testid={`${props.testId}-tab-new`}>{props.newLabel}</span>,
              children: props.renderNew(() => show('mine')),
            },
            {
              key: 'mine',
              label: <span data-testid={`${props.testId}-tab-mine`}>{props.mineLabel}</span>,
              children: <div key={listVersion}>{props.renderMine()}</div>,
            },
          ]}
        />
      </div>
    </section>
  );
}
