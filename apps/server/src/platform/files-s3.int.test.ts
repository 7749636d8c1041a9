/**
 * The S3 file store against a real S3-protocol server, and the whole service configured with it.
 *
 * The server is s3rver (npm, in-process): it stands in for MinIO, which cannot be installed on these machines (not in
 * Debian's packages, no Docker). It speaks the same protocol the driver uses against MinIO — Signature V4 (a wrong
 * key is refused), path-style buckets, XML errors (NoSuchKey, NoSuchBucket) — and keeps objects in a folder of its own.
 * What it does not check, and MinIO does: Content-MD5 of a put.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreContract } from '../../test/file-store-contract.ts';
import { HttpClient, loginTaxpayer, makeTaxpayer, startTestApp } from '../../test/harness.ts';
import type { RunningApp } from '../app.ts';
import { attachments, caseFiles } from '../db/schema.ts';
import { type FileStore, type FileStoreOptions, openFileStore } from './files.ts';

// The SDK warns once per process that its releases after January 2027 need Node 22 (the dependency is pinned to one
// that runs on Node 20; see files-s3.ts); the warning is for operators, not for the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type S3rverInstance = { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
}) => S3rverInstance;

/** s3rver's one account */
const KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const s3rverDirs: string[] = [];
async function startS3() {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'zn-s3rver-'));
  s3rverDirs.push(directory);
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

let s3: Awaited<ReturnType<typeof startS3>>;
let raw: S3Client;
type S3Settings = Extract<FileStoreOptions, { driver: 's3' }>;
const options = (bucket: string, extra: Partial<Omit<S3Settings, 'driver'>> = {}): S3Settings => ({
  driver: 's3',
  endpoint: s3.endpoint,
  region: 'us-east-1',
  bucket,
  ...KEY,
  forcePathStyle: true,
  ...extra,
});

/** The object as the bucket holds it, read with a client of the test's own. */
async function objectBytes(bucket: string, key: string) {
  const res = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

let store: FileStore;
beforeAll(async () => {
  s3 = await startS3();
  raw = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: KEY });
  store = await openFileStore(options('zhengna-contract'));
});
afterAll(async () => {
  store?.close();
  raw?.destroy();
  await s3?.server.close();
  for (const dir of s3rverDirs) rmSync(dir, { recursive: true, force: true });
});

fileStoreContract('S3', () => store);

