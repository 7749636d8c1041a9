import { FormPanel } from '../../ui/FormPanel.tsx';
import { AppointmentForm } from './AppointmentForm.tsx';
import { MyAppointments } from './MyAppointments.tsx';

/**
 * 预约 (3.6), in the side-panel area and loaded only when 预约 is pressed: choose a service, a date and a slot, fill
 * the form, 提交 → 确认 (我要预约); the bookings with cancel, reschedule and 进入 (我的预约). Default export for React.lazy.
 */
export default function AppointmentPanel({ id }: { id: string }) {
  return (
    <FormPanel
      id={id}
      title="预约"
      testId="appointment"
      newLabel="我要预约"
      mineLabel="我的预约"
      renderNew={(showMine) => <AppointmentForm onShowMine={showMine} />}
      renderMine={() => <MyAppointments />}
    />
  );
}
