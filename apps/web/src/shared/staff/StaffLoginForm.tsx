import { type TStaffMe, ZStaffLoginRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.ts';
import { zodRule } from '../ui/zod-rule.ts';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { fetchStaffMe, loginStaff, loginStaffTotp } from './staff-api.ts';
import { TotpCodeField } from './TotpCodeInput.tsx';
import { TotpEnrolment } from './TotpEnrolment.tsx';

interface StaffLoginFormProps {
  /** Heading, e.g. "征纳互动坐席工作台". */
  title: string;
  /** Why the previous session ended (e.g. 登录已失效：您的账号已被管理员停用。), shown until the next sign-in. */
  notice?: string | undefined;
  onSignedIn: (me: TStaffMe) => void;
}

interface StaffLoginValues {
  username: string;
  password: string;
}

/** Where the login is: the password, the authenticator's code, an expired password to replace, a second factor to set up. */
export type LoginStep =
  | { kind: 'credentials' }
  | { kind: 'totp'; challenge: string; password: string }
  | { kind: 'password'; password: string }
  | { kind: 'enrol' };

/** Username + password login for staff faces (workspace and admin console), with the steps that may follow it. */
export function StaffLoginForm({ title, notice, onSignedIn }: StaffLoginFormProps) {
  const [step, setStep] = useState<LoginStep>({ kind: 'credentials' });
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  /** Signed in: straight in, unless the password expired or a second factor must be set up first. */
  const proceed = (me: TStaffMe, password: string) => {
    if (me.mustChangePassword) setStep({ kind: 'password', password });
    else if (me.mustEnrolTotp) setStep({ kind: 'enrol' });
    else onSignedIn(me);
  };

  const run = async (fn: () => Promise<void>, fallback: string) => {
    setError(null);
    setSubmitting(true);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e, fallback));
    } finally {
      setSubmitting(false);
    }
  };

  const submit = (values: StaffLoginValues) =>
    run(async () => {
      const result = await loginStaff(values.username.trim(), values.password);
      if ('needsTotp' in result) setStep({ kind: 'totp', challenge: result.challenge, password: values.password });
      else proceed(result, values.password);
    }, '登录失败，请稍后再试。');

  const submitCode = (challenge: string, password: string, code: string) =>
    run(async () => proceed(await loginStaffTotp(challenge, code.trim()), password), '验证失败，请稍后再试。');

  const afterStep = () => run(async () => proceed(await fetchStaffMe(), ''), '登录失败，请稍后再试。');

  const back = () => {
    setError(null);
    setStep({ kind: 'credentials' });
  };

  const errorAlert = error && <Alert type="error" title={error} showIcon role="alert" style={{ marginBottom: 16 }} />;

  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '12vh 16px' }}>
      <Card style={{ width: 420, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>
          {title}
        </Typography.Title>
        {step.kind === 'credentials' && notice && !error && (
          <Alert
            type="warning"
            title={notice}
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            data-testid="staff-login-notice"
          />
        )}
        {step.kind === 'credentials' && (
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
            {errorAlert}
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="staff-login-submit">
              登录
            </Button>
          </Form>
        )}
        {step.kind === 'totp' && (
          <Form<{ code: string }>
            layout="vertical"
            onFinish={({ code }) => submitCode(step.challenge, step.password, code)}
            requiredMark={false}
            aria-label="双因素认证"
          >
            <Typography.Paragraph>您的账号已启用双因素认证，请输入验证器应用中的动态验证码。</Typography.Paragraph>
            <TotpCodeField testId="staff-login-code" autoFocus />
            {errorAlert}
            <Flex gap={8}>
              <Button onClick={back} data-testid="staff-login-back">
                返回
              </Button>
              <Button type="primary" htmlType="submit" block loading={submitting} data-testid="staff-login-code-submit">
                验证并登录
              </Button>
            </Flex>
          </Form>
        )}
        {step.kind === 'password' && (
          <>
            <Alert
              type="warning"
              showIcon
              title="您的密码已过期，请设置新密码后继续使用。"
              style={{ marginBottom: 16 }}
            />
            <ChangePasswordForm
              currentPassword={step.password || undefined}
              submitText="修改密码并进入"
              onChanged={() => void afterStep()}
            />
            {errorAlert}
          </>
        )}
        {step.kind === 'enrol' && (
          <>
            <Alert
              type="warning"
              showIcon
              title="系统要求管理员启用双因素认证，请先完成绑定。"
              style={{ marginBottom: 16 }}
            />
            <TotpEnrolment onEnabled={() => void afterStep()} />
            {errorAlert}
          </>
        )}
      </Card>
    </main>
  );
}
