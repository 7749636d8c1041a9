// @vitest-environment happy-dom

import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { TImportReport } from '@zhengna/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '../../../shared/i18n/AppProvider.tsx';
import { ImportExportPage } from './ImportExportPage.tsx';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function mockImport(report: TImportReport) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit = {}) => {
      calls.push({ path, body: JSON.parse(String(init.body)) });
      return json(report);
    }),
  );
  return calls;
}

const renderPage = (canEdit = true) =>
  render(
    <AppProvider>
      <ImportExportPage canEdit={canEdit} onSessionExpired={() => {}} />
    </AppProvider>,
  );

const chooseSpreadsheet = (file: File) => {
  fireEvent.click(screen.getByLabelText('电子表格（CSV 或 Excel .xlsx，仅知识条目）'));
  fireEvent.change(screen.getByLabelText('表格文件（.csv 或 .xlsx）'), { target: { files: [file] } });
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('ImportExportPage', { timeout: 20_000 }, () => {
  it('imports an .xlsx as base64, as drafts, and shows the count', async () => {
    const calls = mockImport({ ok: true, entries: 12, topics: 0, documents: 0, errors: [] });
    renderPage();
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff]);
    chooseSpreadsheet(new File([bytes], '知识库.xlsx'));
    fireEvent.click(screen.getByLabelText('导入为草稿（发布后才生效）'));
    fireEvent.click(screen.getByRole('button', { name: '导入' }));
    const report = await screen.findByTestId('kb-import-report');
    expect(report.getAttribute('data-ok')).toBe('true');
    expect(report.textContent).toContain('12 条');
    expect(report.textContent).toContain('草稿');
    expect(calls[0]?.path).toBe('/api/admin/knowledge/import-table');
    expect(calls[0]?.body).toEqual({ format: 'xlsx', data: Buffer.from(bytes).toString('base64'), asDraft: true });
  });

  it('shows every row’s problem and says that nothing was imported', async () => {
    const calls = mockImport({
      ok: false,
      entries: 0,
      topics: 0,
      documents: 0,
      errors: [
        { file: 'kb.csv', line: 3, message: '答案不能为空' },
        { file: 'kb.csv', line: 7, message: '纳税人类型“企业”不正确，应为一般纳税人、小规模纳税人、自然人' },
      ],
    });
    renderPage();
    chooseSpreadsheet(new File(['\uFEFF编号,专题,标准问题,答案\r\nKB-1,发票,如何开票,\r\n'], 'kb.csv'));
    fireEvent.click(screen.getByRole('button', { name: '导入' }));
    const report = await screen.findByTestId('kb-import-report');
    expect(report.getAttribute('data-ok')).toBe('false');
    expect(within(report).getByRole('alert').textContent).toContain('本次没有导入任何内容');
    const table = screen.getByTestId('kb-import-errors');
    expect(within(table).getByText('问题')).toBeTruthy();
    expect(within(table).getByText('答案不能为空')).toBeTruthy();
    expect(within(table).getByText('7')).toBeTruthy();
    expect(calls[0]?.body).toMatchObject({ format: 'csv', data: '编号,专题,标准问题,答案\r\nKB-1,发票,如何开票,\r\n' });
    expect(calls[0]?.body.asDraft).toBe(false);
  });

  it('refuses an old .xls before sending', async () => {
    const calls = mockImport({ ok: true, entries: 0, topics: 0, documents: 0, errors: [] });
    renderPage();
    chooseSpreadsheet(new File(['x'], 'kb.xls'));
    fireEvent.click(screen.getByRole('button', { name: '导入' }));
    expect((await screen.findByRole('alert')).textContent).toContain('另存为 .xlsx');
    expect(calls).toHaveLength(0);
  });

  it('offers the entries as Excel and CSV and the header-only template', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:template';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    renderPage();
    expect(screen.getByRole('link', { name: '导出 Excel（.xlsx）' }).getAttribute('href')).toBe(
      '/api/admin/knowledge/export?file=kb&format=xlsx',
    );
    expect(screen.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toBe(
      '/api/admin/knowledge/export?file=kb&format=csv',
    );
    const link = screen.getByRole('link', { name: '下载导入模板' });
    expect(link.getAttribute('download')).toBe('知识条目导入模板.csv');
    expect(created).toHaveLength(1);
    expect(await created[0]?.text()).toContain('编号,专题,标准问题,相似问题,答案');
  });

  it('leaves import to administrators', () => {
    renderPage(false);
    expect(screen.getByTestId('kb-import-readonly').textContent).toContain('系统管理员');
    expect(screen.queryByRole('button', { name: '导入' })).toBeNull();
  });
});
