/**
 * The one error type of the server. A code from the contracts maps to an HTTP status and to a socket ack error;
 * the message shown to people is the contract's Chinese text unless a more precise one is given.
 */
import { ERRORS, type ErrorCode, type TErrorBody } from '@zhengna/contracts';
import type { z } from 'zod';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, fields?: Record<string, string>) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): TErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }

  /** A zod failure as a validation error whose message is the first problem, in the schema's Chinese words. */
  static fromZod(error: z.ZodError, code: ErrorCode = 'VALIDATION_FAILED'): AppError {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const key = issue.path.join('.') || '_';
      fields[key] ??= chineseIssue(issue);
    }
    const first = Object.values(fields)[0];
    return new AppError(code, first ? `${ERRORS[code].message}${first}` : undefined, fields);
  }
}

/** zod's own messages are English; schemas give Chinese ones where a person could get it wrong. */
function chineseIssue(issue: z.core.$ZodIssue): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves the input out of an issue unless asked (reportInput); its message still says what it received
      return ('input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message))
        ? '缺少必填项'
        : '格式不正确';
    case 'too_big':
      return '内容过长或过大';
    case 'too_small':
      return '内容过短或为空';
    case 'invalid_format':
      return '格式不正确';
    case 'unrecognized_keys':
      return `包含不支持的字段：${issue.keys.join('、')}`;
    default:
      return '内容不正确';
  }
}

/** Errors of node's sockets that mean the database cannot be reached (refused, reset, unreachable, timed out). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres and pg-pool say these in words only: the connection broke, or no connection came in time. */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * Whether an error means the database is unreachable for now (down, restarting, shutting down, out of connections,
 * or too slow to answer within the pool's bounds) rather than a fault of the request or of the code. Looks through
 * the wrappers the drivers add (drizzle's query error `cause`, an AggregateError's `errors`).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code)) return true;
    // SQLSTATE: class 08 connection exception; 57P01-57P03 admin/crash shutdown, cannot connect now; 53300 too
    // many connections
    if (/^08[0-9A-Z]{3}$/.test(e.code) || /^57P0[1-3]$/.test(e.code) || e.code === '53300') return true;
  }
  if (typeof e.message === 'string' && LOST_CONNECTION.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * The innermost cause of an error in one line ("ECONNREFUSED connect ECONNREFUSED 10.0.0.5:5432"), for logs: not the
 * failed query with its parameters, which may hold personal data.
 */
export function rootCause(err: unknown): string {
  let e = err;
  for (let i = 0; i < 5; i++) {
    const cause = (e as { cause?: unknown } | null)?.cause;
    if (!cause) break;
    e = cause;
  }
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return [typeof code === 'string' ? code : '', typeof message === 'string' ? message : String(e)]
    .filter(Boolean)
    .join(' ');
}

/**
 * Any error as the one a person sees: an AppError as it is, the database being unreachable as 503 服务暂时不可用
 * (the request may simply be tried again), anything else as 500.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new AppError('SERVICE_UNAVAILABLE');
  return new AppError('INTERNAL');
}
