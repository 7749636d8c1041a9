import type { TStaffMe } from '@zhengna/contracts';
import { Alert, App, Button, Card, Flex, Form, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ChangePasswordForm } from '../../../shared/staff/ChangePasswordForm.tsx';
import { disableTotp, fetchStaffMe } from '../../../shared/staff/staff-api.ts';
import { TotpCodeField } from '../../../shared/staff/TotpCodeInput.tsx';
import { TotpEnrolment } from '../../../shared/staff/TotpEnrolment.tsx';
import { adminErrorMessage } from '../../knowledge/handle-error.ts';

/** 账号安全: the signed-in member's second factor (TOTP) and password. */
export function AccountSecurityPage({ onSessionExpired }: { onSessionExpired: () => void }) {
  const { message } = App.useApp();
  const [me, setMe] = useState<TStaffMe | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [disableError, setDisableError] = useState<string | null>(null);
  const [disabling, setDisabling] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setMe(await fetchStaffMe());
    } catch (e) {
      setError(adminErrorMessage(e, '账号信息加载失败，请稍后再试。', onSessionExpired));
    }
  }, [onSessionExpired]);

  useEffect(() => {
    void load();
  }, [load]);

  const turnOff = async ({ code }: { code: string }) => {
    setDisableError(null);
    setDisabling(true);
    try {
      await disableTotp(code.trim());
      message.success('已停用双因素认证');
      await load();
    } catch (e) {
      setDisableError(adminErrorMessage(e, '停用失败，请稍后再试。', onSessionExpired));
    } finally {
      setDisabling(false);
    }
  };

  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={error}
        action={<Button onClick={() => void load()}>重试</Button>}
      />
    );
  }
  if (!me) return <Spin aria-label="加载中" />;

  return (
    <Flex vertical gap={16} style={{ maxWidth: 640 }}>
      <Card
        title={
          <Flex align="center" gap={8}>
            <span>双因素认证（动态验证码）</span>
            <Tag color={me.totpEnabled ? 'success' : 'default'} data-testid="totp-status">
              {me.totpEnabled ? '已启用' : '未启用'}
            </Tag>
          </Flex>
        }
        aria-label="双因素认证"
      >
        {me.totpEnabled ? (
          <>
            <Typography.Paragraph>
              登录时需输入验证器应用生成的动态验证码。如需停用或更换验证器，请输入当前的动态验证码后停用。
            </Typography.Paragraph>
            <Form<{ code: string }>
              layout="vertical"
              onFinish={turnOff}
              requiredMark={false}
              aria-label="停用双因素认证"
            >
              <TotpCodeField testId="totp-disable-code" />
              {disableError && (
                <Alert type="error" title={disableError} showIcon role="alert" style={{ marginBottom: 16 }} />
              )}
              <Button danger htmlType="submit" loading={disabling} data-testid="totp-disable">
                停用双因素认证
              </Button>
            </Form>
          </>
        ) : (
          <TotpEnrolment
            onEnabled={() => {
              message.success('已启用双因素认证，下次登录时需输入动态验证码');
              void load();
            }}
          />
        )}
      </Card>
      <Card title="修改密码" aria-label="修改密码">
        <Typography.Paragraph type="secondary">修改密码后，您在其他设备上的登录将全部失效。</Typography.Paragraph>
        <ChangePasswordForm onChanged={() => message.success('密码已修改')} />
      </Card>
    </Flex>
  );
}
