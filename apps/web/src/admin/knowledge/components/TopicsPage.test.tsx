// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import type { TKnowledgeTopic } from '../api/knowledge-api.ts';
import { TopicsPage } from './TopicsPage.tsx';

const topic = (id: string, over: Partial<TKnowledgeTopic> = {}): TKnowledgeTopic => ({
  id,
  name: `专题 ${id}`,
  description: '',
  entries: 3,
  updatedAt: '2026-05-01T00:00:00.000Z',
  ...over,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

interface Call {
  path: string;
  method: string;
  body?: unknown;
}

/** A server listing `list()`; `onWrite` answers every POST/PUT. */
function mockServer(list: () => TKnowledgeTopic[], onWrite: (call: Call) => Response) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const call = {
        path: url.pathname,
        method: init.method ?? 'GET',
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      if (call.method !== 'GET') return onWrite(call);
      if (url.pathname === '/api/admin/knowledge/topics') return json({ topics: list() });
      return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
    }),
  );
  return calls;
}

const renderPage = (canEdit = true) =>
  render(
    <AppProvider>
      <TopicsPage canEdit={canEdit} onSessionExpired={() => {}} />
    </AppProvider>,
  );

/** A modal by its title (in tests antd gives every dialog the same aria-labelledby id, so names are not unique). */
async function findDialog(title: string): Promise<HTMLElement> {
  const heading = await screen.findByText(title, { selector: '.ant-modal-title' });
  return heading.closest('[role="dialog"]') as HTMLElement;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('TopicsPage', { timeout: 30_000 }, () => {
  it('lists the topics with their entry counts in a captioned table', async () => {
    mockServer(
      () => [topic('fapiao', { name: '发票', description: '开票、验票', entries: 12 }), topic('geshui')],
      () => json({}, 500),
    );
    renderPage();
    const rows = await screen.findAllByTestId('topic-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('发票');
    expect(rows[0]?.textContent).toContain('开票、验票');
    expect(rows[0]?.textContent).toContain('12');
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toBe('专题列表');
    expect(within(rows[0] as HTMLElement).getByRole('button', { name: '编辑专题“发票”' })).toBeTruthy();
  });

  it('新建专题 creates a topic and lists it', async () => {
    let topics = [topic('fapiao', { name: '发票' })];
    const calls = mockServer(
      () => topics,
      (call) => {
        const created = topic('shebao', { name: '社保', description: '社会保险费', entries: 0 });
        topics = [...topics, created];
        return call.path === '/api/admin/knowledge/topics' ? json(created) : json({}, 500);
      },
    );
    renderPage();
    await screen.findAllByTestId('topic-row');
    fireEvent.click(screen.getByRole('button', { name: '新建专题' }));
    const dialog = await findDialog('新建专题');
    fireEvent.change(within(dialog).getByLabelText('编号'), { target: { value: ' shebao ' } });
    fireEvent.change(within(dialog).getByLabelText('名称'), { target: { value: '社保' } });
    fireEvent.change(within(dialog).getByLabelText('说明'), { target: { value: '社会保险费' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '创建' }));
    await waitFor(() => expect(screen.getAllByTestId('topic-row')).toHaveLength(2));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/admin/knowledge/topics',
      body: { id: 'shebao', name: '社保', description: '社会保险费' },
    });
    await waitFor(() => expect(screen.queryByText('新建专题', { selector: '.ant-modal-title' })).toBeNull());
  });

  it('shows the server’s message when the 编号 is taken', async () => {
    mockServer(
      () => [topic('fapiao', { name: '发票' })],
      () => json({ code: 'VALIDATION_FAILED', message: '专题编号 fapiao 已存在，请换一个编号。' }, 400),
    );
    renderPage();
    await screen.findAllByTestId('topic-row');
    fireEvent.click(screen.getByRole('button', { name: '新建专题' }));
    const dialog = await findDialog('新建专题');
    fireEvent.change(within(dialog).getByLabelText('编号'), { target: { value: 'fapiao' } });
    fireEvent.change(within(dialog).getByLabelText('名称'), { target: { value: '发票二' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '创建' }));
    expect((await within(dialog).findByTestId('topic-dialog-error')).textContent).toContain(
      '专题编号 fapiao 已存在，请换一个编号。',
    );
  });

  it('编辑 sends the updatedAt it showed; a 409 shows the message and 刷新 loads the newer topic', async () => {
    let topics = [topic('fapiao', { name: '发票', description: '旧说明' })];
    let conflict = true;
    const calls = mockServer(
      () => topics,
      (call) =>
        conflict
          ? json({ code: 'VERSION_CONFLICT', message: '该专题已被他人修改，请刷新后再修改。' }, 409)
          : json({ ...topic('fapiao'), ...(call.body as object), updatedAt: '2026-05-03T00:00:00.000Z' }),
    );
    renderPage();
    const [row] = await screen.findAllByTestId('topic-row');
    fireEvent.click(within(row as HTMLElement).getByRole('button', { name: '编辑专题“发票”' }));
    const dialog = await findDialog('编辑专题：发票');
    expect(within(dialog).queryByLabelText('编号')).toBeNull();
    fireEvent.change(within(dialog).getByLabelText('名称'), { target: { value: '发票管理' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    const alert = await within(dialog).findByTestId('topic-conflict');
    expect(alert.textContent).toContain('该专题已被他人修改，请刷新后再修改。');
    expect(calls.find((c) => c.method === 'PUT')).toMatchObject({
      path: '/api/admin/knowledge/topics/fapiao',
      body: { name: '发票管理', description: '旧说明', updatedAt: '2026-05-01T00:00:00.000Z' },
    });

    // someone renamed it meanwhile: 刷新 brings their version into the form and the next 保存 sends its updatedAt
    topics = [topic('fapiao', { name: '发票业务', description: '新说明', updatedAt: '2026-05-02T00:00:00.000Z' })];
    conflict = false;
    fireEvent.click(within(alert).getByRole('button', { name: '刷新' }));
    await waitFor(() => expect((within(dialog).getByLabelText('名称') as HTMLInputElement).value).toBe('发票业务'));
    expect(within(dialog).queryByTestId('topic-conflict')).toBeNull();
    expect((within(dialog).getByLabelText('说明') as HTMLTextAreaElement).value).toBe('新说明');
    fireEvent.click(await within(dialog).findByRole('button', { name: '保存' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    const put = calls.filter((c) => c.method === 'PUT').at(-1);
    expect(put?.body).toEqual({ name: '发票业务', description: '新说明', updatedAt: '2026-05-02T00:00:00.000Z' });
  });

  it('is read-only for supervisors: no 新建专题 and no 编辑', async () => {
    mockServer(
      () => [topic('fapiao', { name: '发票' })],
      () => json({}, 500),
    );
    renderPage(false);
    await screen.findAllByTestId('topic-row');
    expect(screen.getByTestId('topics-readonly')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '新建专题' })).toBeNull();
    expect(screen.queryByTestId('topic-edit')).toBeNull();
  });
});
