// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TAuditEntry, TAuditPage } from '@zhengna/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';

const entry = (id: string, over: Partial<TAuditEntry> = {}): TAuditEntry => ({
  id,
  at: '2026-05-20T01:02:03.000Z',
  staffId: '00000000-0000-4000-8000-0000000000a1',
  staffName: '王管理',
  role: 'admin',
  kind: 'change',
  action: 'settings.handoff.update',
  targetType: 'setting',
  targetId: 'handoff',
  result: 'ok',
  status: '200',
  ip: '10.0.0.8',
  request: 'PUT /api/admin/settings/handoff',
  ...over,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let auditCalls: URL[] = [];

function mockFetch(pages: TAuditPage[] | ((url: URL) => Response)) {
  auditCalls = [];
  let n = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/api/workspace/agents') return json({ agents: [] });
      auditCalls.push(url);
      if (typeof pages === 'function') return pages(url);
      return json(pages[n++] ?? { items: [], nextBefore: null });
    }),
  );
}

beforeEach(() => {
  auditCalls = [];
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const renderPage = (onSessionExpired = () => {}) =>
  render(
    <AppProvider>
      <AuditLogPage onSessionExpired={onSessionExpired} />
    </AppProvider>,
  );

// antd's first render of a table takes seconds on a loaded machine
describe('AuditLogPage', { timeout: 20_000 }, () => {
  it('shows the note, labelled controls and the entries of the first page', async () => {
    mockFetch([
      { items: [entry('30'), entry('29', { result: 'denied', role: 'supervisor', ip: null })], nextBefore: '29' },
    ]);
    renderPage();
    expect(screen.getByText('审计日志只可查询，任何人都不能修改或删除；保存至少 6 个月。')).toBeTruthy();
    for (const label of ['人员', '操作类型', '结果', '操作', '对象编号'])
      expect(screen.getByLabelText(label)).toBeTruthy();
    const table = await screen.findByRole('table', { name: '审计日志' });
    await waitFor(() => expect(within(table).getAllByTestId('audit-row')).toHaveLength(2));
    const first = within(table).getAllByTestId('audit-row')[0] as HTMLElement;
    expect(first.textContent).toContain('2026-05-20 09:02:03');
    expect(first.textContent).toContain('王管理');
    expect(first.textContent).toContain('管理员');
    expect(first.textContent).toContain('修改');
    expect(first.textContent).toContain('setting handoff');
    expect(first.textContent).toContain('成功');
    expect(table.textContent).toContain('被拒绝');
    expect(table.textContent).toContain('班长');
    expect(screen.getByTestId('audit-count').textContent).toBe('已显示 2 条，还有更早的记录');
    expect(auditCalls[0]?.search).toBe('?pageSize=50');
  });

  it('加载更多 asks for the older page with before and appends it', async () => {
    mockFetch([
      { items: [entry('30'), entry('29')], nextBefore: '29' },
      { items: [entry('28', { action: 'taxpayer.read', kind: 'read' })], nextBefore: null },
    ]);
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: /加载更多/ }));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
    expect(auditCalls[1]?.searchParams.get('before')).toBe('29');
    expect(screen.getByTestId('audit-count').textContent).toBe('已显示 3 条，已全部加载');
    expect(screen.queryByRole('button', { name: /加载更多/ })).toBeNull();
  });

  it('searches with the filters that are set and starts from the newest page again', async () => {
    mockFetch([
      { items: [entry('30')], nextBefore: '30' },
      { items: [], nextBefore: null },
    ]);
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('操作'), { target: { value: ' settings. ' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    await waitFor(() => expect(auditCalls).toHaveLength(2));
    expect(Object.fromEntries(auditCalls[1]?.searchParams ?? [])).toEqual({ action: 'settings.', pageSize: '50' });
    expect(await screen.findByText('没有符合条件的审计记录')).toBeTruthy();
  });

  it('shows the server’s Chinese message when the request fails', async () => {
    mockFetch(() => json({ code: 'FORBIDDEN', message: '只有管理员可以查看审计日志。' }, 403));
    const expired = vi.fn();
    renderPage(expired);
    const alert = await screen.findByTestId('audit-error');
    expect(alert.textContent).toContain('只有管理员可以查看审计日志。');
    expect(expired).not.toHaveBeenCalled();
  });
});
