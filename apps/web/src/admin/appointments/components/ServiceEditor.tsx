import { APPOINTMENT_CHANNEL_LABELS, BUSINESS_LABELS, type TAppointmentService } from '@zhengna/contracts';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../../../shared/api/api-error.ts';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { type OfficeTreeNode, officeTree } from '../../../shared/ui/office-tree.ts';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';
import type { TTaxOffice } from '../../organization/api/organization-api.ts';
import { DateTags } from '../../settings/components/DateTags.tsx';
import { isVersionConflict } from '../../settings/settings-form.ts';
import { createAppointmentService, updateAppointmentService } from '../api/appointments-admin-api.ts';
import {
  newServiceValues,
  type ServiceFormValues,
  scheduleDraftOf,
  serviceFieldErrors,
  toServiceInput,
  valuesOf,
} from '../appointment-service-form.ts';
import { ScheduleEditor } from './ScheduleEditor.tsx';

// the bounds as ZAppointmentServiceInput checks them (its refine hides the shape's number schemas)
const NUMBERS = [
  { name: 'slotMinutes', label: '时段长度', suffix: '分钟', min: 10, max: 240, help: '每个可预约时段的长度。' },
  { name: 'capacity', label: '每时段名额', suffix: '人', min: 1, max: 100, help: '同一时段最多可预约的人数。' },
  { name: 'minDaysAhead', label: '最早可约', suffix: '天后', min: 0, max: 30, help: '0 表示可预约当天。' },
  { name: 'maxDaysAhead', label: '最晚可约', suffix: '天内', min: 1, max: 90, help: '可预约的最远日期。' },
  { name: 'cutoffMinutes', label: '截止预约', suffix: '分钟前', min: 0, max: 2880, help: '时段开始前多久停止预约。' },
  {
    name: 'cancelMinutes',
    label: '取消/改约截止',
    suffix: '分钟前',
    min: 0,
    max: 2880,
    help: '时段开始前多久之后不能再取消或改约。',
  },
] as const;

interface ServiceEditorProps {
  service: TAppointmentService | null;
  offices: readonly TTaxOffice[];
  canEdit: boolean;
  onSaved: (service: TAppointmentService) => void;
  onCancel: () => void;
  onReload: () => void;
  onSessionExpired: () => void;
}

/** Create or edit one 预约服务; a save over someone else's is refused with 重新加载. */
export function ServiceEditor({
  service,
  offices,
  canEdit,
  onSaved,
  onCancel,
  onReload,
  onSessionExpired,
}: ServiceEditorProps) {
  const [form] = Form.useForm<ServiceFormValues>();
  const initial = useMemo(
    () =>
      service ? { values: valuesOf(service), schedule: service.schedule } : newServiceValues(offices[0]?.id ?? ''),
    [service, offices],
  );
  const [schedule, setSchedule] = useState(() => scheduleDraftOf(initial.schedule));
  const [closedDates, setClosedDates] = useState<string[]>(() => service?.closedDates ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const treeData = useMemo<OfficeTreeNode[]>(() => officeTree(offices), [offices]);

  const show = (found: Record<string, string>) => {
    setErrors(found);
    form.setFields(
      (Object.keys(initial.values) as (keyof ServiceFormValues)[]).map((name) => ({
        name,
        errors: found[name] ? [found[name]] : [],
      })),
    );
  };

  const save = async () => {
    setError(null);
    setConflict(null);
    const values = { ...initial.values, ...form.getFieldsValue(true) } as ServiceFormValues;
    const parsed = toServiceInput(values, schedule, closedDates);
    if (!parsed.ok) {
      show(parsed.errors);
      return;
    }
    show({});
    setSaving(true);
    try {
      const saved = service
        ? await updateAppointmentService(service.id, parsed.input, service.version)
        : await createAppointmentService(parsed.input);
      onSaved(saved);
    } catch (e) {
      const message = adminErrorMessage(e, '保存失败，请稍后再试。', onSessionExpired);
      if (service && isVersionConflict(e)) setConflict(message);
      else {
        if (e instanceof ApiError && e.fields) show(serviceFieldErrors(e.fields));
        setError(message);
      }
    } finally {
      setSaving(false);
    }
  };

  const disabled = !canEdit || saving;
  return (
    <Flex vertical gap={12} data-testid="service-editor" data-version={service?.version ?? 0}>
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="您可以查看预约服务；修改须由系统管理员进行。"
          data-testid="service-readonly"
        />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={conflict}
          description="该预约服务已被他人修改。重新加载会放弃您尚未保存的修改。"
          action={<Button onClick={onReload}>重新加载</Button>}
          data-testid="service-conflict"
        />
      )}
      <FormErrorSummary errors={[...new Set(Object.values(errors))]} testId="service-error-summary" />
      <Form<ServiceFormValues> form={form} layout="vertical" initialValues={initial.values} disabled={disabled}>
        <Flex gap={12} wrap>
          <Form.Item name="name" label="服务名称" required style={{ flex: 2, minWidth: 220 }}>
            <Input maxLength={30} placeholder="如 发票业务预约" data-testid="service-name" />
          </Form.Item>
          <Form.Item name="taxOfficeId" label="税务机关" required style={{ flex: 2, minWidth: 220 }}>
            <TreeSelect
              treeData={treeData}
              treeDefaultExpandAll
              showSearch={{ treeNodeFilterProp: 'title' }}
              placeholder="请选择税务机关"
              data-testid="service-office"
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="business" label="业务类别" required style={{ minWidth: 180 }}>
            <Select
              options={Object.entries(BUSINESS_LABELS).map(([value, label]) => ({ value, label }))}
              data-testid="service-business"
            />
          </Form.Item>
          <Form.Item name="channel" label="服务方式" required style={{ minWidth: 180 }}>
            <Select
              options={Object.entries(APPOINTMENT_CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
              data-testid="service-channel"
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          {NUMBERS.map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.label}
              extra={`${f.help}（${f.min}～${f.max}）`}
              required
              style={{ width: 200 }}
            >
              <InputNumber
                min={f.min}
                max={f.max}
                precision={0}
                suffix={f.suffix}
                style={{ width: '100%' }}
                data-testid={`service-${f.name}`}
              />
            </Form.Item>
          ))}
        </Flex>
      </Form>
      <Card size="small" title="每周可预约时段（北京时间）">
        <ScheduleEditor
          value={schedule}
          onChange={setSchedule}
          errors={errors}
          disabled={disabled}
          readOnly={!canEdit}
        />
      </Card>
      <Card size="small" title="不开放日期（节假日等）">
        <DateTags
          label="不开放日期"
          testId="service-closed-dates"
          value={closedDates}
          onChange={setClosedDates}
          disabled={disabled}
          error={errors.closedDates}
        />
      </Card>
      {error && <Alert type="error" showIcon role="alert" title={error} data-testid="service-save-error" />}
      <Flex gap={8}>
        {canEdit && (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="service-save">
            保存
          </Button>
        )}
        <Button onClick={onCancel}>返回列表</Button>
      </Flex>
    </Flex>
  );
}
