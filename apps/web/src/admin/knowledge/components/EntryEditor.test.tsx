// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TEntryContent, TEntryDetail, TEntryRevision } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { EntryEditor } from './EntryEditor.tsx';

const published: TEntryContent = {
  topic: 'fapiao',
  question: '如何开具增值税专用发票？',
  similar: ['专票怎么开'],
  answer: '登录电子税务局，进入开票业务。',
  documents: [],
  audience: { taxpayerTypes: ['general'], industries: [], regions: [] },
  keywords: ['专票'],
};
const draft: TEntryContent = { ...published, answer: '登录电子税务局，进入“开票业务”模块开具。' };

const detail = (over: Partial<TEntryDetail> = {}): TEntryDetail => ({
  id: 'KB-fapiao-1',
  status: 'published',
  version: 7,
  revision: 3,
  updatedAt: '2026-05-20T01:02:03.000Z',
  content: published,
  draft,
  draftBy: '系统管理员',
  draftAt: '2026-05-20T01:02:03.000Z',
  ...over,
});

const revisions: TEntryRevision[] = [
  {
    revision: 3,
    action: 'publish',
    content: published,
    staffName: '系统管理员',
    note: '更新答案',
    createdAt: '2026-05-19T01:02:03.000Z',
  },
  {
    revision: 2,
    action: 'import',
    content: { ...published, answer: '旧答案' },
    staffName: '系统管理员',
    note: '',
    createdAt: '2026-05-18T01:02:03.000Z',
  },
];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

interface Call {
  path: string;
  method: string;
  body?: unknown;
}

/** A server with one entry; `onWrite` answers every POST/PUT. */
function mockServer(entry: () => TEntryDetail, onWrite: (call: Call) => Response) {
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
      if (url.pathname === '/api/admin/knowledge/topics')
        return json({
          topics: [{ id: 'fapiao', name: '发票', description: '', entries: 1, updatedAt: '2026-05-01T00:00:00.000Z' }],
        });
      if (url.pathname === '/api/admin/knowledge/document-options')
        return json({ documents: [{ id: 'DOC-1', title: '发票管理办法' }] });
      if (url.pathname.endsWith('/revisions')) return json({ revisions });
      if (url.pathname === '/api/admin/knowledge/entries/KB-fapiao-1') return json(entry());
      return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
    }),
  );
  return calls;
}

const renderEditor = (props: Partial<Parameters<typeof EntryEditor>[0]> = {}) => {
  const onChanged = vi.fn();
  render(
    <AppProvider>
      <EntryEditor
        entryId="KB-fapiao-1"
        canEdit
        onClose={() => {}}
        onChanged={onChanged}
        onSessionExpired={() => {}}
        {...props}
      />
    </AppProvider>,
  );
  return { onChanged };
};

