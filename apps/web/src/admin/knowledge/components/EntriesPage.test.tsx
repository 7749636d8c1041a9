// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TEntryDetail, TEntrySummary } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { EntriesPage } from './EntriesPage.tsx';

const summary = (id: string, over: Partial<TEntrySummary> = {}): TEntrySummary => ({
  id,
  topic: 'fapiao',
  topicName: '发票',
  question: `问题 ${id}`,
  status: 'published',
  hasDraft: false,
  revision: 2,
  version: 4,
  updatedAt: '2026-05-20T01:02:03.000Z',
  ...over,
});

const entry: TEntryDetail = {
  id: 'KB-2',
  status: 'published',
  version: 4,
  revision: 2,
  updatedAt: '2026-05-20T01:02:03.000Z',
  content: {
    topic: 'fapiao',
    question: '问题 KB-2',
    similar: [],
    answer: '答案',
    documents: [],
    audience: { taxpayerTypes: [], industries: [], regions: [] },
    keywords: [],
  },
  draft: null,
  draftBy: null,
  draftAt: null,
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function mockServer() {
  const lists: URLSearchParams[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/api/admin/knowledge/topics')
        return json({
          topics: [{ id: 'fapiao', name: '发票', description: '', entries: 3, updatedAt: '2026-05-01T00:00:00.000Z' }],
        });
      if (url.pathname === '/api/admin/knowledge/document-options') return json({ documents: [] });
      if (url.pathname === '/api/admin/knowledge/entries') {
        lists.push(url.searchParams);
        return json({
          total: 45,
          items: [
            summary('KB-1', { status: 'draft', revision: 0 }),
            summary('KB-2'),
            summary('KB-3', { hasDraft: true }),
          ],
        });
      }
      if (url.pathname === '/api/admin/knowledge/entries/KB-2') return json(entry);
      if (url.pathname.endsWith('/revisions')) return json({ revisions: [] });
      return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
    }),
  );
  return lists;
}

const renderPage = (canEdit = true) =>
  render(
    <AppProvider>
      <EntriesPage canEdit={canEdit} onSessionExpired={() => {}} />
    </AppProvider>,
  );

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('EntriesPage', { timeout: 20_000 }, () => {
  it('lists the entries with their status in words and pages on the server', async () => {
    const lists = mockServer();
    renderPage();
    const rows = await screen.findAllByTestId('entry-row');
    expect(rows.map((r) => within(r).getByTestId('entry-status').textContent)).toEqual([
      '草稿',
      '已发布',
      '有未发布修改',
    ]);
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toBe('知识条目列表');
    expect(screen.getByText('共 45 条')).toBeTruthy();
    expect(lists[0]?.get('page')).toBe('1');
    expect(lists[0]?.get('pageSize')).toBe('20');
    fireEvent.click(screen.getByTitle('3'));
    await waitFor(() => expect(lists.at(-1)?.get('page')).toBe('3'));
  });

  it('searches from page 1 with the words typed', async () => {
    const lists = mockServer();
    renderPage();
    await screen.findAllByTestId('entry-row');
    fireEvent.change(screen.getByLabelText('搜索知识条目'), { target: { value: ' 专票 ' } });
    fireEvent.click(screen.getByRole('button', { name: '搜索' }));
    await waitFor(() => expect(lists.at(-1)?.get('q')).toBe('专票'));
    expect(lists.at(-1)?.get('page')).toBe('1');
  });

  it('opens an entry from its row and offers 新建条目 to administrators', async () => {
    mockServer();
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: '问题 KB-2' }));
    expect(await screen.findByText('知识条目 KB-2', { selector: '.ant-drawer-title' })).toBeTruthy();
    expect((await screen.findByTestId('entry-status-notice')).getAttribute('data-status')).toBe('published');
    expect(screen.getByRole('button', { name: '新建条目' })).toBeTruthy();
  });

  it('shows supervisors no 新建条目', async () => {
    mockServer();
    renderPage(false);
    await screen.findAllByTestId('entry-row');
    expect(screen.queryByRole('button', { name: '新建条目' })).toBeNull();
  });
});
