// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { TStaffMe } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { AccountSecurityPage } from './AccountSecurityPage.tsx';

const me: TStaffMe = {
  staffId: '00000000-0000-4000-8000-0000000000a1',
  username: 'admin',
  name: '系统管理员',
  role: 'admin',
  taxOfficeId: '13700000000',
  presence: 'away',
  totpEnabled: false,
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('AccountSecurityPage', { timeout: 20_000 }, () => {
  it('sets up the second factor: shows the secret and the otpauth URI, confirms with a code', async () => {
    let enabled = false;
    const calls: { path: string; method: string; body?: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        calls.push({ path, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined });
        if (path === '/api/staff/me') return json({ ...me, totpEnabled: enabled });
        if (path === '/api/staff/totp/setup') {
          return json({
            secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
            uri: 'otpauth://totp/%E5%BE%81:admin?secret=JBSW',
          });
        }
        if (path === '/api/staff/totp/confirm') {
          enabled = true;
          return json({ ok: true });
        }
        return json({}, 404);
      }),
    );
    render(
      <AppProvider>
        <AccountSecurityPage onSessionExpired={() => {}} />
      </AppProvider>,
    );
    expect((await screen.findByTestId('totp-status')).textContent).toBe('未启用');
    expect(screen.getByLabelText('新密码')).toBeTruthy();
    expect(screen.getByLabelText('当前密码')).toBeTruthy();
    fireEvent.click(screen.getByTestId('totp-start'));
    const secret = await screen.findByTestId('totp-secret');
    expect(secret.getAttribute('data-secret')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(secret.textContent).toContain('JBSW Y3DP');
    expect(screen.getByTestId('totp-uri').textContent).toContain('otpauth://totp/');
    fireEvent.change(screen.getByLabelText('动态验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('totp-confirm'));
    await waitFor(() => expect(screen.getByTestId('totp-status').textContent).toBe('已启用'));
    expect(calls.find((c) => c.path === '/api/staff/totp/confirm')?.body).toEqual({ code: '123456' });
    expect(screen.getByTestId('totp-disable')).toBeTruthy();
  });

  it('shows the policy problems the server names under the new password', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        if (path === '/api/staff/me') return json(me);
        if (path === '/api/staff/password') {
          return json(
            {
              code: 'VALIDATION_FAILED',
              message: '新密码不符合密码策略：……',
              fields: {
                newPassword: '新密码须包含大写字母、小写字母、数字、符号中的至少 3 类，当前缺少：大写字母、符号',
              },
            },
            400,
          );
        }
        return json({}, 404);
      }),
    );
    render(
      <AppProvider>
        <AccountSecurityPage onSessionExpired={() => {}} />
      </AppProvider>,
    );
    fireEvent.change(await screen.findByLabelText('当前密码'), { target: { value: 'Admin@2026' } });
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'abcdefgh1234' } });
    fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: 'abcdefgh1234' } });
    fireEvent.click(screen.getByTestId('password-submit'));
    expect(await screen.findByText(/当前缺少：大写字母、符号/)).toBeTruthy();
  });
});
