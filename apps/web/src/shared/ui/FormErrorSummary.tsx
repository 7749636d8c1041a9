import { Alert } from 'antd';

/** The messages of a failed submit in one announced alert (see form-errors.ts); nothing when there are none. */
export function FormErrorSummary({ errors, testId }: { errors: readonly string[]; testId?: string }) {
  if (errors.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errors.length === 1 ? errors[0] : `请修改以下 ${errors.length} 处：${errors.join('；')}`}
      style={{ marginBottom: 8 }}
      data-testid={testId}
    />
  );
}
