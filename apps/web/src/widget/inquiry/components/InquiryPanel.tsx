import { Button, Flex, Tabs, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { usePanelServices } from '../../panels/panel-services.ts';
import { InquiryForm } from './InquiryForm.tsx';
import { MyInquiries } from './MyInquiries.tsx';

type Tab = 'new' | 'mine';

/**
 * 留言 (3.5), in the side-panel area and loaded only when 留言 is pressed: the form (我要留言) and the taxpayer's own
 * messages with their status, reply and work-order progress (我的留言). Default export for React.lazy.
 */
export default function InquiryPanel({ id, taxpayerId }: { id: string; taxpayerId: string }) {
  const { close } = usePanelServices();
  const [tab, setTab] = useState<Tab>('new');
  // the list reloads each time it is shown, so a 留言 just sent is in it
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
    // Escape here closes the panel, not the whole chat (a select's own Escape was handled before it got here).
    event.preventDefault();
    event.nativeEvent.preventDefault();
    close();
  };

  return (
    <section id={id} className="zn-side-panel" aria-label="留言" onKeyDown={onKeyDown} data-testid="inquiry-panel">
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '8px 12px', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} ref={heading} tabIndex={-1} style={{ fontSize: 15, margin: 0 }}>
          留言
        </Typography.Title>
        <Button size="small" onClick={close} aria-label="关闭留言" data-testid="inquiry-close">
          返回会话
        </Button>
      </Flex>
      <div style={{ padding: '0 12px 8px', overflow: 'auto', flex: 1, minHeight: 0 }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => show(k as Tab)}
          size="small"
          items={[
            {
              key: 'new',
              label: <span data-testid="inquiry-tab-new">我要留言</span>,
              children: <InquiryForm taxpayerId={taxpayerId} onShowMine={() => show('mine')} />,
            },
            {
              key: 'mine',
              label: <span data-testid="inquiry-tab-mine">我的留言</span>,
              children: <MyInquiries key={listVersion} />,
            },
          ]}
        />
      </div>
    </section>
  );
}
