/**
 * The disk file store (the embedded default, and FILES_DIR on a shared mount) against the FileStore contract, and the
 * file-store settings: disk by default, S3 refused at start without what it needs.
 */
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileStoreContract } from '../../test/file-store-contract.ts';
import { loadConfig } from '../config.ts';
import { createDiskFileStore, type FileStore, openFileStore } from './files.ts';

let dir: string;
let disk: FileStore;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'zn-files-'));
  disk = await openFileStore({ driver: 'disk', dir: path.join(dir, 'nested', 'files') });
});

fileStoreContract('disk', () => disk);

describe('disk file store', () => {
  it('writes under the folder it was given, as <2 hex>/<40 hex>', async () => {
    const key = await disk.put(Buffer.from('x'));
    const file = path.join(dir, 'nested', 'files', key);
    expect(statSync(file).size).toBe(1);
    expect(readdirSync(path.dirname(file))).toContain(path.basename(key));
    expect(disk.location).toBe(path.join(dir, 'nested', 'files'));
  });

  it.skipIf(process.getuid?.() === 0)('refuses to start on a folder it cannot write', async () => {
    const ro = mkdtempSync(path.join(os.tmpdir(), 'zn-files-ro-'));
    chmodSync(ro, 0o500);
    await expect(openFileStore({ driver: 'disk', dir: ro })).rejects.toThrow(/not writable/);
  });

  it('a folder that disappeared makes ping fail (/readyz reports files: down)', async () => {
    const gone = createDiskFileStore(path.join(dir, 'never-made'));
    await expect(gone.ping()).rejects.toThrow();
  });
});

describe('file store settings', () => {
  const s3 = {
    FILE_STORE: 's3',
    S3_ENDPOINT: 'http://minio:9000',
    S3_BUCKET: 'zhengna-files',
    S3_ACCESS_KEY_ID: 'zhengna',
    S3_SECRET_ACCESS_KEY: 'a-secret-of-the-test',
  };

  it('defaults to disk, in DATA_DIR/files unless FILES_DIR says otherwise', () => {
    const c = loadConfig({});
    expect(c.FILE_STORE).toBe('disk');
    expect(c.FILES_DIR).toBeUndefined();
    expect(loadConfig({ FILES_DIR: '/mnt/zhengna-files' }).FILES_DIR).toBe('/mnt/zhengna-files');
  });

  it('takes the S3 settings, path-style by default (MinIO)', () => {
    const c = loadConfig(s3);
    expect(c).toMatchObject({ FILE_STORE: 's3', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true });
    expect(loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('refuses FILE_STORE=s3 without endpoint, bucket or keys, naming what is missing and no secret', () => {
    expect(() => loadConfig({ FILE_STORE: 's3' })).toThrow(
      'FILE_STORE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY',
    );
    const { S3_SECRET_ACCESS_KEY: _, ...noSecret } = s3;
    expect(() => loadConfig(noSecret)).toThrow('FILE_STORE=s3 needs S3_SECRET_ACCESS_KEY');
    expect(() => loadConfig({ ...s3, FILE_STORE: 'ftp' })).toThrow(/FILE_STORE/);
  });

  it('refuses a bad bucket name, an endpoint that is not http(s), and keys inside the endpoint URL', () => {
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Zhengna_Files' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    let message = '';
    try {
      loadConfig({ ...s3, S3_ENDPOINT: 'http://zhengna:a-secret-of-the-test@minio:9000' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/S3_ENDPOINT/);
    expect(message).not.toContain('a-secret-of-the-test');
  });
});
