/**
 * File storage behind one interface. Embedded default: a folder on disk (DATA_DIR/files). Keys are random, never
 * derived from what a user typed.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface FileStore {
  put(data: Buffer): Promise<string>;
  get(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
}

export function createDiskFileStore(dir: string): FileStore {
  const resolve = (key: string) => {
    if (!/^[a-f0-9]{2}\/[a-f0-9]{40}$/.test(key)) throw new Error('bad storage key');
    return path.join(dir, key);
  };
  return {
    async put(data) {
      const id = randomBytes(20).toString('hex');
      const key = `${id.slice(0, 2)}/${id}`;
      await mkdir(path.join(dir, id.slice(0, 2)), { recursive: true });
      await writeFile(resolve(key), data, { flag: 'wx' });
      return key;
    },
    async get(key) {
      const file = resolve(key);
      await stat(file);
      return createReadStream(file);
    },
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
  };
}
