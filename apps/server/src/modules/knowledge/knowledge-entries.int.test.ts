/**
 * 知识条目 in the console: drafts that do not answer, publishing that answers at once, edits that wait as drafts,
 * version conflicts, withdrawal, history and rollback, spreadsheet import with per-row errors, and who may do what.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpClient, loginStaff, makeStaff, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
let admin: HttpClient;
let otherAdmin: HttpClient;
let supervisor: HttpClient;
beforeAll(async () => {
  app = await startTestApp({ SEED_KB: 'true' });
  admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
  otherAdmin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
  supervisor = (await loginStaff(app, (await makeStaff(app, 'supervisor')).username)).client;
});
afterAll(async () => {
  await app?.close();
});

const content = (question: string, answer: string, extra: Record<string, unknown> = {}) => ({
  topic: 'T01',
  question,
  similar: [],
  answer,
  documents: [],
  audience: { taxpayerTypes: [], industries: [], regions: [] },
  keywords: [],
  ...extra,
});
/** What the bot would answer (the test console runs the live index of this node). */
const botAnswer = async (question: string) => {
  const r = (await admin.post('/api/admin/knowledge/test', { question })).json;
  return r.outcome === 'answer' ? (r.answer as string) : null;
};
const put = (client: HttpClient, url: string, body: unknown) => client.request('PUT', url, body);

