import { type THandoffRules, ZHandoffRules } from '@zhengna/contracts';
import { App, Button, Flex, Form, InputNumber, Radio, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { fetchHandoffRules, saveHandoffRules } from '../api/settings-api.ts';
import { numberRange } from '../settings-form.ts';
import { useVersionedSetting } from '../use-versioned-setting.ts';
import { KeywordTags } from './KeywordTags.tsx';
import { SettingAlerts } from './SettingAlerts.tsx';

const S = ZHandoffRules.shape;
const LIMITS = [
  {
    name: 'noAnswerLimit',
    label: '连续未能回答次数',
    help: '智能助理连续这么多次未能回答时，触发转人工。',
    schema: S.noAnswerLimit,
  },
  {
    name: 'unhelpfulLimit',
    label: '连续“没有帮助”次数',
    help: '纳税人连续这么多次评价答复没有帮助时，触发转人工。',
    schema: S.unhelpfulLimit,
  },
  {
    name: 'multiTurnLimit',
    label: '同一问题追问轮数',
    help: '围绕同一问题追问达到这么多轮仍未解决时，触发转人工。',
    schema: S.multiTurnLimit,
  },
] as const;
const EMOTION = numberRange(S.emotionThreshold);

/** 服务设置 → 转人工规则: when the bot hands a taxpayer to a human. Admins edit; supervisors read. */
export function HandoffRulesPage({ canEdit, onSessionExpired }: { canEdit: boolean; onSessionExpired: () => void }) {
  const [form] = Form.useForm<THandoffRules>();
  const { message } = App.useApp();
  const setting = useVersionedSetting(fetchHandoffRules, saveHandoffRules, onSessionExpired);
  const { data, fieldErrors } = setting;

  useEffect(() => {
    // setFields, not setFieldsValue: the latter merges arrays by index, so a reload would keep extra keywords
    if (!data) return;
    const names = Object.keys(data.value) as (keyof THandoffRules)[];
    form.setFields(names.map((name) => ({ name, value: data.value[name], errors: [] })));
  }, [data, form]);

  useEffect(() => {
    const names = Object.keys(fieldErrors).filter((k) => k in S) as (keyof THandoffRules)[];
    form.setFields(names.map((name) => ({ name, errors: [fieldErrors[name] ?? ''] })));
  }, [fieldErrors, form]);

  const onFinish = async (values: THandoffRules) => {
    const outcome = await setting.save({ ...(data?.value as THandoffRules), ...values });
    if (outcome.ok) message.success('转人工规则已保存');
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 760 }}>
      <Typography.Text type="secondary">
        纳税人输入转人工关键词时直接转人工；其余情形由智能识别判断（意图、情绪、连续未能回答、问题未解决）。
      </Typography.Text>
      <SettingAlerts {...setting} canEdit={canEdit} onReload={() => void setting.load()} />
      <Spin spinning={setting.loading}>
        {data && (
          <Form<THandoffRules>
            form={form}
            layout="vertical"
            disabled={!canEdit || setting.saving}
            onFinish={(v) => void onFinish(v)}
            data-testid="handoff-form"
            data-version={data.version}
          >
            <Form.Item
              name="keywords"
              label="转人工关键词"
              extra="按词组匹配：例如“人工”不会匹配“人工成本”。每个关键词 2～20 个字。"
              rules={[zodRule(S.keywords)]}
            >
              <KeywordTags disabled={!canEdit} />
            </Form.Item>
            {LIMITS.map((f) => (
              <Form.Item
                key={f.name}
                name={f.name}
                label={f.label}
                extra={`${f.help}（${numberRange(f.schema).min}～${numberRange(f.schema).max}）`}
                rules={[{ required: true, message: '请填写' }, zodRule(f.schema)]}
              >
                <InputNumber {...numberRange(f.schema)} precision={0} suffix="次" data-testid={`handoff-${f.name}`} />
              </Form.Item>
            ))}
            <Form.Item
              name="emotionThreshold"
              label="情绪阈值"
              extra={`纳税人情绪评分达到该值时视为情绪激动（${EMOTION.min}～${EMOTION.max}，越小越敏感）。`}
              rules={[{ required: true, message: '请填写' }, zodRule(S.emotionThreshold)]}
            >
              <InputNumber {...EMOTION} step={0.1} precision={1} data-testid="handoff-emotionThreshold" />
            </Form.Item>
            <Form.Item name="smartMode" label="智能识别触发时" rules={[{ required: true, message: '请选择' }]}>
              <Radio.Group data-testid="handoff-smartMode">
                <Radio value="offer">先询问“需要为您转人工服务吗？”</Radio>
                <Radio value="direct">直接转人工</Radio>
              </Radio.Group>
            </Form.Item>
            {canEdit && (
              <Button type="primary" htmlType="submit" loading={setting.saving} data-testid="handoff-save">
                保存
              </Button>
            )}
          </Form>
        )}
      </Spin>
    </Flex>
  );
}
