import type { TEntryContent, TEntryDetail, TEntryRevision } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import {
  canRollbackTo,
  detailStatusOf,
  ENTRY_STATUS_LABELS,
  editableContentOf,
  emptyEntryValues,
  entryFieldErrors,
  entryIdError,
  entryStatusOf,
  linesOf,
  REVISION_ACTION_LABELS,
  textOf,
  toEntryContent,
  valuesOfContent,
} from './entry-form.ts';

const content: TEntryContent = {
  topic: 'fapiao',
  question: '如何开具增值税专用发票？',
  similar: ['专票怎么开', '专用发票在哪里开'],
  answer: '登录电子税务局。\n进入开票业务。',
  documents: ['DOC-1'],
  audience: { taxpayerTypes: ['general'], industries: ['批发业'], regions: ['济南市'] },
  keywords: ['专票'],
};

describe('lines ↔ arrays', () => {
  it('keeps the lines that hold something, trimmed', () => {
    expect(linesOf('  专票怎么开 \r\n\n 专用发票在哪里开\n   ')).toEqual(['专票怎么开', '专用发票在哪里开']);
    expect(linesOf('')).toEqual([]);
    expect(linesOf(undefined)).toEqual([]);
    expect(textOf(['a', 'b'])).toBe('a\nb');
  });
});

describe('form values ↔ ZEntryContent', () => {
  it('round-trips an entry’s content', () => {
    const values = valuesOfContent(content);
    expect(values.similar).toBe('专票怎么开\n专用发票在哪里开');
    expect(values.taxpayerTypes).toEqual(['general']);
    expect(toEntryContent(values)).toEqual({ ok: true, content });
  });

  it('trims, drops blank lines and keeps one of each repeated value', () => {
    const parsed = toEntryContent({
      ...valuesOfContent(content),
      question: '  如何开具增值税专用发票？ ',
      similar: '专票怎么开\n\n专票怎么开\n 专用发票在哪里开 ',
      keywords: ['专票', ' 专票 ', ''],
    });
    expect(parsed.ok && parsed.content.similar).toEqual(['专票怎么开', '专用发票在哪里开']);
    expect(parsed.ok && parsed.content.question).toBe('如何开具增值税专用发票？');
    expect(parsed.ok && parsed.content.keywords).toEqual(['专票']);
  });

  it('reports the contract’s Chinese messages by form field', () => {
    const parsed = toEntryContent({ ...emptyEntryValues(), similar: 'x'.repeat(501) });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.topic).toBe('请选择专题');
    expect(parsed.errors.question).toBe('标准问题不能为空');
    expect(parsed.errors.answer).toBe('答案不能为空');
    expect(parsed.errors.similar).toBe('第 1 条相似问题：相似问题不能超过 500 字');
  });

  it('prefills a new entry’s 标准问题 (from a 未解决问题)', () => {
    expect(emptyEntryValues({ question: '个体户怎么申报？' })).toMatchObject({
      question: '个体户怎么申报？',
      topic: undefined,
      similar: '',
      taxpayerTypes: [],
    });
  });

  it('checks a new entry’s optional 编号', () => {
    expect(entryIdError('')).toBeUndefined();
    expect(entryIdError('KB-fapiao-101')).toBeUndefined();
    expect(entryIdError('发票 1')).toBe('编号只能包含字母、数字、下划线和连字符（最多 64 个）');
  });

  it('maps the server’s field paths onto the form', () => {
    expect(
      entryFieldErrors({
        'content.similar.2': '相似问题不能为空',
        'content.audience.regions.0': '地区不能超过 50 字',
        'content.question': '标准问题不能为空',
        version: '格式不正确',
      }),
    ).toEqual({
      similar: '第 3 条相似问题：相似问题不能为空',
      regions: '地区不能超过 50 字',
      question: '标准问题不能为空',
      _: '格式不正确',
    });
  });
});

const detail = (over: Partial<TEntryDetail> = {}): TEntryDetail => ({
  id: 'KB-fapiao-1',
  status: 'published',
  version: 3,
  revision: 2,
  updatedAt: '2026-05-20T01:02:03.000Z',
  content,
  draft: null,
  draftBy: null,
  draftAt: null,
  ...over,
});

describe('statuses and revisions', () => {
  it('labels the three states in words', () => {
    expect(ENTRY_STATUS_LABELS[entryStatusOf({ status: 'published', hasDraft: false })]).toBe('已发布');
    expect(ENTRY_STATUS_LABELS[entryStatusOf({ status: 'published', hasDraft: true })]).toBe('有未发布修改');
    expect(ENTRY_STATUS_LABELS[entryStatusOf({ status: 'draft', hasDraft: false })]).toBe('草稿');
    expect(detailStatusOf(detail({ draft: { ...content, answer: '新答案' } }))).toBe('changed');
    expect(REVISION_ACTION_LABELS.rollback).toBe('回滚');
    expect(REVISION_ACTION_LABELS.unpublish).toBe('下线');
  });

  it('edits the draft of a published entry, else its content', () => {
    const draft = { ...content, answer: '新答案' };
    expect(editableContentOf(detail({ draft }))).toBe(draft);
    expect(editableContentOf(detail())).toBe(content);
  });

  it('offers 回滚 to every revision but the one answering now', () => {
    const revision = (n: number): TEntryRevision => ({
      revision: n,
      action: 'publish',
      content,
      staffName: '系统管理员',
      note: '',
      createdAt: '2026-05-20T01:02:03.000Z',
    });
    expect(canRollbackTo(revision(2), detail())).toBe(false);
    expect(canRollbackTo(revision(1), detail())).toBe(true);
    // withdrawn: publishing the last revision again is a rollback too
    expect(canRollbackTo(revision(2), detail({ status: 'draft' }))).toBe(true);
  });
});
