import type { TTotpSetupResponse } from '@zhengna/contracts';
import { Alert, Button, Flex, Form, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.ts';
import { confirmTotp, setupTotp } from './staff-api.ts';
import { TotpCodeField } from './TotpCodeInput.tsx';

/** Setting up the second factor: a secret to add to an authenticator app, then one code from it to confirm. */
export function TotpEnrolment({ onEnabled }: { onEnabled: () => void }) {
  const [setup, setSetup] = useState<TTotpSetupResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setError(null);
    setBusy(true);
    try {
      setSetup(await setupTotp());
    } catch (e) {
      setError(errorMessage(e, '获取绑定密钥失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    setError(null);
    setBusy(true);
    try {
      await confirmTotp(code.trim());
      onEnabled();
    } catch (e) {
      setError(errorMessage(e, '验证失败，请稍后再试。'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={12}>
      {!setup ? (
        <div>
          <Typography.Paragraph>
            启用后，登录时除密码外还需输入验证器应用（如 Google Authenticator、Microsoft Authenticator）生成的 6
            位动态验证码。
          </Typography.Paragraph>
          <Button type="primary" onClick={() => void start()} loading={busy} data-testid="totp-start">
            开始绑定
          </Button>
        </div>
      ) : (
        <>
          <Typography.Paragraph>
            1. 在验证器应用中选择“输入设置密钥”（手动添加），账户名填写您的用户名，密钥填写：
          </Typography.Paragraph>
          <span data-testid="totp-secret" data-secret={setup.secret}>
            <Typography.Text code copyable={{ text: setup.secret }}>
              {setup.secret.replace(/(.{4})/g, '$1 ').trim()}
            </Typography.Text>
          </span>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            支持链接导入的验证器也可使用以下地址：
          </Typography.Paragraph>
          <Typography.Text copyable style={{ wordBreak: 'break-all' }} data-testid="totp-uri">
            {setup.uri}
          </Typography.Text>
          <Typography.Paragraph style={{ marginTop: 8 }}>2. 输入验证器显示的动态验证码完成绑定：</Typography.Paragraph>
          <Form<{ code: string }> layout="vertical" onFinish={confirm} requiredMark={false} aria-label="确认绑定">
            <TotpCodeField testId="totp-confirm-code" autoFocus />
            <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">
              确认绑定
            </Button>
          </Form>
        </>
      )}
      {error && <Alert type="error" title={error} showIcon role="alert" />}
    </Flex>
  );
}
