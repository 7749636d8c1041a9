import { ZTotpCode } from '@zhengna/contracts';
import { Form, Input } from 'antd';
import { zodRule } from '../ui/zod-rule.ts';

/** The 动态验证码 field: six digits from an authenticator app (browsers and password managers may fill it in). */
export function TotpCodeField({ testId, autoFocus }: { testId: string; autoFocus?: boolean }) {
  return (
    <Form.Item
      label="动态验证码"
      name="code"
      extra="打开验证器应用（如 Google Authenticator、Microsoft Authenticator），输入“征纳互动”显示的 6 位数字。"
      rules={[{ required: true, message: '请输入动态验证码' }, zodRule(ZTotpCode)]}
    >
      <Input
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={6}
        autoFocus={autoFocus}
        data-testid={testId}
      />
    </Form.Item>
  );
}
