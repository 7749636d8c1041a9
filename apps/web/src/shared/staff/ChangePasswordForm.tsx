import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../api/api-error.ts';
import { changeStaffPassword } from './staff-api.ts';

interface ChangePasswordFormProps {
  /** Known already (the login step just checked it): the field is not shown. */
  currentPassword?: string;
  submitText?: string;
  onChanged: () => void;
}

interface Values {
  currentPassword?: string;
  newPassword: string;
  confirm: string;
}

export const PASSWORD_POLICY_HINT =
  '至少 10 位（以系统设置为准），须包含大写字母、小写字母、数字、符号中的至少 3 类，且不能与当前密码相同。';

/** 修改密码: the server checks the policy and names what a new password lacks. */
export function ChangePasswordForm({ currentPassword, submitText = '修改密码', onChanged }: ChangePasswordFormProps) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: Values) => {
    setError(null);
    setSubmitting(true);
    try {
      await changeStaffPassword(currentPassword ?? values.currentPassword ?? '', values.newPassword);
      form.resetFields();
      onChanged();
    } catch (e) {
      const field = e instanceof ApiError ? e.fields?.newPassword : undefined;
      if (field) form.setFields([{ name: 'newPassword', errors: [field] }]);
      else setError(errorMessage(e, '修改密码失败，请稍后再试。'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} aria-label="修改密码">
      {currentPassword === undefined && (
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
      )}
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={PASSWORD_POLICY_HINT}
        rules={[{ required: true, message: '请输入新密码' }]}
      >
        <Input.Password
          autoComplete="new-password"
          data-testid="password-new"
          autoFocus={currentPassword !== undefined}
        />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_r, value: string) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      {error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={submitting} data-testid="password-submit">
        {submitText}
      </Button>
    </Form>
  );
}
