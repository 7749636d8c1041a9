/**
 * The S3 file store (FILE_STORE=s3): files as objects in one bucket of an S3-compatible store — MinIO on the bureau's
 * own machines, or any service that speaks the S3 API (Ceph RGW, a cloud's object storage). Same random keys as the
 * disk store (`ab/ab…`, 40 hex), same FileNotFoundError for a missing key. Downloads are streamed from the store, not
 * buffered. Loaded only when configured (files.ts imports it on demand).
 *
 * Client: the official AWS SDK v3 (`@aws-sdk/client-s3`), pinned in apps/server/package.json to a release that still
 * supports Node 20 (AWS announced that its releases after the first week of January 2027 need Node 22).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { checkedKey, FileNotFoundError, type FileStore, type FileStoreOptions, newStorageKey } from './files.ts';

type S3Options = Extract<FileStoreOptions, { driver: 's3' }>;

type S3Failure = Error & { $metadata?: { httpStatusCode?: number }; code?: string };
const status = (err: unknown) => (err as S3Failure)?.$metadata?.httpStatusCode;
const errName = (err: unknown) => (err as S3Failure)?.name ?? '';

/** The endpoint without any user:password in it, for logs and errors. */
function publicEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid endpoint)';
  }
}

/** Why the store cannot be used, in words an operator can act on (never the keys themselves). */
function explain(err: unknown, where: string): string {
  const code = status(err);
  const name = errName(err);
  const cause = (err as S3Failure)?.code ?? name;
  if (code === 403 || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    return `${where} refused the access key (${name || code}): check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and the key's rights on the bucket`;
  }
  if (code === undefined) {
    return `${where} is unreachable (${cause || (err as Error)?.message}): check S3_ENDPOINT and that the store is running`;
  }
  return `${where} answered ${code} ${name}: ${(err as Error)?.message ?? ''}`.trim();
}

export async function openS3FileStore(o: S3Options): Promise<FileStore> {
  const client = new S3Client({
    endpoint: o.endpoint,
    region: o.region,
    // MinIO and most self-hosted stores address buckets by path (http://minio:9000/bucket/key), not by host name
    forcePathStyle: o.forcePathStyle,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    // The SDK's default CRC32 checksums are not understood by every S3-compatible server (older MinIO, Ceph); send
    // only what an operation requires, and Content-MD5 on every put (checked by the server: a corrupted upload fails).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // a blackholed endpoint fails in seconds, not minutes; a stalled download is cut after a minute without data
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
    maxAttempts: 3,
  });
  const Bucket = o.bucket;
  const where = `S3 file store ${publicEndpoint(o.endpoint)} bucket ${Bucket}`;

  const headBucket = (ms: number) =>
    client.send(new HeadBucketCommand({ Bucket }), { abortSignal: AbortSignal.timeout(ms) });

  // The bucket must exist: created when missing (friendlier for a fresh MinIO); keys without the right to create
  // buckets need it made beforehand (mc mb).
  try {
    try {
      await headBucket(15_000);
    } catch (err) {
      if (status(err) !== 404 && errName(err) !== 'NotFound' && errName(err) !== 'NoSuchBucket') throw err;
      try {
        await client.send(new CreateBucketCommand({ Bucket }), { abortSignal: AbortSignal.timeout(15_000) });
      } catch (createErr) {
        // another node created it at the same moment (MinIO and AWS say BucketAlreadyOwnedByYou, some stores — s3rver,
        // Ceph in places — BucketAlreadyExists); the HEAD below tells whether it is ours to use
        if (errName(createErr) !== 'BucketAlreadyOwnedByYou' && errName(createErr) !== 'BucketAlreadyExists')
          throw createErr;
      }
      await headBucket(15_000);
    }
  } catch (err) {
    client.destroy();
    throw new Error(`file store unusable: ${explain(err, where)}`);
  }

  return {
    location: `${publicEndpoint(o.endpoint)}/${Bucket}`,
    async put(data) {
      const Key = newStorageKey();
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: data,
          ContentLength: data.length,
          ContentMD5: createHash('md5').update(data).digest('base64'),
          // what the bytes are is in the database; the store serves nothing to browsers itself
          ContentType: 'application/octet-stream',
        }),
      );
      return Key;
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: checkedKey(key) }));
        if (!(res.Body instanceof Readable)) throw new Error('S3 file store: the answer has no body stream');
        return res.Body;
      } catch (err) {
        if (errName(err) === 'NoSuchKey' || (status(err) === 404 && errName(err) !== 'NoSuchBucket')) {
          throw new FileNotFoundError(key);
        }
        throw err;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checkedKey(key) }));
    },
    async ping() {
      try {
        await headBucket(2000);
      } catch (err) {
        throw new Error(explain(err, where));
      }
    },
    close() {
      client.destroy();
    },
  };
}
