import {
  SMS_TEMPLATE_KEYS,
  type TCaseSettings,
  ZCaseSettings,
  ZCaseType,
  ZSmsTemplate,
  ZWorkOrderType,
} from '@zhengna/contracts';
import { App, Button, Card, Flex, Form, Input, InputNumber, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { FormErrorSummary } from '../../../shared/ui/FormErrorSummary.tsx';
import { errorSummary } from '../../../shared/ui/form-errors.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { SettingAlerts } from '../../settings/components/SettingAlerts.tsx';
import { numberRange } from '../../settings/settings-form.ts';
import { useVersionedSetting } from '../../settings/use-versioned-setting.ts';
import { fetchCaseSettings, saveCaseSettings } from '../api/cases-admin-api.ts';
import { caseSettingFieldErrors, duplicateIds, SMS_TEMPLATE_LABELS } from '../case-settings-form.ts';

const S = ZCaseSettings.shape;
const T = ZCaseType.shape;
const W = ZWorkOrderType.shape;
const NUMBERS = [
  { name: 'inquirySlaDays', label: '留言答复时限', suffix: '个工作日', help: '超过时限未答复的留言升级给班长。' },
  { name: 'contentMaxLength', label: '留言内容字数上限', suffix: '字', help: '纳税人留言内容的最大长度。' },
  {
    name: 'remindDaysBefore',
    label: '工单到期提醒',
    suffix: '个工作日前',
    help: '到期前提醒承办人，0 表示不提前提醒。',
  },
] as const;

/** 服务设置 → 留言与工单: 留言类型 and time limit, 工单类型 and their statutory limits, SMS wording. Admins edit. */
export function CaseSettingsPage({ canEdit, onSessionExpired }: { canEdit: boolean; onSessionExpired: () => void }) {
  const [form] = Form.useForm<TCaseSettings>();
  const { message } = App.useApp();
  const setting = useVersionedSetting(fetchCaseSettings, saveCaseSettings, onSessionExpired);
  const { data, fieldErrors } = setting;
  const [summary, setSummary] = useState<string[]>([]);

  useEffect(() => {
    // setFields, not setFieldsValue: the latter merges arrays by index, so a reload would keep removed rows
    if (!data) return;
    const names = Object.keys(data.value) as (keyof TCaseSettings)[];
    form.setFields(names.map((name) => ({ name, value: data.value[name], errors: [] })));
  }, [data, form]);

  // the paths are checked at runtime (they come from zod issues or the server), so the static path type is widened
  const showErrors = (list: ReturnType<typeof caseSettingFieldErrors>) => {
    form.setFields(list as Parameters<typeof form.setFields>[0]);
    setSummary(errorSummary(list));
  };

  useEffect(() => {
    form.setFields(caseSettingFieldErrors(fieldErrors) as Parameters<typeof form.setFields>[0]);
  }, [fieldErrors, form]);

  const onFinish = async (values: TCaseSettings) => {
    const value = { ...(data?.value as TCaseSettings), ...values };
    const parsed = ZCaseSettings.safeParse(value);
    if (!parsed.success) {
      showErrors(
        caseSettingFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]))),
      );
      return;
    }
    for (const list of ['inquiryTypes', 'workOrderTypes'] as const) {
      const repeated = duplicateIds(parsed.data[list]);
      if (repeated.length > 0) {
        const index = parsed.data[list].findLastIndex((t) => t.id === repeated[0]);
        showErrors([{ name: [list, index, 'id'], errors: [`类型编号“${repeated[0]}”重复`] }]);
        return;
      }
    }
    const outcome = await setting.save(parsed.data);
    if (outcome.ok) message.success('留言与工单设置已保存');
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 860 }}>
      <Typography.Text type="secondary">
        纳税人留言时选择的留言类型、答复时限，坐席转为工单时的工单类型与办理时限（按工作日计），以及通知纳税人的短信内容。
      </Typography.Text>
      <SettingAlerts {...setting} canEdit={canEdit} onReload={() => void setting.load()} />
      <FormErrorSummary errors={summary} />
      <Spin spinning={setting.loading}>
        {data && (
          <Form<TCaseSettings>
            form={form}
            layout="vertical"
            disabled={!canEdit || setting.saving}
            onFinish={(v) => void onFinish(v)}
            onFinishFailed={({ errorFields }) => setSummary(errorSummary(errorFields))}
            onFieldsChange={() => summary.length > 0 && setSummary(errorSummary(form.getFieldsError()))}
            data-testid="case-settings-form"
            data-version={data.version}
          >
            <Card size="small" title="留言类型" style={{ marginBottom: 12 }}>
              <TypeList name="inquiryTypes" withLimit={false} canEdit={canEdit} />
            </Card>
            <Card size="small" title="工单类型与办理时限" style={{ marginBottom: 12 }}>
              <TypeList name="workOrderTypes" withLimit canEdit={canEdit} />
            </Card>
            <Card size="small" title="时限与字数" style={{ marginBottom: 12 }}>
              <Flex gap={16} wrap>
                {NUMBERS.map((f) => (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={f.label}
                    extra={`${f.help}（${numberRange(S[f.name]).min}～${numberRange(S[f.name]).max}）`}
                    rules={[{ required: true, message: '请填写' }, zodRule(S[f.name])]}
                    style={{ minWidth: 240 }}
                  >
                    <InputNumber
                      {...numberRange(S[f.name])}
                      precision={0}
                      suffix={f.suffix}
                      data-testid={`cases-${f.name}`}
                    />
                  </Form.Item>
                ))}
              </Flex>
            </Card>
            <Card size="small" title="短信模板" style={{ marginBottom: 12 }}>
              {SMS_TEMPLATE_KEYS.map((key) => (
                <Flex key={key} gap={12} wrap align="start">
                  <Form.Item
                    name={['smsTemplates', key, 'text']}
                    label={`${SMS_TEMPLATE_LABELS[key].label}短信`}
                    extra={`可用变量：${SMS_TEMPLATE_LABELS[key].vars}`}
                    rules={[
                      { required: true, whitespace: true, message: '请填写短信内容' },
                      zodRule(ZSmsTemplate.shape.text),
                    ]}
                    style={{ flex: 2, minWidth: 320 }}
                  >
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={200} showCount />
                  </Form.Item>
                  <Form.Item
                    name={['smsTemplates', key, 'providerCode']}
                    label="短信平台模板编号"
                    extra="使用短信平台时填写；仅记录到发件箱时留空。"
                    style={{ flex: 1, minWidth: 200 }}
                  >
                    <Input maxLength={64} />
                  </Form.Item>
                </Flex>
              ))}
            </Card>
            {canEdit && (
              <Button type="primary" htmlType="submit" loading={setting.saving} data-testid="cases-save">
                保存
              </Button>
            )}
          </Form>
        )}
      </Spin>
    </Flex>
  );
}

