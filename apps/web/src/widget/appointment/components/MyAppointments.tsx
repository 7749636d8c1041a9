import {
  APPOINTMENT_CHANNEL_LABELS,
  APPOINTMENT_STATUS_LABELS,
  type TAppointment,
  type TAppointmentStatus,
} from '@zhengna/contracts';
import { Alert, Button, Flex, Popconfirm, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { appointmentTimeLabel, cstDate, cstTime, longDateLabel } from '../../../shared/ui/cst-time.ts';
import { LIST } from '../../panels/components/list-styles.ts';
import { PanelState } from '../../panels/components/PanelState.tsx';
import { useLoad } from '../../panels/hooks/use-load.ts';
import { usePanelServices } from '../../panels/panel-services.ts';
import { useToast } from '../../ui/toast.tsx';
import { attendAppointment, cancelAppointment, fetchMyAppointments } from '../api/appointment-api.ts';
import { canAttend } from '../appointment-form.ts';
import { RescheduleForm } from './RescheduleForm.tsx';

const STATUS_COLORS: Record<TAppointmentStatus, string> = {
  booked: 'blue',
  cancelled: 'default',
  completed: 'green',
  no_show: 'red',
};

/** 我的预约: the taxpayer's bookings, soonest first, with 取消 and 改约 while the rules allow, and 进入 at the slot. */
export function MyAppointments() {
  const { withAuth, onInbox } = usePanelServices();
  const { state, set, reload } = useLoad(() => withAuth(fetchMyAppointments), '我的预约加载失败，请稍后再试。');
  // a reminder, 失约 or completion arriving while the list is open shows at once
  useEffect(
    () =>
      onInbox((event) => {
        if (event.item?.kind.startsWith('appointment_')) reload();
      }),
    [onInbox, reload],
  );
  const replace = (next: TAppointment) =>
    state.status === 'ready' && set(state.data.map((a) => (a.id === next.id ? next : a)));

  return (
    <PanelState state={state} empty="您还没有预约" isEmpty={(list) => list.length === 0} onRetry={reload}>
      {(list) => (
        <ul style={LIST} aria-label="我的预约" data-testid="my-appointments">
          {list.map((a) => (
            <AppointmentItem key={a.id} appointment={a} onChanged={replace} />
          ))}
        </ul>
      )}
    </PanelState>
  );
}

function AppointmentItem({
  appointment: a,
  onChanged,
}: {
  appointment: TAppointment;
  onChanged: (a: TAppointment) => void;
}) {
  const { withAuth } = usePanelServices();
  const toast = useToast();
  const [busy, setBusy] = useState<'cancel' | 'attend' | null>(null);
  const [rescheduling, setRescheduling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = new Date();
  const changeable = a.status === 'booked' && a.canChange;

  const run = async (kind: 'cancel' | 'attend') => {
    setBusy(kind);
    setError(null);
    try {
      const next = await withAuth((token) =>
        kind === 'cancel' ? cancelAppointment(token, a.id) : attendAppointment(token, a.id),
      );
      onChanged(next);
      void toast.success(kind === 'cancel' ? '预约已取消' : '已通知工作人员，请稍候，工作人员将很快为您服务。');
    } catch (e) {
      setError(errorMessage(e, kind === 'cancel' ? '取消失败，请稍后再试。' : '操作失败，请稍后再试。'));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li
      data-testid="my-appointment"
      data-status={a.status}
      data-id={a.id}
      style={{ padding: '8px 0', borderBottom: '1px solid rgba(5,5,5,.06)' }}
    >
      <Flex align="center" gap={6} wrap>
        <Tag color={STATUS_COLORS[a.status]} style={{ marginInlineEnd: 0 }} data-testid="my-appointment-status">
          {APPOINTMENT_STATUS_LABELS[a.status]}
        </Tag>
        <strong>{a.serviceName}</strong>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {APPOINTMENT_CHANNEL_LABELS[a.channel]} · {a.taxOfficeName}
        </Typography.Text>
      </Flex>
      <div data-testid="my-appointment-time" style={{ marginTop: 4 }}>
        {appointmentTimeLabel(a.startsAt, a.endsAt)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          （北京时间）
        </Typography.Text>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        预约号 {a.number} · 联系手机 {a.maskedPhone}
      </Typography.Text>
      {a.status === 'booked' && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {a.canChange
            ? `${longDateLabel(cstDate(a.changeableUntil))}${cstTime(a.changeableUntil)} 前可取消或改约`
            : '已过可取消、改约的时间'}
        </Typography.Text>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 6 }} />}
      <Flex gap={8} style={{ marginTop: 6 }} wrap>
        {canAttend(a, now) && (
          <Button
            size="small"
            type="primary"
            loading={busy === 'attend'}
            onClick={() => void run('attend')}
            data-testid="my-appointment-attend"
          >
            我已到达/进入
          </Button>
        )}
        {changeable && (
          <>
            <Button
              size="small"
              aria-expanded={rescheduling}
              onClick={() => setRescheduling((v) => !v)}
              data-testid="my-appointment-reschedule"
            >
              改约
            </Button>
            <Popconfirm
              title="确定取消这个预约吗？"
              okText="取消预约"
              cancelText="不取消"
              onConfirm={() => run('cancel')}
              okButtonProps={{ 'data-testid': 'my-appointment-cancel-ok' }}
            >
              <Button size="small" danger loading={busy === 'cancel'} data-testid="my-appointment-cancel">
                取消
              </Button>
            </Popconfirm>
          </>
        )}
      </Flex>
      {rescheduling && changeable && (
        <RescheduleForm
          appointment={a}
          onDone={(next) => {
            setRescheduling(false);
            onChanged(next);
            void toast.success('改约成功');
          }}
          onCancel={() => setRescheduling(false)}
        />
      )}
    </li>
  );
}
