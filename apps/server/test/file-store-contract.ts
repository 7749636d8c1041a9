/**
 * What every FileStore driver must do, as one set of tests run against each (disk in files.test.ts, S3 in
 * files-s3.int.test.ts): the same keys, the same errors, the same bytes back, streamed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileNotFoundError, type FileStore, isStorageKey } from '../src/platform/files.ts';

async function readAll(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return {
    data: Buffer.concat(chunks),
    chunks: chunks.length,
    largestChunk: Math.max(0, ...chunks.map((c) => c.length)),
  };
}

export function fileStoreContract(name: string, store: () => FileStore, opts: { bigMb?: number } = {}) {
  describe(`${name} file store: the FileStore contract`, () => {
    it('stores, returns the same bytes, and removes', async () => {
      const data = Buffer.from('征纳互动 附件内容 %PDF-1.4\n\u0000\u0001\u0002');
      const key = await store().put(data);
      expect(isStorageKey(key)).toBe(true);
      expect((await readAll(await store().get(key))).data.equals(data)).toBe(true);
      await store().remove(key);
      await expect(store().get(key)).rejects.toBeInstanceOf(FileNotFoundError);
      // removing what is not there is not an error (a retried cleanup)
      await expect(store().remove(key)).resolves.toBeUndefined();
    });

    it('keeps an empty file', async () => {
      const key = await store().put(Buffer.alloc(0));
      expect((await readAll(await store().get(key))).data.length).toBe(0);
    });

    it('makes random keys of its own: the same bytes twice are two keys, and no key says anything of the content', async () => {
      const data = Buffer.from('发票.pdf');
      const keys = await Promise.all(Array.from({ length: 20 }, () => store().put(data)));
      expect(new Set(keys).size).toBe(20);
      for (const key of keys) {
        expect(key).toMatch(/^[a-f0-9]{2}\/[a-f0-9]{40}$/);
        expect(key.slice(3, 5)).toBe(key.slice(0, 2));
        expect(key).not.toContain(createHash('sha1').update(data).digest('hex'));
      }
    });

    it('a missing key rejects with FileNotFoundError (ENOENT), which the HTTP layer answers with 404', async () => {
      const key = `ab/ab${'0'.repeat(38)}`;
      const err = await store()
        .get(key)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(FileNotFoundError);
      expect(err).toMatchObject({ code: 'ENOENT', key });
    });

    it('refuses keys it did not make (paths, other shapes) before touching the store', async () => {
      for (const bad of ['../../etc/passwd', 'ab/../../x', `AB/AB${'0'.repeat(38)}`, '', `ab/${'0'.repeat(40)}/x`]) {
        await expect(store().get(bad)).rejects.toThrow('bad storage key');
        await expect(store().remove(bad)).rejects.toThrow('bad storage key');
      }
    });

    const mb = opts.bigMb ?? 24;
    it(`streams a big file (${mb} MB) back in chunks, byte for byte`, async () => {
      const data = randomBytes(mb * 1024 * 1024);
      const key = await store().put(data);
      const stream = await store().get(key);
      expect(stream).toBeInstanceOf(Readable);
      const back = await readAll(stream);
      expect(back.data.length).toBe(data.length);
      expect(createHash('sha256').update(back.data).digest('hex')).toBe(
        createHash('sha256').update(data).digest('hex'),
      );
      // a stream, not one buffer of the whole file
      expect(back.chunks).toBeGreaterThan(10);
      expect(back.largestChunk).toBeLessThanOrEqual(1024 * 1024);
      await store().remove(key);
    });

    it('answers ping while usable', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