describe('editing and publishing entries', () => {
  it('creates a draft that answers nothing until it is published, then answers at once', async () => {
    const created = await admin.post('/api/admin/knowledge/entries', {
      content: content('青松牌演示条目的办理地点在哪里', '青松牌演示条目在三楼办税服务厅办理。', {
        keywords: ['青松牌'],
      }),
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ id: 'KB-T01-019', status: 'draft', revision: 0, version: 1 });
    expect(await botAnswer('青松牌演示条目在哪里办理')).not.toBe('青松牌演示条目在三楼办税服务厅办理。');

    const published = await admin.post('/api/admin/knowledge/entries/KB-T01-019/publish', { version: 1 });
    expect(published.json).toMatchObject({ status: 'published', revision: 1, version: 2 });
    await expect.poll(() => botAnswer('青松牌演示条目在哪里办理')).toBe('青松牌演示条目在三楼办税服务厅办理。');
  });

  it('keeps answering with the published content while an edit waits as a draft', async () => {
    const saved = await put(admin, '/api/admin/knowledge/entries/KB-T01-019', {
      version: 2,
      content: content('青松牌演示条目的办理地点在哪里', '青松牌演示条目已改到五楼办理。', { keywords: ['青松牌'] }),
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ status: 'published', version: 3, revision: 1 });
    expect(saved.json.draft.answer).toBe('青松牌演示条目已改到五楼办理。');
    expect(saved.json.content.answer).toBe('青松牌演示条目在三楼办税服务厅办理。');
    expect(await botAnswer('青松牌演示条目在哪里办理')).toBe('青松牌演示条目在三楼办税服务厅办理。');

    const list = await admin.get('/api/admin/knowledge/entries?status=changed&q=%E9%9D%92%E6%9D%BE');
    expect(list.json.items.map((i: { id: string }) => i.id)).toEqual(['KB-T01-019']);
    expect(list.json.items[0]).toMatchObject({ hasDraft: true, topicName: expect.any(String) });

    await admin.post('/api/admin/knowledge/entries/KB-T01-019/publish', { version: 3, note: '搬到五楼' });
    await expect.poll(() => botAnswer('青松牌演示条目在哪里办理')).toBe('青松牌演示条目已改到五楼办理。');
  });

  it('refuses a change made on a stale version instead of overwriting the other editor', async () => {
    const { version } = (await admin.get('/api/admin/knowledge/entries/KB-T01-019')).json;
    const first = await put(admin, '/api/admin/knowledge/entries/KB-T01-019', {
      version,
      content: content('青松牌演示条目的办理地点在哪里', '甲的修改。'),
    });
    expect(first.status).toBe(200);
    const second = await put(otherAdmin, '/api/admin/knowledge/entries/KB-T01-019', {
      version,
      content: content('青松牌演示条目的办理地点在哪里', '乙的修改。'),
    });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ code: 'VERSION_CONFLICT', message: '该条目已被他人修改，请刷新后再修改。' });
    const now = (await admin.get('/api/admin/knowledge/entries/KB-T01-019')).json;
    expect(now.draft.answer).toBe('甲的修改。');
    // discarding the draft leaves the published content
    const discarded = await admin.post('/api/admin/knowledge/entries/KB-T01-019/discard-draft', {
      version: now.version,
    });
    expect(discarded.json).toMatchObject({ draft: null });
    expect(discarded.json.content.answer).toBe('青松牌演示条目已改到五楼办理。');
  });

  it('keeps a history and rolls back to an earlier revision as a new one', async () => {
    const history = (await supervisor.get('/api/admin/knowledge/entries/KB-T01-019/revisions')).json.revisions;
    expect(history.map((r: { revision: number; action: string }) => [r.revision, r.action])).toEqual([
      [2, 'publish'],
      [1, 'publish'],
    ]);
    expect(history[0]).toMatchObject({ note: '搬到五楼', staffName: expect.any(String) });
    const { version } = (await admin.get('/api/admin/knowledge/entries/KB-T01-019')).json;
    const rolled = await admin.post('/api/admin/knowledge/entries/KB-T01-019/rollback', { version, revision: 1 });
    expect(rolled.json).toMatchObject({ status: 'published', revision: 3 });
    await expect.poll(() => botAnswer('青松牌演示条目在哪里办理')).toBe('青松牌演示条目在三楼办税服务厅办理。');
    const after = (await admin.get('/api/admin/knowledge/entries/KB-T01-019/revisions')).json.revisions;
    expect(after[0]).toMatchObject({ revision: 3, action: 'rollback', note: '回滚到第 1 版' });
  });

  it('withdraws an entry so that it stops answering, and records it', async () => {
    const { version } = (await admin.get('/api/admin/knowledge/entries/KB-T01-019')).json;
    const off = await admin.post('/api/admin/knowledge/entries/KB-T01-019/unpublish', { version, note: '业务调整' });
    expect(off.json).toMatchObject({ status: 'draft', revision: 4 });
    await expect.poll(() => botAnswer('青松牌演示条目在哪里办理')).not.toBe('青松牌演示条目在三楼办税服务厅办理。');
    const again = await admin.post('/api/admin/knowledge/entries/KB-T01-019/unpublish', { version: off.json.version });
    expect(again.status).toBe(400);
    expect(again.json.message).toBe('该条目未发布，无需下线。');
  });

  it('checks content and references with clear Chinese errors', async () => {
    const empty = await admin.post('/api/admin/knowledge/entries', { content: content('  ', '答案') });
    expect(empty.status).toBe(400);
    expect(empty.json.message).toContain('标准问题不能为空');
    const noTopic = await admin.post('/api/admin/knowledge/entries', {
      content: { ...content('问', '答'), topic: 'T99' },
    });
    expect(noTopic.json.message).toBe('专题 T99 不存在，请重新选择。');
    const noDoc = await admin.post('/api/admin/knowledge/entries', {
      content: content('问', '答', { documents: ['D-NONE'] }),
    });
    expect(noDoc.json.message).toBe('相关文档 D-NONE 不存在，请重新选择。');
    const taken = await admin.post('/api/admin/knowledge/entries', { id: 'KB-T01-001', content: content('问', '答') });
    expect(taken.json.message).toBe('编号 KB-T01-001 已存在，请换一个编号。');
    const huge = await admin.post('/api/admin/knowledge/entries', { content: content('问', '答'.repeat(20_001)) });
    expect(huge.json.message).toContain('答案不能超过 20000 字');
    const script = await admin.post('/api/admin/knowledge/entries', {
      id: 'KB-T01-XSS',
      content: content('<img src=x onerror=alert(1)>', '<script>alert(1)</script>'),
    });
    // stored as text; the clients render it as text
    expect((await admin.get('/api/admin/knowledge/entries/KB-T01-XSS')).json.content.answer).toBe(
      '<script>alert(1)</script>',
    );
    expect(script.status).toBe(200);
  });

  it('lets supervisors read but not change, and keeps agents out', async () => {
    expect((await supervisor.get('/api/admin/knowledge/entries?topic=T01&pageSize=5')).json.items).toHaveLength(5);
    expect((await supervisor.get('/api/admin/knowledge/topics')).json.topics.length).toBe(20);
    expect((await supervisor.post('/api/admin/knowledge/entries', { content: content('问', '答') })).status).toBe(403);
    expect((await supervisor.post('/api/admin/knowledge/entries/KB-T01-001/publish', { version: 1 })).status).toBe(403);
    expect((await put(supervisor, '/api/admin/knowledge/entries/KB-T01-001', { version: 1 })).status).toBe(403);
    const agent = (await loginStaff(app, (await makeStaff(app, 'agent')).username)).client;
    expect((await agent.get('/api/admin/knowledge/entries')).status).toBe(403);
    expect((await agent.get('/api/admin/knowledge/entries/KB-T01-001/revisions')).status).toBe(403);
  });

  it('creates an entry from an unanswered question, which leaves the list', async () => {
    const taxpayerAsked = '锦鲤牌测试问题怎么办理';
    await app.db.execute(
      sql`insert into kb_unanswered (normalized, question) values (${taxpayerAsked}, ${taxpayerAsked})`,
    );
    const before = (await admin.get('/api/admin/knowledge/unanswered')).json.questions;
    const item = before.find((q: { question: string }) => q.question === taxpayerAsked);
    expect(item).toBeDefined();
    const res = await admin.post('/api/admin/knowledge/entries', {
      content: content(taxpayerAsked, '请登录电子税务局办理。'),
      fromUnansweredId: item.id,
    });
    expect(res.status).toBe(200);
    const after = (await admin.get('/api/admin/knowledge/unanswered')).json.questions;
    expect(after.some((q: { question: string }) => q.question === taxpayerAsked)).toBe(false);
  });
});

