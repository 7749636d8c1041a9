import { Button, Flex, Tabs, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { usePanelServices } from '../../panels/panel-services.ts';
import { AppointmentForm } from './AppointmentForm.tsx';
import { MyAppointments } from './MyAppointments.tsx';

type Tab = 'new' | 'mine';

/**
 * 预约 (3.6), in the side-panel area and loaded only when 预约 is pressed: choose a service, a date and a slot, fill
 * the form, 提交 → 确认 (我要预约); the bookings with cancel, reschedule and 进入 (我的预约). Default export for React.lazy.
 */
export default function AppointmentPanel({ id }: { id: string }) {
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
    event.preventDefault();
    event.nativeEvent.preventDefault();
    close();
  };

  return (
    <section id={id} className="zn-side-panel" aria-label="预约" onKeyDown={onKeyDown} data-testid="appointment-panel">
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '8px 12px', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} ref={heading} tabIndex={-1} style={{ fontSize: 15, margin: 0 }}>
          预约
        </Typography.Title>
        <Button size="small" onClick={close} aria-label="关闭预约" data-testid="appointment-close">
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
              label: <span data-testid="appointment-tab-new">我要预约</span>,
              children: <AppointmentForm onShowMine={() => show('mine')} />,
            },
            {
              key: 'mine',
              label: <span data-testid="appointment-tab-mine">我的预约</span>,
              children: <MyAppointments key={listVersion} />,
            },
          ]}
        />
      </div>
    </section>
  );
}
