// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { UnansweredPage } from './UnansweredPage.tsx';

const question = {
  id: '00000000-0000-4000-8000-000000000001',
  question: '个体户怎么申报？',
  count: 5,
  lastAskedAt: '2026-05-20T01:02:03.000Z',
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('UnansweredPage', { timeout: 20_000 }, () => {
  it('新建条目 opens the editor with the question as 标准问题', async () => {
    let loads = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        if (url.pathname === '/api/admin/knowledge/unanswered') {
          loads += 1;
          return json({ questions: [question] });
        }
        if (url.pathname === '/api/admin/knowledge/topics') return json({ topics: [] });
        if (url.pathname === '/api/admin/knowledge/document-options') return json({ documents: [] });
        return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
      }),
    );
    render(
      <AppProvider>
        <UnansweredPage canEdit onSessionExpired={() => {}} />
      </AppProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: '新建条目' }));
    expect(await screen.findByText('新建知识条目', { selector: '.ant-drawer-title' })).toBeTruthy();
    await waitFor(() => expect((screen.getByLabelText('标准问题') as HTMLInputElement).value).toBe('个体户怎么申报？'));
    expect(loads).toBe(1);
  });

  it('offers supervisors no 新建条目', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json({ questions: [question] })),
    );
    render(
      <AppProvider>
        <UnansweredPage canEdit={false} onSessionExpired={() => {}} />
      </AppProvider>,
    );
    await screen.findByText('个体户怎么申报？');
    expect(screen.queryByRole('button', { name: '新建条目' })).toBeNull();
  });
});
