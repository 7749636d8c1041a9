/**
 * antd's Form shows an error beside its field (and points the field's aria-describedby at it) but does not announce
 * it. A failed submit therefore also shows the messages together in one role=alert summary, which screen readers
 * read out; it updates as fields are corrected and disappears when none is left.
 */
export function errorSummary(fields: readonly { errors: readonly string[] }[]): string[] {
  return [...new Set(fields.flatMap((f) => f.errors))];
}