/** Rows of 编号 + 名称 (+ 办理时限) with 删除, and 添加 below. */
function TypeList({
  name,
  withLimit,
  canEdit,
}: {
  name: 'inquiryTypes' | 'workOrderTypes';
  withLimit: boolean;
  canEdit: boolean;
}) {
  const what = name === 'inquiryTypes' ? '留言类型' : '工单类型';
  return (
    <Form.List name={name}>
      {(fields, { add, remove }, { errors }) => (
        <>
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="start" wrap data-testid={`${name}-row`}>
              <Form.Item
                name={[field.name, 'id']}
                label={index === 0 ? '类型编号' : undefined}
                aria-label="类型编号"
                rules={[{ required: true, message: '请填写类型编号' }, zodRule(T.id)]}
                style={{ width: 180, marginBottom: 8 }}
              >
                <Input placeholder="如 invoice" aria-label={`${what} ${index + 1} 编号`} />
              </Form.Item>
              <Form.Item
                name={[field.name, 'name']}
                label={index === 0 ? '类型名称' : undefined}
                rules={[{ required: true, whitespace: true, message: '请填写类型名称' }, zodRule(T.name)]}
                style={{ width: 220, marginBottom: 8 }}
              >
                <Input placeholder="如 发票问题" aria-label={`${what} ${index + 1} 名称`} />
              </Form.Item>
              {withLimit && (
                <Form.Item
                  name={[field.name, 'limitDays']}
                  label={index === 0 ? '办理时限' : undefined}
                  rules={[{ required: true, message: '请填写办理时限' }, zodRule(W.limitDays)]}
                  style={{ width: 180, marginBottom: 8 }}
                >
                  <InputNumber
                    {...numberRange(W.limitDays)}
                    precision={0}
                    suffix="个工作日"
                    aria-label={`${what} ${index + 1} 办理时限`}
                  />
                </Form.Item>
              )}
              {canEdit && (
                <Button
                  type="link"
                  danger
                  onClick={() => remove(field.name)}
                  disabled={fields.length <= 1}
                  aria-label={`删除${what} ${index + 1}`}
                  style={{ marginTop: index === 0 ? 30 : 0 }}
                >
                  删除
                </Button>
              )}
            </Flex>
          ))}
          <Form.ErrorList errors={errors} />
          {canEdit && (
            <Button
              onClick={() => add(withLimit ? { id: '', name: '', limitDays: 5 } : { id: '', name: '' })}
              disabled={fields.length >= 30}
            >
              添加{what}
            </Button>
          )}
        </>
      )}
    </Form.List>
  );
}
