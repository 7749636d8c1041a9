import { type TAppointmentSettings, ZAppointmentSettings } from '@zhengna/contracts';
import { App, Button, Flex, Form, InputNumber, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { SettingAlerts } from '../../settings/components/SettingAlerts.tsx';
import { numberRange } from '../../settings/settings-form.ts';
import { useVersionedSetting } from '../../settings/use-versioned-setting.ts';
import { fetchAppointmentSettings, saveAppointmentSettings } from '../api/appointments-admin-api.ts';

const S = ZAppointmentSettings.shape;
const FIELDS = [
  { name: 'remindMinutesBefore', label: '预约提醒', suffix: '分钟前', help: '在预约时段开始前提醒纳税人。' },
  { name: 'graceMinutes', label: '失约判定', suffix: '分钟后', help: '时段开始后仍未到达或开始服务，记为失约。' },
  { name: 'noShowLimit', label: '失约次数上限', suffix: '次', help: '达到次数后暂停预约，0 表示不限制。' },
  { name: 'noShowWindowDays', label: '失约统计周期', suffix: '天', help: '统计最近多少天内的失约。' },
  { name: 'restrictDays', label: '暂停预约时长', suffix: '天', help: '达到上限后暂停预约的天数。' },
] as const;

/** 预约 → 预约设置: reminder, grace before 失约, and the no-show restriction. Admins save; supervisors read. */
export function AppointmentSettingsPage({
  canEdit,
  onSessionExpired,
}: {
  canEdit: boolean;
  onSessionExpired: () => void;
}) {
  const [form] = Form.useForm<TAppointmentSettings>();
  const { message } = App.useApp();
  const setting = useVersionedSetting(fetchAppointmentSettings, saveAppointmentSettings, onSessionExpired);
  const { data, fieldErrors } = setting;
  const [summary, setSummary] = useState<string[]>([]);

  useEffect(() => {
    if (data) form.setFieldsValue(data.value);
  }, [data, form]);
  useEffect(() => {
    const named = Object.entries(fieldErrors).filter(([k]) => k in S);
    form.setFields(named.map(([name, m]) => ({ name: name as keyof TAppointmentSettings, errors: [m] })));
    if (named.length > 0) setSummary(named.map(([, m]) => m));
  }, [fieldErrors, form]);

  const onFinish = async (values: TAppointmentSettings) => {
    setSummary([]);
    const outcome = await setting.save(values);
    if (outcome.ok) message.success('预约设置已保存');
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 760 }}>
      <Typography.Text type="secondary">
        预约提醒通过“我的消息”发送；预约时段开始后超过判定时长仍未服务的记为失约，失约过多的纳税人将暂停预约。
      </Typography.Text>
      <SettingAlerts {...setting} canEdit={canEdit} onReload={() => void setting.load()} />
      <FormErrorSummary errors={summary} />
      <Spin spinning={setting.loading}>
        {data && (
          <Form<TAppointmentSettings>
            form={form}
            layout="vertical"
            initialValues={data.value}
            disabled={!canEdit || setting.saving}
            onFinish={(v) => void onFinish(v)}
            onFinishFailed={({ errorFields }) => setSummary(errorSummary(errorFields))}
            onFieldsChange={() => summary.length > 0 && setSummary(errorSummary(form.getFieldsError()))}
            data-testid="appointment-settings-form"
            data-version={data.version}
          >
            <Flex gap={16} wrap>
              {FIELDS.map((f) => (
                <Form.Item
                  key={f.name}
                  name={f.name}
                  label={f.label}
                  extra={`${f.help}（${numberRange(S[f.name]).min}～${numberRange(S[f.name]).max}）`}
                  rules={[{ required: true, message: `请填写${f.label}` }, zodRule(S[f.name])]}
                  style={{ width: 220 }}
                >
                  <InputNumber
                    {...numberRange(S[f.name])}
                    precision={0}
                    suffix={f.suffix}
                    data-testid={`appointment-${f.name}`}
                  />
                </Form.Item>
              ))}
            </Flex>
            {canEdit && (
              <Button type="primary" htmlType="submit" loading={setting.saving} data-testid="appointment-settings-save">
                保存
              </Button>
            )}
          </Form>
        )}
      </Spin>
    </Flex>
  );
}
