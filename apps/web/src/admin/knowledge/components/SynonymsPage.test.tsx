// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { TSynonymGroups } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { SynonymsPage } from './SynonymsPage.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

interface Call {
  method: string;
  body?: unknown;
}

/** A server holding `stored()`; `onSave` answers every PUT. */
function mockServer(stored: () => TSynonymGroups, onSave: (body: TSynonymGroups) => Response) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const call = { method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      if (url.pathname !== '/api/admin/knowledge/synonyms') return json({ code: 'NOT_FOUND', message: '未找到' }, 404);
      return call.method === 'PUT' ? onSave(call.body as TSynonymGroups) : json(stored());
    }),
  );
  return calls;
}

const initial: TSynonymGroups = {
  groups: [
    ['个税', '个人所得税'],
    ['增值税专用发票', '专票', '增票'],
  ],
  version: 'v1',
};

const renderPage = (canEdit = true) =>
  render(
    <AppProvider>
      <SynonymsPage canEdit={canEdit} onSessionExpired={() => {}} />
    </AppProvider>,
  );

const textarea = () => screen.getByLabelText('同义词组，每行一组') as HTMLTextAreaElement;
const loaded = async () => waitFor(() => expect(textarea().value).not.toBe(''));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('SynonymsPage', { timeout: 30_000 }, () => {
  it('loads the groups into the textarea, one per line, with their count', async () => {
    mockServer(
      () => initial,
      () => json({}, 500),
    );
    renderPage();
    await loaded();
    expect(textarea().value).toBe('个税、个人所得税\n增值税专用发票、专票、增票');
    expect(screen.getByTestId('synonyms-count').textContent).toContain('共 2 组');
    // nothing to save until something changes
    expect((screen.getByRole('button', { name: '保存' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('保存 sends the parsed groups and the version it loaded, then shows the saved list', async () => {
    const saved: TSynonymGroups = {
      groups: [
        ['个税', '个人所得税'],
        ['社保', '社会保险费'],
        ['增值税专用发票', '专票', '增票'],
      ],
      version: 'v2',
    };
    const calls = mockServer(
      () => initial,
      () => json(saved),
    );
    renderPage();
    await loaded();
    fireEvent.change(textarea(), { target: { value: `${textarea().value}\n\n社保，社会保险费 社保` } });
    expect(screen.getByTestId('synonyms-count').textContent).toContain('共 3 组');
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(textarea().value).toBe('个税、个人所得税\n社保、社会保险费\n增值税专用发票、专票、增票'),
    );
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({
      groups: [
        ['个税', '个人所得税'],
        ['增值税专用发票', '专票', '增票'],
        ['社保', '社会保险费'],
      ],
      version: 'v1',
    });
    // the next save starts from the saved version
    fireEvent.change(textarea(), { target: { value: '个税 个人所得税' } });
    // by test id: happy-dom never ends the fade-out of the loading icon, which keeps "loading" in the button's name
    fireEvent.click(screen.getByTestId('synonyms-save'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toMatchObject({ version: 'v2' });
  });

  it('shows a line with one word before sending anything', async () => {
    const calls = mockServer(
      () => initial,
      () => json({}, 500),
    );
    renderPage();
    await loaded();
    fireEvent.change(textarea(), { target: { value: '个税 个人所得税\n专票' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByTestId('synonyms-errors')).textContent).toContain('第 2 行至少要有两个词');
    expect(textarea().getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    // fixing the line clears the message
    fireEvent.change(textarea(), { target: { value: '个税 个人所得税\n专票 增值税专用发票' } });
    await waitFor(() => expect(screen.queryByTestId('synonyms-errors')).toBeNull());
  });

  it('a 409 shows the message and 刷新 loads what the other person saved', async () => {
    let stored = initial;
    const calls = mockServer(
      () => stored,
      () => json({ code: 'VERSION_CONFLICT', message: '同义词已被他人修改，请刷新后再修改。' }, 409),
    );
    renderPage();
    await loaded();
    fireEvent.change(textarea(), { target: { value: '社保 社会保险费' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    const conflict = await screen.findByTestId('synonyms-conflict');
    expect(conflict.textContent).toContain('同义词已被他人修改，请刷新后再修改。');
    stored = { groups: [['个税', '个人所得税', 'IIT']], version: 'v3' };
    const gets = () => calls.filter((c) => c.method === 'GET').length;
    const before = gets();
    fireEvent.click(within(conflict).getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(textarea().value).toBe('个税、个人所得税、IIT'));
    expect(gets()).toBe(before + 1);
    expect(screen.queryByTestId('synonyms-conflict')).toBeNull();
  });

  it('shows the server’s message when it refuses the list', async () => {
    mockServer(
      () => initial,
      () => json({ code: 'VALIDATION_FAILED', message: '“专票”同时出现在第 1 组和第 2 组，请合并。' }, 400),
    );
    renderPage();
    await loaded();
    fireEvent.change(textarea(), { target: { value: `${textarea().value}\n社保 社会保险费` } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByTestId('synonyms-save-error')).textContent).toContain('请合并');
  });

  it('is read-only for supervisors: no 保存, the text cannot be changed', async () => {
    mockServer(
      () => initial,
      () => json({}, 500),
    );
    renderPage(false);
    await loaded();
    expect(screen.getByTestId('synonyms-readonly')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
    expect(textarea().readOnly).toBe(true);
  });
});
