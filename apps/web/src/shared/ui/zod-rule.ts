import type { FormRule } from 'antd';
import type { z } from 'zod';

/**
 * An antd form rule that validates with a contracts schema, so the page shows the same Chinese message the
 * server would answer with.
 */
export function zodRule(schema: z.ZodType): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === '') return; // "required" has its own message
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? '输入不正确');
    },
  };
}
