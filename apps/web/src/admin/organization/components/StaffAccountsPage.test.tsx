// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TStaffAccount } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { StaffAccountsPage } from './StaffAccountsPage.tsx';
import { TemporaryPasswordDialog } from './TemporaryPasswordDialog.tsx';

const ME = '00000000-0000-4000-8000-0000000000a1';
const account = (id: string, over: Partial<TStaffAccount> = {}): TStaffAccount => ({
  id,
  username: `user${id.slice(-2)}`,
  name: '张敏',
  role: 'agent',
  officeId: '13701000000',
  officeName: '国家税务总局济南市税务局',
  active: true,
  mustChangePassword: false,
  locked: false,
  totpEnabled: false,
  presence: 'away',
  maxConcurrent: 5,
  createdAt: '2026-05-01T00:00:00.000Z',
  version: 1,
  ...over,
});
const ACCOUNTS = [
  account('00000000-0000-4000-8000-000000000001'),
  account(ME, { username: 'admin', name: '系统管理员', role: 'admin' }),
];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let staffCalls: URL[] = [];
let puts: { url: URL; body: unknown }[] = [];
function mockFetch() {
  staffCalls = [];
  puts = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/api/admin/tax-offices') {
        return json({ offices: [{ id: '13701000000', name: '国家税务总局济南市税务局', parentId: null, version: 1 }] });
      }
      if (init?.method === 'PUT') {
        puts.push({ url, body: JSON.parse(String(init.body)) });
        return json({ code: 'VERSION_CONFLICT', message: '该账号已被他人修改，请刷新后再修改。' }, 409);
      }
      if (url.pathname === '/api/admin/staff' && init?.method === 'POST') {
        return json({
          account: account('00000000-0000-4000-8000-000000000009'),
          temporaryPassword: 'Tmp#Pass2345abcd',
        });
      }
      staffCalls.push(url);
      return json({ items: ACCOUNTS, total: 2, page: 1, pageSize: 20 });
    }),
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const renderPage = (canEdit: boolean) =>
  render(
    <AppProvider>
      <StaffAccountsPage canEdit={canEdit} myStaffId={ME} onSessionExpired={() => {}} />
    </AppProvider>,
  );

// antd's first render of a table takes seconds on a loaded machine
describe('StaffAccountsPage', { timeout: 20_000 }, () => {
  it('labels its search and filters, and offers an admin the row actions except on their own row', async () => {
    mockFetch();
    renderPage(true);
    for (const label of ['搜索用户名或姓名', '按角色筛选', '按税务机关筛选', '按状态筛选'])
      expect(screen.getByLabelText(label)).toBeTruthy();
    const table = await screen.findByRole('table');
    await waitFor(() => expect(within(table).getAllByTestId('staff-row')).toHaveLength(2));
    for (const name of ['编辑 张敏', '重置密码 张敏', '强制下线 张敏', '停用 张敏'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('button', { name: '编辑 系统管理员' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '停用 系统管理员' })).toBeNull();
    expect(screen.queryByRole('button', { name: '重置密码 系统管理员' })).toBeNull();

    fireEvent.change(screen.getByLabelText('搜索用户名或姓名'), { target: { value: ' 张 ' } });
    fireEvent.click(screen.getByRole('button', { name: /搜索/ }));
    await waitFor(() => expect(staffCalls.at(-1)?.searchParams.get('q')).toBe('张'));
  });

  it('edits an account based on the version it showed, and says so when someone else saved first', async () => {
    mockFetch();
    renderPage(true);
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: '编辑 张敏' }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    const name = within(dialog).getByLabelText('姓名') as HTMLInputElement;
    expect(name.value).toBe('张敏');
    fireEvent.change(name, { target: { value: '张敏敏' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.url.pathname).toBe('/api/admin/staff/00000000-0000-4000-8000-000000000001');
    expect(puts[0]?.body).toEqual({
      version: 1,
      name: '张敏敏',
      role: 'agent',
      officeId: '13701000000',
      active: true,
      maxConcurrent: 5,
    });
    expect((await within(dialog).findByTestId('staff-edit-error')).textContent).toContain('该账号已被他人修改');
  });

  it('shows a supervisor the accounts read-only', async () => {
    mockFetch();
    renderPage(false);
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(2));
    expect(screen.getByTestId('staff-readonly')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '新建账号' })).toBeNull();
    expect(screen.queryByRole('button', { name: /重置密码/ })).toBeNull();
  });

  it('checks the new account’s form in Chinese before sending it', async () => {
    mockFetch();
    renderPage(true);
    await waitFor(() => expect(screen.getAllByTestId('staff-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    // rc-util gives every generated id the same value under test, so the dialog is found by role, then its title
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    expect(within(dialog).getByText('新建账号')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('用户名'), { target: { value: 'new.agent' } });
    fireEvent.change(within(dialog).getByLabelText('姓名'), { target: { value: '赵新' } });
    // the office is required: the form says so before anything is sent
    fireEvent.click(within(dialog).getByRole('button', { name: '创建' }));
    expect(await within(dialog).findByText('请选择所属税务机关')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('用户名'), { target: { value: '张三丰x' } });
    expect(await within(dialog).findByText(/用户名只能包含字母、数字/)).toBeTruthy();
  });
});

describe('TemporaryPasswordDialog', { timeout: 20_000 }, () => {
  it('shows the password once under a title, and 复制 puts it on the clipboard', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const onClose = vi.fn();
    render(
      <AppProvider>
        <TemporaryPasswordDialog
          shown={{ title: '账号已创建', account: ACCOUNTS[0] as TStaffAccount, password: 'Tmp#Pass2345abcd' }}
          onClose={onClose}
        />
      </AppProvider>,
    );
    const dialog = await screen.findByRole('dialog', { name: '账号已创建' });
    expect(within(dialog).getByTestId('temporary-password').textContent).toBe('Tmp#Pass2345abcd');
    expect(dialog.textContent).toContain('临时密码只显示这一次');
    fireEvent.click(within(dialog).getByRole('button', { name: '复制' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('Tmp#Pass2345abcd'));
    fireEvent.click(within(dialog).getByRole('button', { name: '我已记下，关闭' }));
    expect(onClose).toHaveBeenCalled();
  });
});
