/** Parses request input with a contracts schema; a failure becomes a VALIDATION_FAILED AppError in Chinese. */
import type { z } from 'zod';
import { AppError } from '../platform/app-error.ts';

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw AppError.fromZod(r.error);
  return r.data;
}
