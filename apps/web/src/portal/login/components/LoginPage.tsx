import { ZPortalLoginRequest } from '@zhengna/contracts';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';
import { zodRule } from '../../../shared/ui/zod-rule.ts';
import { loginPortal } from '../../api/portal-api.ts';
import { PortalFooter } from '../../layout/components/PortalFooter.tsx';
import { PortalHeader } from '../../layout/components/PortalHeader.tsx';
import { safeNextPath } from '../../portal-paths.ts';

interface LoginValues {
  taxpayerNo: string;
  password: string;
}

/** 企业业务登录: 统一社会信用代码/纳税人识别号 + 密码. */
export function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (values: LoginValues) => {
    setError(null);
    const parsed = ZPortalLoginRequest.safeParse(values);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '请检查输入');
      return;
    }
    setSubmitting(true);
    try {
      await loginPortal(parsed.data);
      location.assign(safeNextPath(new URLSearchParams(location.search).get('next')));
    } catch (e) {
      setError(errorMessage(e, '登录失败，请稍后再试。'));
      setSubmitting(false);
    }
  };

  return (
    <>
      <PortalHeader />
      <main style={{ display: 'flex', justifyContent: 'center', padding: '56px 16px', minHeight: '60vh' }}>
        <Card style={{ width: 420, maxWidth: '100%' }}>
          <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0, textAlign: 'center' }}>
            企业业务登录
          </Typography.Title>
          <Form<LoginValues> layout="vertical" onFinish={submit} requiredMark={false} aria-label="电子税务局登录">
            <Form.Item
              label="统一社会信用代码/纳税人识别号"
              name="taxpayerNo"
              rules={[
                { required: true, message: '请输入统一社会信用代码或纳税人识别号' },
                zodRule(ZPortalLoginRequest.shape.taxpayerNo),
              ]}
            >
              <Input
                autoComplete="username"
                autoFocus
                maxLength={20}
                placeholder="请输入统一社会信用代码/纳税人识别号"
                data-testid="portal-login-taxpayer-no"
              />
            </Form.Item>
            <Form.Item
              label="密码"
              name="password"
              rules={[{ required: true, message: '请输入密码' }, zodRule(ZPortalLoginRequest.shape.password)]}
            >
              <Input.Password
                autoComplete="current-password"
                placeholder="请输入密码"
                data-testid="portal-login-password"
              />
            </Form.Item>
            {error && (
              <Alert
                type="error"
                title={error}
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="portal-login-error"
              />
            )}
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={submitting}
              data-testid="portal-login-submit"
            >
              登录
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            演示账号：91370100MA3C000001，密码 Zhengna@2026
          </Typography.Paragraph>
        </Card>
      </main>
      <PortalFooter />
    </>
  );
}
