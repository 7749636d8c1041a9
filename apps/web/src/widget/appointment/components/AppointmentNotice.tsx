import { APPOINTMENT_CHANNEL_LABELS, type TAppointment } from '@zhengna/contracts';
import { Alert, Button, Flex } from 'antd';
import { useEffect, useRef } from 'react';
import { appointmentTimeLabel } from '../../../shared/ui/cst-time.ts';
import { nextStepsOf } from '../appointment-form.ts';

/** 预约提示: the booking made, and what happens next (reminder, how the bureau will contact, how to cancel). */
export function AppointmentNotice({
  appointment,
  onShowMine,
  onBookAnother,
}: {
  appointment: TAppointment;
  onShowMine: () => void;
  onBookAnother: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Flex vertical gap={8} data-testid="appointment-notice" ref={ref} tabIndex={-1}>
      <Alert
        type="success"
        showIcon
        role="status"
        title="预约提示"
        description={
          <>
            <p style={{ margin: '0 0 6px' }}>
              您已成功预约 {appointmentTimeLabel(appointment.startsAt, appointment.endsAt)}（北京时间）的
              {appointment.serviceName}（{APPOINTMENT_CHANNEL_LABELS[appointment.channel]}），预约号{' '}
              {appointment.number}。
            </p>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {nextStepsOf(appointment).map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ul>
          </>
        }
      />
      <Flex gap={8}>
        <Button type="primary" onClick={onShowMine} data-testid="appointment-show-mine">
          查看我的预约
        </Button>
        <Button onClick={onBookAnother}>再约一个</Button>
      </Flex>
    </Flex>
  );
}
