import { type TSecuritySettings, ZSecuritySettings } from '@zhengna/contracts';
import { App, Button, Flex, Form, InputNumber, Spin, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { fetchSecuritySettings, saveSecuritySettings } from '../api/settings-api.ts';
import { numberRange } from '../settings-form.ts';
import { useVersionedSetting } from '../use-versioned-setting.ts';
import { SettingAlerts } from './SettingAlerts.tsx';

const S = ZSecuritySettings.shape;
const LENGTH = numberRange(S.passwordMinLength);
const EXPIRY = numberRange(S.passwordExpiryDays);

/**
 * 组织与人员 → 密码与登录安全: the staff password policy (length; three of the four character classes are always required)
 * and whether administrators must use a second factor. Admins edit; supervisors read.
 */
export function SecurityPolicyPage({ canEdit, onSessionExpired }: { canEdit: boolean; onSessionExpired: () => void }) {
  const [form] = Form.useForm<TSecuritySettings>();
  const { message } = App.useApp();
  const setting = useVersionedSetting(fetchSecuritySettings, saveSecuritySettings, onSessionExpired);
  const { data, fieldErrors } = setting;

  useEffect(() => {
    if (data) form.setFieldsValue(data.value);
  }, [data, form]);

  useEffect(() => {
    const names = Object.keys(fieldErrors).filter((k) => k in S) as (keyof TSecuritySettings)[];
    form.setFields(names.map((name) => ({ name, errors: [fieldErrors[name] ?? ''] })));
  }, [fieldErrors, form]);

  const onFinish = async (values: TSecuritySettings) => {
    const outcome = await setting.save({ ...(data?.value as TSecuritySettings), ...values });
    if (outcome.ok) message.success('密码与登录安全设置已保存');
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 760 }}>
      <Typography.Text type="secondary">
        适用于坐席、班长和管理员的账号。密码须包含大写字母、小写字母、数字、符号中的至少 3
        类；最短长度在下次修改密码时生效，有效期在下次登录时生效。
      </Typography.Text>
      <SettingAlerts {...setting} canEdit={canEdit} onReload={() => void setting.load()} />
      <Spin spinning={setting.loading}>
        {data && (
          <Form<TSecuritySettings>
            form={form}
            layout="vertical"
            disabled={!canEdit || setting.saving}
            onFinish={(v) => void onFinish(v)}
            aria-label="密码与登录安全"
            data-testid="security-form"
            data-version={data.version}
          >
            <Form.Item
              name="passwordMinLength"
              label="密码最短长度"
              extra={`${LENGTH.min}～${LENGTH.max} 位。`}
              rules={[{ required: true, message: '请填写' }, zodRule(S.passwordMinLength)]}
            >
              <InputNumber {...LENGTH} precision={0} suffix="位" data-testid="security-min-length" />
            </Form.Item>
            <Form.Item
              name="passwordExpiryDays"
              label="密码有效期"
              extra="到期后须先修改密码才能继续使用；填 0 表示永不过期。"
              rules={[{ required: true, message: '请填写' }, zodRule(S.passwordExpiryDays)]}
            >
              <InputNumber {...EXPIRY} precision={0} suffix="天" data-testid="security-expiry-days" />
            </Form.Item>
            <Form.Item
              name="requireAdminTotp"
              label="管理员必须启用双因素认证（动态验证码）"
              valuePropName="checked"
              extra="开启后，未绑定验证器的管理员登录后须先完成绑定。"
            >
              <Switch data-testid="security-require-totp" />
            </Form.Item>
            {canEdit && (
              <Button type="primary" htmlType="submit" loading={setting.saving} data-testid="security-save">
                保存
              </Button>
            )}
          </Form>
        )}
      </Spin>
    </Flex>
  );
}