describe('S3 file store', () => {
  it('creates its bucket when missing, and opens it again as it is', async () => {
    await expect(raw.send(new HeadBucketCommand({ Bucket: 'zhengna-fresh' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const first = await openFileStore(options('zhengna-fresh'));
    await raw.send(new HeadBucketCommand({ Bucket: 'zhengna-fresh' }));
    const key = await first.put(Buffer.from('第一个节点'));
    // a restart (or a second node) keeps what is there
    const again = await openFileStore(options('zhengna-fresh'));
    expect((await objectBytes('zhengna-fresh', key)).toString()).toBe('第一个节点');
    expect(again.location).toBe(`${s3.endpoint}/zhengna-fresh`);
    first.close();
    again.close();
  });

  it('several nodes starting together on a new bucket all start', async () => {
    // the later creates find the bucket made: MinIO says BucketAlreadyOwnedByYou, s3rver BucketAlreadyExists
    const all = await Promise.all(Array.from({ length: 4 }, () => openFileStore(options('zhengna-race'))));
    for (const s of all) s.close();
  });

  it('puts each file as one object of the bucket, under the key it returns', async () => {
    const data = randomBytes(4096);
    const key = await store.put(data);
    expect((await objectBytes('zhengna-contract', key)).equals(data)).toBe(true);
    await store.remove(key);
    await expect(objectBytes('zhengna-contract', key)).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('refuses to start with a wrong key, saying which settings to check and not what the secret is', async () => {
    const err = await openFileStore(
      options('zhengna-contract', { accessKeyId: 'zhengna', secretAccessKey: 'wrong-secret-1234' }),
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^file store unusable: S3 file store http:\/\/127\.0\.0\.1:\d+ bucket zhengna-contract/,
    );
    expect(err?.message).toContain('refused the access key');
    expect(err?.message).toContain('S3_SECRET_ACCESS_KEY');
    expect(err?.message).not.toContain('wrong-secret-1234');
  });

  it('refuses to start, quickly, when nothing answers at the endpoint', async () => {
    const gone = await startS3();
    await gone.server.close();
    const started = Date.now();
    const err = await openFileStore(options('zhengna-contract', { endpoint: gone.endpoint })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/is unreachable \(ECONNREFUSED\): check S3_ENDPOINT/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ping fails once the store goes away (/readyz: files down)', async () => {
    const other = await startS3();
    const s = await openFileStore(options('zhengna-ping', { endpoint: other.endpoint }));
    await s.ping();
    await other.server.close();
    await expect(s.ping()).rejects.toThrow(/unreachable/);
    s.close();
  });
});

/** A PDF as file-type sees one: the magic, then bytes (kept as they are: only images are re-encoded). */
const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);

function upload(client: HttpClient, url: string, data: Buffer, fileName: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: 'application/pdf' }), fileName);
  return client.request('POST', url, form);
}

async function download(client: HttpClient, url: string) {
  const res = await fetch(client.base + url, {
    headers: client.bearer ? { authorization: `Bearer ${client.bearer}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('the service with FILE_STORE=s3', () => {
  let app: RunningApp;
  let filesDir: string;
  const BUCKET = 'zhengna-service';
  beforeAll(async () => {
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'zn-files-unused-'));
    app = await startTestApp({
      FILE_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: KEY.accessKeyId,
      S3_SECRET_ACCESS_KEY: KEY.secretAccessKey,
      // set, to show that the disk store is not used at all
      FILES_DIR: filesDir,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a taxpayer uploads a file in the chat and downloads it back identical; it is in the bucket, not on disk', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const data = pdf(9 * 1024 * 1024 + 123);

    const up = await upload(chat, `/api/chat/conversations/${conv.id}/attachments`, data, '2026年1月 增值税申报表.pdf');
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ mime: 'application/pdf', size: data.length });

    const down = await download(chat, up.json.url);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(down.headers.get('content-length')).toBe(String(data.length));
    expect(down.bytes.equals(data)).toBe(true);

    const [row] = await app.db.select().from(attachments).where(eq(attachments.id, up.json.id));
    expect(row?.storageKey).toMatch(/^[a-f0-9]{2}\/[a-f0-9]{40}$/);
    expect((await objectBytes(BUCKET, row?.storageKey ?? '')).equals(data)).toBe(true);
    expect(readdirSync(filesDir)).toEqual([]);
  });

  it('留言 files go the same way', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const data = pdf(200_000);
    const up = await upload(chat, '/api/chat/inquiries/files', data, '情况说明.pdf');
    expect(up.status).toBe(200);
    const down = await download(chat, `/api/chat/case-files/${up.json.id}`);
    expect(down.status).toBe(200);
    expect(down.bytes.equals(data)).toBe(true);
    const [row] = await app.db.select().from(caseFiles).where(eq(caseFiles.id, up.json.id));
    expect((await objectBytes(BUCKET, row?.storageKey ?? '')).equals(data)).toBe(true);
  });

  it('a file the bucket lost is answered 404 文件不存在, as on disk', async () => {
    const { taxpayer } = await makeTaxpayer(app);
    const { chat } = await loginTaxpayer(app, taxpayer.taxpayerNo);
    const conv = (await chat.get('/api/chat/conversation')).json.conversation as { id: string };
    const up = await upload(chat, `/api/chat/conversations/${conv.id}/attachments`, pdf(1000), 'a.pdf');
    const [row] = await app.db.select().from(attachments).where(eq(attachments.id, up.json.id));
    await raw.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: row?.storageKey }));

    const res = await chat.get(up.json.url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json).toMatchObject({ code: 'NOT_FOUND', message: '文件不存在。' });
  });

  it('/readyz reports the file store', async () => {
    const res = await new HttpClient(app.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, checks: { files: 'ok' } });
  });

  it('a node whose S3 store does not answer refuses to start, saying so', async () => {
    const gone = await startS3();
    await gone.server.close();
    await expect(
      startTestApp({
        FILE_STORE: 's3',
        S3_ENDPOINT: gone.endpoint,
        S3_BUCKET: BUCKET,
        S3_ACCESS_KEY_ID: KEY.accessKeyId,
        S3_SECRET_ACCESS_KEY: KEY.secretAccessKey,
      }),
    ).rejects.toThrow(/file store unusable: S3 file store .* is unreachable/);
  });
});
