import { type TStaffMe, ZStaffLoginRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.ts';
import { zodRule } from '../ui/zod-rule.ts';
import { loginStaff } from './staff-api.ts';

interface StaffLoginFormProps {
  /** Heading, e.g. "征纳互动坐席工作台". */
  title: string;
  onSignedIn: (me: TStaffMe) => void;
}

interface StaffLoginValues {
  username: string;
  password: string;
}

/** Username + password login for staff faces (workspace and admin console). */
export function StaffLoginForm({ title, onSignedIn }: StaffLoginFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: StaffLoginValues) => {
    setError(null);
    setSubmitting(true);
    try {
      onSignedIn(await loginStaff(values.username.trim(), values.password));
    } catch (e) {
      setError(errorMessage(e, '登录失败，请稍后再试。'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '12vh 16px' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>
          {title}
        </Typography.Title>
        <Form<StaffLoginValues> layout="vertical" onFinish={submit} requiredMark={false} aria-label="工作人员登录">
          <Form.Item
            label="用户名"
            name="username"
            rules={[{ required: true, message: '请输入用户名' }, zodRule(ZStaffLoginRequest.shape.username)]}
          >
            <Input autoComplete="username" data-testid="staff-login-username" autoFocus />
          </Form.Item>
          <Form.Item
            label="密码"
            name="password"
            rules={[{ required: true, message: '请输入密码' }, zodRule(ZStaffLoginRequest.shape.password)]}
          >
            <Input.Password autoComplete="current-password" data-testid="staff-login-password" />
          </Form.Item>
          {error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="staff-login-submit">
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
