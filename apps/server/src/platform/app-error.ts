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

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL');
}
