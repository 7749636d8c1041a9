import type { ErrorCode } from '@zhengna/contracts';

/** Codes the client adds for failures that never reached (or never came back from) the server. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

/**
 * The one error every API call throws. `message` is Chinese and meant to be shown as-is; `code` is for
 * branching (e.g. UNAUTHENTICATED → go to the login page).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly status: number,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

/** A Chinese message for anything thrown, for places that just show what went wrong. */
export function errorMessage(error: unknown, fallback = '操作失败，请稍后再试。'): string {
  if (error instanceof ApiError) return error.message;
  return fallback;
}
