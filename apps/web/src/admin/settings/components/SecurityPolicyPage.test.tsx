// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { SecurityPolicyPage } from './SecurityPolicyPage.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const stored = { value: { passwordMinLength: 10, passwordExpiryDays: 90, requireAdminTotp: false }, version: 3 };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderPage(canEdit: boolean, put: (body: unknown) => Response) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_path: string, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        sent.push(body);
        return put(body);
      }
      return json(stored);
    }),
  );
  render(
    <AppProvider>
      <SecurityPolicyPage canEdit={canEdit} onSessionExpired={vi.fn()} />
    </AppProvider>,
  );
  return sent;
}

describe('密码与登录安全', () => {
  it('saves the policy with the version it was read at', async () => {
    const sent = renderPage(true, (body) => json({ ...(body as object), version: 4 }));
    const length = await screen.findByLabelText('密码最短长度');
    // the field appears with the form; its value is set by an effect right after
    await waitFor(() => expect((length as HTMLInputElement).value).toBe('10'));
    fireEvent.change(length, { target: { value: '12' } });
    fireEvent.click(screen.getByRole('switch', { name: '管理员必须启用双因素认证（动态验证码）' }));
    fireEvent.click(screen.getByTestId('security-save'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      value: { passwordMinLength: 12, passwordExpiryDays: 90, requireAdminTotp: true },
      version: 3,
    });
  });

  it('tells of a change someone else saved first', async () => {
    renderPage(true, () => json({ code: 'VERSION_CONFLICT', message: '该设置已被他人修改，请刷新后再修改。' }, 409));
    await screen.findByLabelText('密码最短长度');
    fireEvent.click(screen.getByTestId('security-save'));
    expect(await screen.findByText('该设置已被他人修改，请刷新后再修改。')).toBeTruthy();
  });

  it('is read-only for supervisors', async () => {
    renderPage(false, () => json({}, 403));
    const expiry = await screen.findByLabelText('密码有效期');
    expect((expiry as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId('security-save')).toBeNull();
  });
});
