/**
 * Environment, parsed once. Everything the operator can set is listed here (README's configuration reference).
 */
import path from 'node:path';
import { CALL_TIMEOUTS } from '@zhengna/contracts';
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
  /** Distributed shape: PostgreSQL. Unset → embedded PGlite in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
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
  /** Shutdown: how long to wait for in-flight writes before closing. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(5000),
});

export type Config = z.infer<typeof ZEnv> & {
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
  return {
    ...c,
    shape: c.DATABASE_URL ? 'distributed' : 'embedded',
    allowedOrigins: list(c.ALLOWED_ORIGINS),
    turnUrls,
    stunUrls,
  };
}
