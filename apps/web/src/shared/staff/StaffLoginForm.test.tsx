// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { TStaffMe } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../i18n/AppProvider.tsx';
import { StaffLoginForm } from './StaffLoginForm.tsx';

const me: TStaffMe = {
  staffId: '00000000-0000-4000-8000-0000000000a1',
  username: 'admin',
  name: '系统管理员',
  role: 'admin',
  taxOfficeId: '13700000000',
  presence: 'away',
  totpEnabled: true,
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function signIn() {
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'admin' } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'Admin@2026' } });
  fireEvent.click(screen.getByTestId('staff-login-submit'));
}

describe('StaffLoginForm', { timeout: 20_000 }, () => {
  it('asks for the 动态验证码 after the password, then signs in with it', async () => {
    const calls: { path: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        calls.push({ path, body: JSON.parse(String(init.body)) });
        if (path === '/api/staff/login') return json({ needsTotp: true, challenge: 'ch-1' });
        if (path === '/api/staff/login/totp') {
          return (calls.at(-1)?.body as { code?: string } | undefined)?.code === '123456'
            ? json(me)
            : json({ code: 'TOTP_INVALID', message: '动态验证码不正确或已使用，再错 4 次账号将被锁定。' }, 401);
        }
        return json({}, 404);
      }),
    );
    const onSignedIn = vi.fn();
    render(
      <AppProvider>
        <StaffLoginForm title="征纳互动管理端" onSignedIn={onSignedIn} />
      </AppProvider>,
    );
    await signIn();
    const code = await screen.findByLabelText('动态验证码');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');

    fireEvent.change(code, { target: { value: '12ab' } });
    fireEvent.click(screen.getByTestId('staff-login-code-submit'));
    expect(await screen.findByText('请输入验证器上显示的 6 位数字动态验证码')).toBeTruthy();

    fireEvent.change(code, { target: { value: '654321' } });
    fireEvent.click(screen.getByTestId('staff-login-code-submit'));
    expect((await screen.findByRole('alert')).textContent).toContain('再错 4 次');

    fireEvent.change(screen.getByLabelText('动态验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('staff-login-code-submit'));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(me));
    expect(calls.at(-1)).toEqual({ path: '/api/staff/login/totp', body: { challenge: 'ch-1', code: '123456' } });
  });

  it('an expired password leads to the change-password step before signing in', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        calls.push(path);
        if (path === '/api/staff/login') return json({ ...me, mustChangePassword: true });
        if (path === '/api/staff/password') return json({ ok: true });
        if (path === '/api/staff/me') return json(me);
        return json({}, 404);
      }),
    );
    const onSignedIn = vi.fn();
    render(
      <AppProvider>
        <StaffLoginForm title="征纳互动管理端" onSignedIn={onSignedIn} />
      </AppProvider>,
    );
    await signIn();
    expect(await screen.findByText('您的密码已过期，请设置新密码后继续使用。')).toBeTruthy();
    expect(onSignedIn).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'Renewed#2026x' } });
    fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: 'Renewed#2026x' } });
    fireEvent.click(screen.getByTestId('password-submit'));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(me));
    expect(calls).toEqual(['/api/staff/login', '/api/staff/password', '/api/staff/me']);
  });
});

describe('StaffLoginForm after a session an administrator ended', () => {
  it('says why above the form', () => {
    render(
      <AppProvider>
        <StaffLoginForm title="征纳互动坐席工作台" notice="登录已失效：您的账号已被管理员停用。" onSignedIn={vi.fn()} />
      </AppProvider>,
    );
    const notice = screen.getByTestId('staff-login-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('您的账号已被管理员停用');
    expect(screen.getByLabelText('用户名')).toBeTruthy();
  });
});
