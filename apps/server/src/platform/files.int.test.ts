/**
 * The disk file store in the running service: FILES_DIR puts the files in a folder of their own (several nodes share
 * one mounted folder), a file gone from the folder is answered 404 like on S3, and /readyz reports the folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpClient, loginTaxpayer, makeTaxpayer, startTestApp } from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { attachments } from '../db/schema.ts';
import { openFileStore } from './files.ts';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('征纳互动 '.repeat(1000))]);

function upload(client: HttpClient, url: string, data: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/pdf' }), '说明.pdf');
  return client.request('POST', url, form);
}

describe('disk file store in FILES_DIR', () => {
  let app: RunningApp;
  let filesDir: string;
  beforeAll(async () => {
    filesDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'zn-shared-')), 'files');
    app = await startTestApp({ FILES_DIR: filesDir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(path.dirname(filesDir), { recursive: true, force: true });
  });

  it('stores uploads in FILES_DIR (created at start) and serves them back', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const up = await upload(chat, `/api/chat/conversations/${conv.id}/attachments`, PDF);
    expect(up.status).toBe(200);
    const [row] = await app.db.select().from(attachments).where(eq(attachments.id, up.json.id));
    const onDisk = path.join(filesDir, row?.storageKey ?? '');
    expect(readFileSync(onDisk).equals(PDF)).toBe(true);
    const down = await chat.get(up.json.url);
    expect(down.status).toBe(200);
    expect(Buffer.from(down.text, 'utf8').equals(PDF)).toBe(true);

    // another node, given the same (mounted) folder, reads the same key
    const viaSecond = await openFileStore({ driver: 'disk', dir: filesDir });
    const chunks: Buffer[] = [];
    for await (const c of await viaSecond.get(row?.storageKey ?? '')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
  });

  it('a file gone from the folder is answered 404 文件不存在 (not 500), and the node stays up', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const up = await upload(chat, `/api/chat/conversations/${conv.id}/attachments`, PDF);
    const [row] = await app.db.select().from(attachments).where(eq(attachments.id, up.json.id));
    rmSync(path.join(filesDir, row?.storageKey ?? ''));

    const res = await chat.get(up.json.url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json).toMatchObject({ code: 'NOT_FOUND', message: '文件不存在。' });
    expect((await chat.get('/api/chat/conversation')).status).toBe(200);
  });

  it('/readyz reports files: down when the folder goes away, without taking the node out', async () => {
    const res = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.json()).toMatchObject({ ok: true, checks: { files: 'ok' } });
    rmSync(filesDir, { recursive: true, force: true });
    const down = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ ok: true, checks: { files: 'down' } });
  });
});