/** A modal by its title (in tests antd gives every dialog the same aria-labelledby id, so names are not unique). */
async function findDialog(title: string): Promise<HTMLElement> {
  const heading = await screen.findByText(title, { selector: '.ant-modal-title' });
  return heading.closest('[role="dialog"]') as HTMLElement;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('EntryEditor', { timeout: 30_000 }, () => {
  it('shows that a published entry has an unpublished draft and edits the draft', async () => {
    mockServer(detail, () => json({}, 500));
    renderEditor();
    const notice = await screen.findByTestId('entry-status-notice');
    expect(notice.textContent).toContain('该条目有未发布的修改，机器人仍使用已发布内容');
    expect(notice.textContent).toContain('有未发布修改');
    expect(screen.getByText('知识条目 KB-fapiao-1', { selector: '.ant-drawer-title' })).toBeTruthy();
    await waitFor(() => expect((screen.getByLabelText('答案') as HTMLTextAreaElement).value).toBe(draft.answer));
    expect((screen.getByLabelText('相似问题') as HTMLTextAreaElement).value).toBe('专票怎么开');
    expect(screen.getByRole('button', { name: '放弃修改' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '下线' })).toBeTruthy();
  });

  it('发布 sends the version the entry was loaded with and the note', async () => {
    const calls = mockServer(detail, (call) =>
      call.path.endsWith('/publish')
        ? json(detail({ version: 8, revision: 4, content: draft, draft: null, draftBy: null, draftAt: null }))
        : json({}, 500),
    );
    const { onChanged } = renderEditor();
    await screen.findByTestId('entry-status-notice');
    fireEvent.click(screen.getByRole('button', { name: '发布' }));
    const dialog = await findDialog('发布知识条目');
    fireEvent.change(within(dialog).getByLabelText('说明（可选）'), { target: { value: '补充开票入口' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '确定发布' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    const publish = calls.find((c) => c.path === '/api/admin/knowledge/entries/KB-fapiao-1/publish');
    expect(publish?.method).toBe('POST');
    expect(publish?.body).toEqual({ version: 7, note: '补充开票入口' });
    // nothing was edited, so nothing was saved first
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    await waitFor(() =>
      expect(screen.getByTestId('entry-status-notice').getAttribute('data-status')).toBe('published'),
    );
  });

  it('a 409 shows the conflict message and 刷新 reloads the entry', async () => {
    let current = detail();
    const calls = mockServer(
      () => current,
      () => json({ code: 'VERSION_CONFLICT', message: '该条目已被他人修改，请刷新后再修改。' }, 409),
    );
    renderEditor();
    await screen.findByTestId('entry-status-notice');
    fireEvent.click(screen.getByRole('button', { name: '下线' }));
    const dialog = await findDialog('下线知识条目');
    fireEvent.click(within(dialog).getByRole('button', { name: '确定下线' }));
    const conflict = await screen.findByTestId('entry-conflict');
    expect(conflict.textContent).toContain('该条目已被他人修改，请刷新后再修改。');
    current = detail({ version: 9, draft: null, draftBy: null, draftAt: null });
    const loads = () => calls.filter((c) => c.path === '/api/admin/knowledge/entries/KB-fapiao-1').length;
    const before = loads();
    fireEvent.click(within(conflict).getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(screen.queryByTestId('entry-conflict')).toBeNull());
    expect(loads()).toBe(before + 1);
    await waitFor(() => expect((screen.getByLabelText('答案') as HTMLTextAreaElement).value).toBe(published.answer));
  });

  it('checks the content with the contract before saving, in Chinese beside the field', async () => {
    const calls = mockServer(detail, () => json({}, 500));
    renderEditor();
    await screen.findByTestId('entry-status-notice');
    await waitFor(() => expect((screen.getByLabelText('答案') as HTMLTextAreaElement).value).toBe(draft.answer));
    fireEvent.change(screen.getByLabelText('标准问题'), { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    expect((await screen.findByTestId('entry-error-summary')).textContent).toContain('标准问题不能为空');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('creates a draft from a 未解决问题 with the question prefilled', async () => {
    const calls = mockServer(detail, (call) =>
      call.path === '/api/admin/knowledge/entries'
        ? json(detail({ status: 'draft', revision: 0, version: 1, draft: null, draftBy: null, draftAt: null }))
        : json({}, 500),
    );
    const { onChanged } = renderEditor({
      entryId: null,
      prefill: { question: '个体户怎么申报？', fromUnansweredId: '00000000-0000-4000-8000-000000000001' },
    });
    expect(await screen.findByText('新建知识条目', { selector: '.ant-drawer-title' })).toBeTruthy();
    expect((screen.getByLabelText('标准问题') as HTMLInputElement).value).toBe('个体户怎么申报？');
    // the topic is required
    fireEvent.change(screen.getByLabelText('答案'), { target: { value: '按月或按季申报。' } });
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    expect((await screen.findByTestId('entry-error-summary')).textContent).toContain('请选择专题');
    fireEvent.mouseDown(screen.getByLabelText('专题'));
    fireEvent.click(await screen.findByText('发票', { selector: '.ant-select-item-option-content' }));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    const create = calls.find((c) => c.path === '/api/admin/knowledge/entries' && c.method === 'POST');
    expect(create?.body).toEqual({
      content: {
        topic: 'fapiao',
        question: '个体户怎么申报？',
        similar: [],
        answer: '按月或按季申报。',
        documents: [],
        audience: { taxpayerTypes: [], industries: [], regions: [] },
        keywords: [],
      },
      fromUnansweredId: '00000000-0000-4000-8000-000000000001',
    });
    // now the entry exists: its status is shown and its history can be opened
    await waitFor(() => expect(screen.getByTestId('entry-status-notice').getAttribute('data-status')).toBe('draft'));
  });

  it('lists the revisions with 回滚到此版本 for earlier ones', async () => {
    mockServer(detail, () => json({}, 500));
    renderEditor();
    await screen.findByTestId('entry-status-notice');
    fireEvent.click(screen.getByRole('tab', { name: '变更历史' }));
    const rows = await screen.findAllByTestId('entry-revision');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('第 3 版');
    expect(rows[0]?.textContent).toContain('当前版本');
    expect(within(rows[1] as HTMLElement).getByRole('button', { name: '回滚到此版本' })).toBeTruthy();
    expect(rows[1]?.textContent).toContain('导入');
  });

  it('is read-only for supervisors: no write buttons', async () => {
    mockServer(detail, () => json({}, 500));
    renderEditor({ canEdit: false });
    await screen.findByTestId('entry-readonly');
    expect(screen.queryByRole('button', { name: '发布' })).toBeNull();
    expect(screen.queryByRole('button', { name: '保存草稿' })).toBeNull();
  });
});
