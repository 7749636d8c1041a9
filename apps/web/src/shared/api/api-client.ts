import { ZErrorBody } from '@zhengna/contracts';
import type { z } from 'zod';
import { ApiError } from './api-error.ts';

export interface ApiRequestOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON body; omitted for GET. */
  body?: unknown;
  /** Schema of a successful response. Without one, the body is ignored. */
  schema?: S;
  /** Bearer token (the chat runs in an iframe and cannot rely on cookies). */
  accessToken?: string;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试。';
const BAD_RESPONSE_MESSAGE = '服务器返回的数据无法识别，请稍后再试。';
const FALLBACK_MESSAGE = '系统繁忙，请稍后再试。';

/**
 * Calls the server (same origin) and returns the parsed response.
 * Every failure becomes an {@link ApiError} carrying the server's Chinese message.
 *
 * @example
 * const me = await apiRequest('/api/portal/me', { schema: ZPortalMe });
 */
export async function apiRequest<S extends z.ZodType = z.ZodUnknown>(
  path: string,
  options: ApiRequestOptions<S> = {},
): Promise<z.infer<S>> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, schema, accessToken, query, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;

  let response: Response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('NETWORK', NETWORK_MESSAGE, 0);
  }

  const json = await readJson(response);
  if (!response.ok) {
    const parsed = ZErrorBody.safeParse(json);
    if (parsed.success) {
      throw new ApiError(parsed.data.code, parsed.data.message, response.status, parsed.data.fields);
    }
    if (response.status === 401) throw new ApiError('UNAUTHENTICATED', '登录已失效，请重新登录。', 401);
    throw new ApiError('INTERNAL', FALLBACK_MESSAGE, response.status);
  }
  if (!schema) return undefined as z.infer<S>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, response.status);
  return parsed.data;
}

function withQuery(path: string, query: ApiRequestOptions<z.ZodType>['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
