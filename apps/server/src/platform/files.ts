/**
 * File storage behind one interface. Embedded default: a folder on disk (FILES_DIR, default DATA_DIR/files), which
 * several nodes may share as one mounted folder (NFS); or an S3-compatible object store such as MinIO
 * (FILE_STORE=s3, files-s3.ts). Keys are random, never derived from what a user typed.
 */
import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { withTimeout } from './timeout.ts';

export interface FileStore {
  /** Stores the bytes under a new random key and returns the key. */
  put(data: Buffer): Promise<string>;
  /** The stored bytes as a stream; rejects with FileNotFoundError when nothing is stored under the key. */
  get(key: string): Promise<Readable>;
  /** Deletes; a key with nothing stored under it is not an error. */
  remove(key: string): Promise<void>;
  /** Resolves when the store can be used now (the folder is writable, the bucket answers); /readyz reports it. */
  ping(): Promise<void>;
  /** Where the files are, for logs and errors: a folder, or an endpoint and bucket (never credentials). */
  readonly location: string;
  /** Releases connections (shutdown). */
  close(): void;
}

/**
 * A key that the database points at but the store does not hold (a file deleted by hand, a restore of the database
 * without its files). Both drivers throw it; the HTTP error handler answers 404 文件不存在 and logs a warning.
 */
export class FileNotFoundError extends Error {
  readonly code = 'ENOENT';
  constructor(readonly key: string) {
    super(`stored file missing: ${key}`);
    this.name = 'FileNotFoundError';
  }
}

/** Two hex characters, a slash, the 40-hex random id: what `put` returns, and all that `get`/`remove` accept. */
export const isStorageKey = (key: string) => /^[a-f0-9]{2}\/[a-f0-9]{40}$/.test(key);

export function newStorageKey(): string {
  const id = randomBytes(20).toString('hex');
  return `${id.slice(0, 2)}/${id}`;
}

export function checkedKey(key: string): string {
  if (!isStorageKey(key)) throw new Error('bad storage key');
  return key;
}

export function createDiskFileStore(dir: string): FileStore {
  const resolve = (key: string) => path.join(dir, checkedKey(key));
  return {
    location: dir,
    async put(data) {
      const key = newStorageKey();
      await mkdir(path.dirname(resolve(key)), { recursive: true });
      await writeFile(resolve(key), data, { flag: 'wx' });
      return key;
    },
    async get(key) {
      const file = resolve(key);
      try {
        await stat(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(key);
        throw err;
      }
      return createReadStream(file);
    },
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
    async ping() {
      await withTimeout(access(dir, constants.R_OK | constants.W_OK), 2000, `file folder ${dir}`);
    },
    close() {},
  };
}

export type FileStoreOptions =
  | { driver: 'disk'; dir: string }
  | {
      driver: 's3';
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

/**
 * The configured store, checked before the node serves: the disk folder is created and must be writable; the bucket
 * must answer (it is created when missing). Throws an error that says what to fix.
 */
export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  if (options.driver === 'disk') {
    await mkdir(options.dir, { recursive: true });
    const store = createDiskFileStore(options.dir);
    try {
      await store.ping();
    } catch (err) {
      throw new Error(`file store unusable: the folder ${options.dir} is not writable (${(err as Error).message})`);
    }
    return store;
  }
  // loaded only when configured: the embedded default never loads the S3 client
  const { openS3FileStore } = await import('./files-s3.ts');
  return openS3FileStore(options);
}
