import { ZHandoffRules } from '@zhengna/contracts';
import type { z } from 'zod';
import { ApiError } from '../../shared/api/api-error.ts';

/** The bounds a contracts number schema allows, for InputNumber's min/max. */
export function numberRange(schema: z.ZodNumber): { min: number; max: number } {
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

const ZKeyword = ZHandoffRules.shape.keywords.element;
/** As ZHandoffRules.keywords allows. */
const MAX_KEYWORDS = 50;

/** A keyword typed into the tag editor: trimmed and checked like the server does, plus no duplicates. */
export function checkNewKeyword(
  input: string,
  existing: readonly string[],
): { ok: true; keyword: string } | { ok: false; error: string } {
  const keyword = input.trim();
  if (!keyword) return { ok: false, error: '请输入关键词' };
  const parsed = ZKeyword.safeParse(keyword);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: issue?.code === 'too_big' ? '关键词不超过 20 个字' : (issue?.message ?? '关键词不正确'),
    };
  }
  if (existing.includes(parsed.data)) return { ok: false, error: `“${parsed.data}”已在列表中` };
  if (existing.length >= MAX_KEYWORDS) return { ok: false, error: `关键词最多 ${MAX_KEYWORDS} 个` };
  return { ok: true, keyword: parsed.data };
}

/**
 * The server's field errors of a settings PUT ({"value.keywords.0": "…"}) by the form field they belong to:
 * "keywords", or for the weekly table "week.mon". The first message of a field wins.
 */
export function settingFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const parts = path.split('.');
    if (parts[0] === 'value') parts.shift();
    const depth = parts[0] === 'week' ? 2 : 1;
    const key = parts.slice(0, depth).join('.') || '_';
    out[key] ??= message;
  }
  return out;
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.status === 409);
}