describe('spreadsheet import and export', () => {
  const header = '编号,专题,标准问题,相似问题,答案,相关文档,纳税人类型,行业,地区,关键词,状态';

  it('imports nothing from a CSV with bad rows and reports each by its row number', async () => {
    const csv = [
      header,
      'KB-CSV-001,T01,梧桐牌测试条目一,"梧桐一\n梧桐甲",答案一,,一般纳税人,,,,',
      'KB-CSV-002,T01,,,答案二,,,,,,',
      'KB-CSV-003,T77,梧桐牌测试条目三,,答案三,,,,,,',
      'KB-CSV-004,T01,梧桐牌测试条目四,,答案四,,个体户,,,,',
      'KB-CSV-005,T01,梧桐牌测试条目五,,答案五,,,,,,已发布',
    ].join('\r\n');
    const res = await admin.post('/api/admin/knowledge/import-table', { format: 'csv', data: csv });
    expect(res.json.ok).toBe(false);
    expect(res.json.errors).toEqual([
      { file: 'kb.csv', line: 3, message: expect.stringContaining('标准问题不能为空') },
      { file: 'kb.csv', line: 4, message: '专题 T77 不存在' },
      { file: 'kb.csv', line: 5, message: '纳税人类型“个体户”不正确，应为一般纳税人、小规模纳税人、自然人' },
    ]);
    expect((await admin.get('/api/admin/knowledge/entries?q=KB-CSV')).json.total).toBe(0);

    const fixed = [
      header,
      'KB-CSV-001,T01,梧桐牌测试条目一,"梧桐一\n梧桐甲",答案一,,一般纳税人,,,,',
      'KB-CSV-002,T01,梧桐牌测试条目二,,答案二,,,,,,',
      "KB-CSV-003,数电发票开具,梧桐牌测试条目三,,'=1+1,,,,,,",
    ].join('\r\n');
    const ok = await admin.post('/api/admin/knowledge/import-table', { format: 'csv', data: fixed, asDraft: true });
    expect(ok.json).toMatchObject({ ok: true, entries: 3, errors: [] });
    const one = (await admin.get('/api/admin/knowledge/entries/KB-CSV-001')).json;
    expect(one).toMatchObject({ status: 'draft' });
    expect(one.content).toMatchObject({ similar: ['梧桐一', '梧桐甲'], audience: { taxpayerTypes: ['general'] } });
    // the ' that guards a formula-like cell in Excel is taken off again
    expect((await admin.get('/api/admin/knowledge/entries/KB-CSV-003')).json.content.answer).toBe('=1+1');
  });

  it('reports a sheet whose columns are wrong before any row', async () => {
    const res = await admin.post('/api/admin/knowledge/import-table', {
      format: 'csv',
      data: '编号,专题,问题,答案\nX,T01,q,a\n',
    });
    expect(res.json.errors).toEqual([
      { file: 'kb.csv', line: 1, message: '未知的列“问题”' },
      { file: 'kb.csv', line: 1, message: '缺少列“标准问题”' },
    ]);
    const notXlsx = await admin.post('/api/admin/knowledge/import-table', {
      format: 'xlsx',
      data: Buffer.from('PK not a zip at all').toString('base64'),
    });
    expect(notXlsx.json.errors).toEqual([{ file: 'kb.xlsx', line: 0, message: '不是有效的 Excel（.xlsx）文件' }]);
  });

  it('imports an Excel workbook, and publishes it at once unless asked for drafts', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['编号', '专题', '标准问题', '答案', '关键词']);
    sheet.addRow(['KB-XLS-001', 'T01', '银杏牌测试条目怎么申请', '银杏牌测试条目在线申请即可。', '银杏牌']);
    sheet.addRow([]);
    sheet.addRow(['KB-XLS-002', 'T01', '银杏牌第二条', { richText: [{ text: '富文本' }, { text: '答案' }] }, '']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const res = await admin.post('/api/admin/knowledge/import-table', { format: 'xlsx', data });
    expect(res.json).toMatchObject({ ok: true, entries: 2 });
    expect((await admin.get('/api/admin/knowledge/entries/KB-XLS-002')).json).toMatchObject({
      status: 'published',
      revision: 1,
      content: { answer: '富文本答案' },
    });
    await expect.poll(() => botAnswer('银杏牌测试条目怎么申请')).toBe('银杏牌测试条目在线申请即可。');
    const history = (await admin.get('/api/admin/knowledge/entries/KB-XLS-001/revisions')).json.revisions;
    expect(history).toEqual([expect.objectContaining({ revision: 1, action: 'import' })]);
  });

  it('exports entries as CSV with Chinese headers, in the layout it imports', async () => {
    const res = await admin.get('/api/admin/knowledge/export?file=kb&format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    // (fetch's text() drops the BOM that tells Excel it is UTF-8)
    expect(res.text.replace(/^\uFEFF/, '').startsWith(header)).toBe(true);
    expect(res.text).toContain('"梧桐一\n梧桐甲"');
    expect(res.text).toContain("'=1+1");
    const reimport = await admin.post('/api/admin/knowledge/import-table', { format: 'csv', data: res.text });
    expect(reimport.json).toMatchObject({ ok: true, errors: [] });
    expect((await admin.get('/api/admin/knowledge/export?file=topics&format=csv')).status).toBe(400);
    const xlsx = await admin.get('/api/admin/knowledge/export?file=kb&format=xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });
});

describe('topics and synonyms', () => {
  it('creates and renames a topic, refusing a rename made on a stale copy', async () => {
    const created = await admin.post('/api/admin/knowledge/topics', { id: 'T90', name: '测试专题', description: '' });
    expect(created.json).toMatchObject({ id: 'T90', name: '测试专题', entries: 0 });
    const again = await admin.post('/api/admin/knowledge/topics', { id: 'T90', name: '重复', description: '' });
    expect(again.json.message).toBe('专题编号 T90 已存在，请换一个编号。');
    const renamed = await put(admin, '/api/admin/knowledge/topics/T90', {
      name: '测试专题（新）',
      description: '说明',
      updatedAt: created.json.updatedAt,
    });
    expect(renamed.json).toMatchObject({ name: '测试专题（新）' });
    const stale = await put(otherAdmin, '/api/admin/knowledge/topics/T90', {
      name: '乙改的名字',
      description: '',
      updatedAt: created.json.updatedAt,
    });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe('该专题已被他人修改，请刷新后再修改。');
    expect((await supervisor.post('/api/admin/knowledge/topics', { id: 'T91', name: '不行' })).status).toBe(403);
  });

  it('adds the bureau’s synonyms to what the bot understands, with a version check', async () => {
    const question = '白果牌测试条目怎么申请';
    const matched = async () => {
      const r = (await admin.post('/api/admin/knowledge/test', { question })).json;
      return r.candidates.find((c: { entryId: string }) => c.entryId === 'KB-XLS-001')?.matchedTerms ?? [];
    };
    expect(await matched()).not.toContain('银杏牌');
    const current = (await supervisor.get('/api/admin/knowledge/synonyms')).json;
    const saved = await put(admin, '/api/admin/knowledge/synonyms', {
      groups: [...current.groups, ['银杏牌', '白果牌']],
      version: current.version,
    });
    expect(saved.status).toBe(200);
    expect(saved.json.groups).toContainEqual(['银杏牌', '白果牌']);
    // 白果牌 now reads as 银杏牌, the entry's keyword
    await expect.poll(matched).toContain('银杏牌');

    const stale = await put(otherAdmin, '/api/admin/knowledge/synonyms', { groups: [], version: current.version });
    expect(stale.status).toBe(409);
    const twice = await put(admin, '/api/admin/knowledge/synonyms', {
      groups: [
        ['甲词', '乙词'],
        ['乙词', '丙词'],
      ],
      version: saved.json.version,
    });
    expect(twice.json.message).toBe('“乙词”同时出现在第 1 组和第 2 组，请合并。');
    expect((await put(supervisor, '/api/admin/knowledge/synonyms', { groups: [], version: 'x' })).status).toBe(403);
  });
});
