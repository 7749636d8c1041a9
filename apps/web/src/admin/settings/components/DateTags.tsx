import { DatePicker, Flex, Tag, Typography } from 'antd';
import { addDate } from '../service-hours.ts';

interface DateTagsProps {
  label: string;
  testId: string;
  value: string[];
  onChange: (next: string[]) => void;
  disabled: boolean;
  error?: string | undefined;
}

/** A list of dates (YYYY-MM-DD) as tags, added with a date picker. */
export function DateTags({ label, testId, value, onChange, disabled, error }: DateTagsProps) {
  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={6} role="list" aria-label={label} data-testid={testId}>
        {value.map((d) => (
          <Tag
            key={d}
            role="listitem"
            closable={disabled ? false : { 'aria-label': `删除 ${d}` }}
            onClose={(e) => {
              e.preventDefault();
              onChange(value.filter((x) => x !== d));
            }}
            style={{ marginInlineEnd: 0 }}
          >
            {d}
          </Tag>
        ))}
        {value.length === 0 && <Typography.Text type="secondary">暂无</Typography.Text>}
      </Flex>
      {!disabled && (
        <DatePicker
          aria-label={`添加${label}`}
          placeholder={`添加${label}`}
          value={null}
          style={{ width: 200 }}
          format="YYYY-MM-DD"
          onChange={(_date, text) => {
            if (typeof text === 'string' && text) onChange(addDate(value, text));
          }}
          data-testid={`${testId}-picker`}
        />
      )}
      {error && (
        <Typography.Text type="danger" role="alert">
          {error}
        </Typography.Text>
      )}
    </Flex>
  );
}
