import type { TAppointment } from '@zhengna/contracts';
import { Alert, Button, Flex } from 'antd';
import { useState } from 'react';
import { usePanelServices } from '../../panels/panel-services.ts';
import { rescheduleAppointment } from '../api/appointment-api.ts';
import { bookingFailure } from '../appointment-form.ts';
import { useSlots } from '../use-slots.ts';
import { SlotPicker } from './SlotPicker.tsx';

/** 改约: another slot of the same service; a slot taken meanwhile is said so and the slots reload. */
export function RescheduleForm({
  appointment,
  onDone,
  onCancel,
}: {
  appointment: TAppointment;
  onDone: (next: TAppointment) => void;
  onCancel: () => void;
}) {
  const { withAuth } = usePanelServices();
  const slots = useSlots(withAuth, appointment.serviceId);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const slot = slots.chosenSlot;

  const save = async () => {
    if (!slot) {
      setError('请选择新的预约时段');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      onDone(await withAuth((token) => rescheduleAppointment(token, appointment.id, slot.startsAt)));
    } catch (e) {
      const failure = bookingFailure(e);
      setError(failure.kind === 'fields' ? (Object.values(failure.fields)[0] ?? '改约失败') : failure.message);
      if (failure.kind === 'slot_full') {
        slots.choose(null);
        slots.reload();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex
      vertical
      gap={8}
      style={{ marginTop: 8, padding: 8, background: '#fafafa', borderRadius: 6 }}
      data-testid="reschedule-form"
    >
      {slots.state.status === 'error' && <Alert type="error" showIcon title={slots.state.message} />}
      {slots.state.status === 'ready' && (
        <SlotPicker
          days={slots.state.data.days}
          date={slots.date}
          onDateChange={slots.setDate}
          value={slot?.startsAt ?? null}
          onChange={(s) => {
            slots.choose(s);
            setError(null);
          }}
          error={error}
        />
      )}
      <Flex gap={8}>
        <Button size="small" type="primary" loading={saving} onClick={() => void save()} data-testid="reschedule-save">
          确认改约
        </Button>
        <Button size="small" onClick={onCancel}>
          放弃
        </Button>
      </Flex>
    </Flex>
  );
}
