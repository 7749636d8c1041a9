import type { TAppointmentStaff, TStaffMe } from '@zhengna/contracts';
import { Alert, Button, DatePicker, Empty, Flex, Segmented, Spin, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { addDays, cstToday, longDateLabel } from '../../../shared/ui/cst-time.ts';
import { useNow } from '../../layout/use-now.ts';
import { type AppointmentScope, fetchDayAppointments } from '../api/appointments-api.ts';
import { groupByStaff } from '../appointment-day.ts';
import { DayTable } from './DayTable.tsx';
import { NoShowTable } from './NoShowTable.tsx';

interface AppointmentsViewProps {
  me: TStaffMe;
  /** After 开始 with 文字会话 or 音视频邀请: show that conversation in the 会话 view. */
  onOpenConversation: (conversationId: string) => void;
}

/**
 * 预约: the day's appointments (北京时间) of the agent (我的) or of their office by agent (本机构), with 开始 and 完成;
 * supervisors also see 失约统计.
 */
export function AppointmentsView({ me, onOpenConversation }: AppointmentsViewProps) {
  const supervisor = me.role !== 'agent';
  const [tab, setTab] = useState<'day' | 'no-shows'>('day');
  const [date, setDate] = useState(() => cstToday());
  const [scope, setScope] = useState<AppointmentScope>('office');
  const [list, setList] = useState<TAppointmentStaff[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const now = useNow(30_000);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    const load = fetchDayAppointments(date, scope);
    load.then(
      (next) => !cancelled && setList(next),
      (e: unknown) => !cancelled && setError(errorMessage(e, '预约列表加载失败，请稍后再试。')),
    );
    void load.finally(() => !cancelled && setLoading(false)).catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [date, scope, attempt]);

  const replace = (next: TAppointmentStaff) => setList((l) => l.map((a) => (a.id === next.id ? next : a)));
  const groups =
    scope === 'office' ? groupByStaff(list) : [{ staff: '', items: groupByStaff(list).flatMap((g) => g.items) }];

  const day = (
    <Flex vertical gap={12}>
      <Flex gap={12} align="center" wrap>
        <DatePicker
          aria-label="预约日期"
          allowClear={false}
          value={dayjs(date)}
          format="YYYY-MM-DD"
          onChange={(_d, text) => typeof text === 'string' && text && setDate(text)}
          data-testid="appointments-date"
        />
        <Button onClick={() => setDate((d) => addDays(d, -1))} data-testid="appointments-prev-day">
          前一天
        </Button>
        <Button onClick={() => setDate(cstToday())}>今天</Button>
        <Button onClick={() => setDate((d) => addDays(d, 1))} data-testid="appointments-next-day">
          后一天
        </Button>
        <Segmented<AppointmentScope>
          aria-label="范围"
          value={scope}
          onChange={setScope}
          options={[
            { value: 'mine', label: <span data-testid="appointments-scope-mine">我的</span> },
            { value: 'office', label: <span data-testid="appointments-scope-office">本机构</span> },
          ]}
        />
        <Button onClick={reload} data-testid="appointments-reload">
          刷新
        </Button>
        <Typography.Text type="secondary">{longDateLabel(date)}，时间均为北京时间</Typography.Text>
      </Flex>
      {error && (
        <Alert type="error" showIcon role="alert" title={error} action={<Button onClick={reload}>重试</Button>} />
      )}
      <Spin spinning={loading}>
        {list.length === 0 && !loading ? (
          <Empty description="当天暂无预约" />
        ) : (
          groups.map((g) => (
            <section key={g.staff || 'all'} aria-label={g.staff ? `${g.staff}的预约` : '预约列表'}>
              {g.staff && (
                <Typography.Title level={3} style={{ fontSize: 14, margin: '8px 0' }}>
                  {g.staff}（{g.items.length}）
                </Typography.Title>
              )}
              <DayTable
                items={g.items}
                now={new Date(now)}
                onChanged={replace}
                onOpenConversation={onOpenConversation}
              />
            </section>
          ))
        )}
      </Spin>
    </Flex>
  );

  return (
    <div style={{ padding: 16, height: '100%', overflowY: 'auto' }} data-testid="appointments-view" data-date={date}>
      {supervisor ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as 'day' | 'no-shows')}
          items={[
            { key: 'day', label: <span data-testid="appointments-tab-day">预约列表</span>, children: day },
            {
              key: 'no-shows',
              label: <span data-testid="appointments-tab-no-shows">失约统计</span>,
              children: tab === 'no-shows' ? <NoShowTable /> : null,
            },
          ]}
        />
      ) : (
        day
      )}
    </div>
  );
}
