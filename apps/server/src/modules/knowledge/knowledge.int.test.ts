/**
 * Curators' tools: the test console, import/export in the JSONL layout (all or nothing), and publishing that reaches
 * the answering index without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpClient, loginStaff, makeStaff, startTestApp } from '../../../test/harness.ts';
import type { RunningApp } from '../../app.ts';

let app: RunningApp;
let admin: HttpClient;
beforeAll(async () => {
  app = await startTestApp({ SEED_KB: 'true' });
  admin = (await loginStaff(app, (await makeStaff(app, 'admin')).username)).client;
});
afterAll(async () => {
  await app?.close();
});

const exportAll = async () => ({
  kb: (await admin.get('/api/admin/knowledge/export?file=kb')).text,
  topics: (await admin.get('/api/admin/knowledge/export?file=topics')).text,
  documents: (await admin.get('/api/admin/knowledge/export?file=documents')).text,
});

describe('knowledge administration', () => {
  it('shows in the test console why the bot answers what it answers', async () => {
    const res = await admin.post('/api/admin/knowledge/test', { question: '数电发票在电子税务局里怎么开具？' });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('answer');
    expect(res.json.candidates[0]).toMatchObject({ entryId: 'KB-T01-001' });
    expect(res.json.candidates[0].matchedTerms.length).toBeGreaterThan(0);
    expect(res.json.signals.map((s: { name: string }) => s.name)).toContain('情绪');
  });

  it('gives bad questions a sensible outcome, never an error', async () => {
    for (const question of ['', '😀😀😀', "'; drop table kb_entries; --", '发票'.repeat(5000)]) {
      const res = await admin.post('/api/admin/knowledge/test', { question });
      expect(res.status).toBe(200);
      expect(['answer', 'clarify', 'no_answer', 'smalltalk']).toContain(res.json.outcome);
    }
  });

  it('keeps the console from agents', async () => {
    const agent = (await loginStaff(app, (await makeStaff(app, 'agent')).username)).client;
    expect((await agent.post('/api/admin/knowledge/test', { question: '发票' })).status).toBe(403);
  });

  it('exports the three files in the seed layout and imports them back unchanged', async () => {
    const files = await exportAll();
    expect(files.kb.trim().split('\n')).toHaveLength(350);
    expect(JSON.parse(files.kb.split('\n')[0] as string)).toMatchObject({ id: 'KB-T01-001', topic: 'T01' });
    const res = await admin.post('/api/admin/knowledge/import', files);
    expect(res.json).toMatchObject({ ok: true, entries: 350, topics: 20, errors: [] });
    expect(await exportAll()).toEqual(files);
  });

  it('imports nothing when any line is bad, and says which lines', async () => {
    const files = await exportAll();
    const lines = files.kb.trim().split('\n');
    const extra = JSON.stringify({
      id: 'KB-NEW-001',
      topic: 'T01',
      question: '新增的测试条目问题',
      answer: '新答案',
    });
    const broken = [
      ...lines,
      extra,
      '{not json',
      JSON.stringify({ id: 'KB-BAD', topic: 'T99', question: 'q', answer: 'a' }),
    ];
    const res = await admin.post('/api/admin/knowledge/import', { ...files, kb: `${broken.join('\n')}\n` });
    expect(res.json.ok).toBe(false);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'kb.jsonl', line: 352, message: '不是有效的 JSON' }),
        expect.objectContaining({ file: 'kb.jsonl', line: 353, message: '专题 T99 不存在' }),
      ]),
    );
    // the good new line was not imported either
    expect((await exportAll()).kb).not.toContain('KB-NEW-001');
  });

  it('imports kb.jsonl alone when its topics and documents already exist', async () => {
    const entry = {
      id: 'KB-ONLY-001',
      topic: 'T02',
      question: '只导入知识文件的测试条目',
      answer: '可以单独导入。',
      documents: ['D-A01'],
    };
    const res = await admin.post('/api/admin/knowledge/import', {
      kb: `${JSON.stringify(entry)}\n`,
      topics: '',
      documents: '',
    });
    expect(res.json).toMatchObject({ ok: true, entries: 1, topics: 0, documents: 0 });
  });

  it('answers a newly imported entry and stops answering an unpublished one, without a restart', async () => {
    const files = await exportAll();
    const entry = {
      id: 'KB-T99-001',
      topic: 'T01',
      question: '征纳互动的星标演示条目是什么',
      similar: ['星标演示条目'],
      answer: '这是用于验证发布流程的演示答案。',
      documents: [],
      audience: { taxpayerTypes: [], industries: [], regions: [] },
      keywords: ['星标演示'],
    };
    const res = await admin.post('/api/admin/knowledge/import', {
      ...files,
      kb: `${files.kb}${JSON.stringify(entry)}\n`,
    });
    expect(res.json.ok).toBe(true);
    // the change reaches the index through the cluster bus, not a restart
    const topCandidate = async () =>
      (await admin.post('/api/admin/knowledge/test', { question: '星标演示条目是什么' })).json.candidates[0]?.entryId;
    await expect.poll(topCandidate).toBe('KB-T99-001');

    const { version } = (await admin.get('/api/admin/knowledge/entries/KB-T99-001')).json;
    const off = await admin.post('/api/admin/knowledge/entries/KB-T99-001/unpublish', { version });
    expect(off.json).toMatchObject({ status: 'draft' });
    await expect.poll(topCandidate).not.toBe('KB-T99-001');
    expect((await admin.post('/api/admin/knowledge/entries/KB-NONE/unpublish', { version: 1 })).status).toBe(404);
  });
});
