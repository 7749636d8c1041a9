/**
 * Environment, parsed once. Everything the operator can set is listed here (README's configuration reference).
 */
import path from 'node:path';
import { AUDIT_MIN_RETENTION_DAYS, CALL_TIMEOUTS } from '@zhengna/contracts';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Embedded shape: where PGlite and uploaded files live. */
  DATA_DIR: z.string().default('./data'),
  /**
   * Where uploaded files go: `disk` (default: the folder FILES_DIR) or `s3` (a bucket of an S3-compatible store such
   * as MinIO, with the S3_* settings below; the bucket is created at start when missing).
   */
  FILE_STORE: z.enum(['disk', 's3']).default('disk'),
  /** Disk store: the folder, default DATA_DIR/files. Several nodes: one shared mounted folder (NFS) on every node. */
  FILES_DIR: z.string().min(1).optional(),
  /** S3 store: the endpoint URL (MinIO: http://minio:9000), region, bucket and an access key pair. */
  S3_ENDPOINT: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u) && !/^https?:\/\/[^/]*@/.test(u), 'an http(s) URL without user:password')
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3–63 lowercase letters, digits, dots and hyphens')
    .optional(),
  S3_ACCESS_KEY_ID: z.string().default(''),
  S3_SECRET_ACCESS_KEY: z.string().default(''),
  /** Buckets by path (http://minio:9000/bucket/key), as MinIO needs; false → by host name (bucket.s3.example.com). */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Distributed shape: PostgreSQL. Unset → embedded PGlite in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * PostgreSQL unreachable or hung: how long a request waits for a connection, and for one query's answer, before it
   * is answered 503 服务暂时不可用 (milliseconds).
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Distributed shape: Redis for realtime fan-out across nodes. Unset → in-memory. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated origins allowed to open sockets and embed the chat, besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Where the built web app lives. */
  WEB_DIST: z.string().default(path.resolve(import.meta.dirname, '../../web/dist')),
  NODE_ID: z.string().default(`node-${process.pid}`),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Import the product's knowledge base (modules/knowledge/seed-kb) on first start. */
  SEED_KB: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The bot answers taxpayers until an agent takes the conversation. */
  BOT_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Behind nginx: trust X-Forwarded-* headers. */
  TRUST_PROXY: bool,
  /** Send cookies with the Secure flag (set when served over HTTPS). */
  COOKIE_SECURE: bool,
  STAFF_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  STAFF_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  TAXPAYER_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  TAXPAYER_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(8),
  /** A connected socket's session is checked again on its next event after this many seconds. */
  SOCKET_SESSION_RECHECK_SECONDS: z.coerce.number().int().nonnegative().default(30),
  /**
   * A socket whose client stops reading while this many KB already wait to be sent to it is disconnected (it
   * resyncs when it reconnects): one slow or stalled client cannot hold a node's memory. 0 turns the limit off.
   */
  SOCKET_SEND_BUFFER_LIMIT_KB: z.coerce.number().int().nonnegative().default(8192),
  /** A taxpayer silent this long after the agent's last message is warned; after IDLE_CLOSE_MINUTES more, closed. */
  IDLE_WARN_MINUTES: z.coerce.number().positive().default(5),
  IDLE_CLOSE_MINUTES: z.coerce.number().positive().default(5),
  /**
   * How SMS leave: `outbox` (default) only stores each message in the sms_outbox table, listed in the admin console;
   * `aliyun` sends through Alibaba Cloud SMS (Dysms SendSms) with the keys below and also records it there.
   */
  SMS_DRIVER: z.enum(['outbox', 'aliyun']).default('outbox'),
  SMS_ALIYUN_ACCESS_KEY_ID: z.string().default(''),
  SMS_ALIYUN_ACCESS_KEY_SECRET: z.string().default(''),
  /** 短信签名, as approved in the Aliyun console. */
  SMS_ALIYUN_SIGN_NAME: z.string().default(''),
  SMS_ALIYUN_ENDPOINT: z.string().url().default('https://dysmsapi.aliyuncs.com/'),
  SMS_ALIYUN_REGION: z.string().default('cn-hangzhou'),
  /**
   * Calls and remote assistance (WebRTC): comma-separated `turn:`/`turns:` URLs of coturn servers run with
   * `use-auth-secret`, the shared `static-auth-secret`, and how long each issued credential lasts. Unset → no relay,
   * only the STUN_URLS (which may be empty: direct connections on the same network).
   */
  TURN_URLS: z.string().default(''),
  TURN_SECRET: z.string().default(''),
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
  STUN_URLS: z.string().default(''),
  /**
   * Every call goes through TURN (`iceTransportPolicy: 'relay'`): neither side learns the other's address, at the cost
   * of relaying all media. Needs TURN_URLS.
   */
  RTC_RELAY_ONLY: bool,
  /** An invitation nobody answers in this many seconds is 未接听; a taxpayer's request lapses after four times that. */
  CALL_RING_SECONDS: z.coerce.number().int().min(2).max(600).default(CALL_TIMEOUTS.ringSeconds),
  /** An accepted call whose peers do not connect in this many seconds fails (network). */
  CALL_CONNECT_SECONDS: z.coerce.number().int().min(2).max(600).default(CALL_TIMEOUTS.connectSeconds),
  /**
   * Voice input (语音输入): which recogniser turns the taxpayer's speech into text. `sherpa-onnx` runs a streaming
   * Chinese model from SPEECH_MODEL_DIR on this machine (no cloud); `tencent` sends the audio to Tencent Cloud ASR;
   * `test` is the test recogniser (not speech recognition: it reports voiced stretches, for tests and benchmarks only);
   * `none` turns voice input off. Default: `sherpa-onnx` when SPEECH_MODEL_DIR is set, else `none`.
   */
  SPEECH_DRIVER: z.enum(['none', 'sherpa-onnx', 'tencent', 'test']).optional(),
  /**
   * A streaming sherpa-onnx model, unpacked: a zipformer transducer (encoder/decoder/joiner *.onnx + tokens.txt), a
   * streaming paraformer (encoder/decoder *.onnx + tokens.txt) or a zipformer2 CTC model (one *.onnx + tokens.txt).
   */
  SPEECH_MODEL_DIR: z.string().optional(),
  /** Recognition engine processes (each loads the model once and serves many streams). */
  SPEECH_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** onnxruntime threads per engine process. */
  SPEECH_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** Voice input streams this node serves at once; one more is answered 语音识别繁忙. */
  SPEECH_MAX_STREAMS: z.coerce.number().int().min(1).max(10_000).default(8),
  /**
   * Test recogniser only: writes each stream's PCM, as received, to `<dir>/<streamId>.pcm` (end-to-end tests compare
   * it with what the browser sent). Never set in production: otherwise audio is never stored.
   */
  SPEECH_TEST_CAPTURE_DIR: z.string().optional(),
  /** Test recogniser only: it takes this many milliseconds per 100 ms of audio (a slow engine, for back-pressure tests). */
  SPEECH_TEST_DELAY_MS: z.coerce.number().int().nonnegative().max(10_000).default(0),
  /** Tencent Cloud ASR (实时语音识别): the account's AppId and an API key pair. */
  SPEECH_TENCENT_APP_ID: z.string().default(''),
  SPEECH_TENCENT_SECRET_ID: z.string().default(''),
  SPEECH_TENCENT_SECRET_KEY: z.string().default(''),
  /** Tencent's engine model type (16k_zh: Mandarin, 16 kHz). */
  SPEECH_TENCENT_ENGINE: z.string().default('16k_zh'),
  SPEECH_TENCENT_ENDPOINT: z.string().url().default('wss://asr.cloud.tencent.com/asr/v2'),
  /**
   * 审计日志: entries older than this many days are deleted by a daily job. At least AUDIT_MIN_RETENTION_DAYS (183, six
   * months); the database itself refuses to delete younger entries.
   */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().default(365),
  /** Shutdown: how long to wait for in-flight writes before closing. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(5000),
});

export type Config = Omit<z.infer<typeof ZEnv>, 'SPEECH_DRIVER'> & {
  SPEECH_DRIVER: 'none' | 'sherpa-onnx' | 'tencent' | 'test';
  shape: 'embedded' | 'distributed';
  allowedOrigins: string[];
  turnUrls: string[];
  stunUrls: string[];
};

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  if (
    c.SMS_DRIVER === 'aliyun' &&
    !(c.SMS_ALIYUN_ACCESS_KEY_ID && c.SMS_ALIYUN_ACCESS_KEY_SECRET && c.SMS_ALIYUN_SIGN_NAME)
  ) {
    throw new Error(
      'Invalid configuration: SMS_DRIVER=aliyun needs SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET and SMS_ALIYUN_SIGN_NAME',
    );
  }
  if (c.FILE_STORE === 's3') {
    const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
      (k) => !c[k],
    );
    if (missing.length) throw new Error(`Invalid configuration: FILE_STORE=s3 needs ${missing.join(', ')}`);
  }
  if (c.AUDIT_RETENTION_DAYS < AUDIT_MIN_RETENTION_DAYS) {
    throw new Error(
      `Invalid configuration: AUDIT_RETENTION_DAYS must be at least ${AUDIT_MIN_RETENTION_DAYS} (six months), got ${c.AUDIT_RETENTION_DAYS}`,
    );
  }
  const turnUrls = list(c.TURN_URLS);
  const stunUrls = list(c.STUN_URLS);
  const badTurn = turnUrls.filter((u) => !/^turns?:[^\s]+$/.test(u));
  if (badTurn.length) {
    throw new Error(`Invalid configuration: TURN_URLS must be turn: or turns: URLs, got ${badTurn.join(', ')}`);
  }
  const badStun = stunUrls.filter((u) => !/^stuns?:[^\s]+$/.test(u));
  if (badStun.length) {
    throw new Error(`Invalid configuration: STUN_URLS must be stun: or stuns: URLs, got ${badStun.join(', ')}`);
  }
  if (c.RTC_RELAY_ONLY && !turnUrls.length) {
    throw new Error(
      'Invalid configuration: RTC_RELAY_ONLY is set but TURN_URLS is empty; relay-only calls need a TURN server',
    );
  }
  if (turnUrls.length && !c.TURN_SECRET) {
    throw new Error(
      'Invalid configuration: TURN_URLS is set but TURN_SECRET is empty; set TURN_SECRET to the static-auth-secret of the coturn servers',
    );
  }
  const speechDriver = c.SPEECH_DRIVER ?? (c.SPEECH_MODEL_DIR ? 'sherpa-onnx' : 'none');
  if (speechDriver === 'sherpa-onnx' && !c.SPEECH_MODEL_DIR) {
    throw new Error(
      'Invalid configuration: SPEECH_DRIVER=sherpa-onnx needs SPEECH_MODEL_DIR, the folder of a streaming sherpa-onnx model',
    );
  }
  if (
    speechDriver === 'tencent' &&
    !(c.SPEECH_TENCENT_APP_ID && c.SPEECH_TENCENT_SECRET_ID && c.SPEECH_TENCENT_SECRET_KEY)
  ) {
    throw new Error(
      'Invalid configuration: SPEECH_DRIVER=tencent needs SPEECH_TENCENT_APP_ID, SPEECH_TENCENT_SECRET_ID and SPEECH_TENCENT_SECRET_KEY',
    );
  }
  return {
    ...c,
    SPEECH_DRIVER: speechDriver,
    shape: c.DATABASE_URL ? 'distributed' : 'embedded',
    allowedOrigins: list(c.ALLOWED_ORIGINS),
    turnUrls,
    stunUrls,
  };
}
