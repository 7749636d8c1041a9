import { ZSetCapacityRequest } from '@zhengna/contracts';

export const CAPACITY = ZSetCapacityRequest.shape.maxConcurrent;

/** A cap typed into the row: checked like the server does, with the contract's Chinese message. */
export function checkCapacity(
  value: number | null | undefined,
): { ok: true; value: number } | { ok: false; error: string } {
  if (value === null || value === undefined) return { ok: false, error: '请填写同时服务上限' };
  const parsed = CAPACITY.safeParse(value);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? '同时服务上限不正确' };
  return { ok: true, value: parsed.data };
}
