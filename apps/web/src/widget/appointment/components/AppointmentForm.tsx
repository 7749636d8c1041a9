import {
  APPOINTMENT_CHANNEL_LABELS,
  maskPhone,
  RECEIVE_BY_LABELS,
  type TAppointment,
  type TAppointmentService,
  type TReceiveBy,
  ZAppointmentBook,
  ZMobile,
} from '@zhengna/contracts';
import { Alert, Button, Descriptions, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { appointmentTimeLabel } from '../../../shared/ui/cst-time.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { fetchInquiryOptions } from '../../inquiry/api/inquiry-api.ts';
import { InquiryFilesField } from '../../inquiry/components/InquiryFilesField.tsx';
import { newClientKey } from '../../inquiry/inquiry-draft.ts';
import { type StartCaseUpload, useInquiryFiles } from '../../inquiry/use-inquiry-files.ts';
import { PanelState } from '../../panels/components/PanelState.tsx';
import { useLoad } from '../../panels/hooks/use-load.ts';
import { usePanelServices } from '../../panels/panel-services.ts';
import { bookAppointment, fetchAppointmentServices, uploadAppointmentFile } from '../api/appointment-api.ts';
import {
  type AppointmentFormValues,
  bookingFailure,
  defaultAppointmentValues,
  SLOT_FULL_MESSAGE,
  toBookBody,
} from '../appointment-form.ts';
import { useSlots } from '../use-slots.ts';
import { AppointmentNotice } from './AppointmentNotice.tsx';
import { SlotPicker } from './SlotPicker.tsx';

const D = ZAppointmentBook.shape.description;
const RECEIVE_BY = (Object.keys(RECEIVE_BY_LABELS) as TReceiveBy[]).map((value) => ({
  value,
  label: RECEIVE_BY_LABELS[value],
}));

/** 我要预约: loads the services (and the masked profile number), then the form. */
export function AppointmentForm({ onShowMine }: { onShowMine: () => void }) {
  const { withAuth } = usePanelServices();
  const { state, reload } = useLoad(
    () =>
      Promise.all([
        withAuth(fetchAppointmentServices),
        // only for the phone field's hint; the booking works without it
        withAuth(fetchInquiryOptions).then(
          (o) => o.maskedPhone,
          () => '',
        ),
      ]),
    '预约服务暂时无法使用，请稍后再试。',
  );
  const [round, setRound] = useState(0);
  return (
    <PanelState state={state} empty="暂无可预约的服务" isEmpty={([s]) => s.length === 0} onRetry={reload}>
      {([services, maskedPhone]) => (
        <AppointmentFormBody
          key={round}
          services={services}
          maskedPhone={maskedPhone}
          onShowMine={onShowMine}
          onBookAnother={() => setRound((n) => n + 1)}
        />
      )}
    </PanelState>
  );
}

interface BodyProps {
  services: TAppointmentService[];
  maskedPhone: string;
  onShowMine: () => void;
  onBookAnother: () => void;
}

function AppointmentFormBody({ services, maskedPhone, onShowMine, onBookAnother }: BodyProps) {
  const { withAuth } = usePanelServices();
  const [form] = Form.useForm<AppointmentFormValues>();
  const [serviceId, setServiceId] = useState(services[0]?.id ?? '');
  const service = services.find((s) => s.id === serviceId);
  const slots = useSlots(withAuth, serviceId);
  const [slotError, setSlotError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<AppointmentFormValues | null>(null);
  const [booking, setBooking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [summary, setSummary] = useState<string[]>([]);
  const [booked, setBooked] = useState<TAppointment | null>(null);
  // one key per booking attempt: a double 确认 or a retry after a network failure books once
  const clientKey = useRef(newClientKey());
  const inFlight = useRef(false);

  const startUpload = useCallback<StartCaseUpload>(
    (file, onProgress) => {
      let abort = () => {};
      const promise = withAuth((token) => {
        const handle = uploadAppointmentFile(token, file, onProgress);
        abort = handle.abort;
        return handle.promise;
      });
      return { promise, abort: () => abort() };
    },
    [withAuth],
  );
  const files = useInquiryFiles(startUpload, []);

  const slot = slots.chosenSlot;

  const onFinish = (values: AppointmentFormValues) => {
    setError(null);
    if (!slot) {
      setSlotError('请选择预约时段');
      setSummary(['请选择预约时段']);
      return;
    }
    if (files.uploading) {
      setFilesError('附件还在上传，请稍候再提交。');
      return;
    }
    setFilesError(null);
    setSummary([]);
    setConfirming(values);
  };

  const confirm = async () => {
    if (!confirming || !slot || inFlight.current) return;
    inFlight.current = true;
    setBooking(true);
    try {
      const body = toBookBody(confirming, { serviceId, startsAt: slot.startsAt }, files.done, clientKey.current);
      const appointment = await withAuth((token) => bookAppointment(token, body));
      setConfirming(null);
      setBooked(appointment);
    } catch (e) {
      setConfirming(null);
      const failure = bookingFailure(e);
      if (failure.kind === 'slot_full') {
        clientKey.current = newClientKey();
        setSlotError(SLOT_FULL_MESSAGE);
        slots.choose(null);
        slots.reload();
      } else if (failure.kind === 'refused') {
        clientKey.current = newClientKey();
        setError(failure.message);
      } else if (failure.kind === 'fields') {
        const { files: fileError, slot: slotMessage, _: general, ...byField } = failure.fields;
        const named = Object.entries(byField) as [keyof AppointmentFormValues, string][];
        form.setFields(named.map(([name, message]) => ({ name, errors: [message] })));
        if (fileError) setFilesError(fileError);
        if (slotMessage) setSlotError(slotMessage);
        setSummary([...named.map(([, m]) => m), ...[fileError, slotMessage, general].filter((m) => m !== undefined)]);
      } else setError(failure.message);
    } finally {
      inFlight.current = false;
      setBooking(false);
    }
  };

  if (booked) return <AppointmentNotice appointment={booked} onShowMine={onShowMine} onBookAnother={onBookAnother} />;

  return (
    <Form<AppointmentFormValues>
      form={form}
      layout="vertical"
      size="small"
      initialValues={defaultAppointmentValues()}
      onFinish={onFinish}
      onFinishFailed={({ errorFields }) =>
        setSummary([...(slot ? [] : ['请选择预约时段']), ...errorSummary(errorFields)])
      }
      requiredMark
      data-testid="appointment-form"
    >
      <Form.Item label="预约服务" required htmlFor="zn-appointment-service">
        <Select
          id="zn-appointment-service"
          value={serviceId}
          onChange={(id) => {
            setServiceId(id);
            setSlotError(null);
          }}
          options={services.map((s) => ({
            value: s.id,
            label: `${s.name}（${APPOINTMENT_CHANNEL_LABELS[s.channel]}）`,
          }))}
          data-testid="appointment-service"
        />
        {service && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {service.taxOfficeName} · {APPOINTMENT_CHANNEL_LABELS[service.channel]} · 每个时段 {service.slotMinutes}{' '}
            分钟
          </Typography.Text>
        )}
      </Form.Item>
      <div style={{ marginBottom: 12 }}>
        {slots.state.status === 'loading' && <Typography.Text type="secondary">正在加载可预约时段…</Typography.Text>}
        {slots.state.status === 'error' && (
          <Alert
            type="error"
            showIcon
            title={slots.state.message}
            action={<Button onClick={slots.reload}>重试</Button>}
          />
        )}
        {slots.state.status === 'ready' && (
          <SlotPicker
            days={slots.state.data.days}
            date={slots.date}
            onDateChange={slots.setDate}
            value={slot?.startsAt ?? null}
            onChange={(startsAt) => {
              slots.choose(startsAt);
              setSlotError(null);
              if (summary.length > 0) setSummary(errorSummary(form.getFieldsError()));
            }}
            error={slotError}
          />
        )}
      </div>
      <Form.Item
        name="phone"
        label="手机号码"
        extra={maskedPhone ? `留空则使用您登记的手机号 ${maskedPhone}` : '留空则使用您登记的手机号。'}
        rules={[zodRule(ZMobile)]}
      >
        <Input
          inputMode="numeric"
          autoComplete="tel"
          maxLength={11}
          placeholder={maskedPhone || '请输入 11 位手机号码'}
          data-testid="appointment-phone"
        />
      </Form.Item>
      <Form.Item
        name="description"
        label="问题描述"
        rules={[{ required: true, whitespace: true, message: '请填写问题描述' }, zodRule(D)]}
      >
        <Input.TextArea
          autoSize={{ minRows: 3, maxRows: 8 }}
          count={{ show: true, max: 500 }}
          placeholder="请简要描述需要办理或咨询的事项（至少 5 个字）"
          data-testid="appointment-description"
        />
      </Form.Item>
      <InquiryFilesField files={files} error={filesError} />
      <Form.Item name="receiveBy" label="结果接收方式" rules={[{ required: true, message: '请选择结果接收方式' }]}>
        <Radio.Group aria-label="结果接收方式" options={RECEIVE_BY} data-testid="appointment-receive-by" />
      </Form.Item>
      <FormErrorSummary errors={summary} testId="appointment-error-summary" />
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          style={{ marginBottom: 8 }}
          data-testid="appointment-error"
        />
      )}
      <Button type="primary" htmlType="submit" data-testid="appointment-submit">
        提交
      </Button>
      <Modal
        open={confirming !== null}
        title="请确认预约信息"
        okText="确认"
        cancelText="返回修改"
        confirmLoading={booking}
        onOk={() => void confirm()}
        onCancel={() => !booking && setConfirming(null)}
        getContainer={false}
        okButtonProps={{ 'data-testid': 'appointment-confirm' }}
        data-testid="appointment-confirm-dialog"
      >
        {confirming && service && slot && (
          <Descriptions
            size="small"
            column={1}
            data-testid="appointment-summary"
            items={[
              { key: 's', label: '预约服务', children: service.name },
              { key: 'o', label: '办理机构', children: service.taxOfficeName },
              {
                key: 't',
                label: '预约时间',
                children: `${appointmentTimeLabel(slot.startsAt, slot.endsAt)}（北京时间）`,
              },
              { key: 'c', label: '服务方式', children: APPOINTMENT_CHANNEL_LABELS[service.channel] },
              {
                key: 'p',
                label: '联系手机',
                children: confirming.phone.trim() ? maskPhone(confirming.phone.trim()) : maskedPhone || '登记的手机号',
              },
              { key: 'r', label: '结果接收', children: RECEIVE_BY_LABELS[confirming.receiveBy] },
            ]}
          />
        )}
      </Modal>
    </Form>
  );
}
