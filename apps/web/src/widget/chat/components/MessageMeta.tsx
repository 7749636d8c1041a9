import { Typography } from 'antd';
import { formatFullTime, formatMessageTime } from '../../../shared/ui/format-time.ts';

/** Sender name (for others' messages) and time above a bubble. */
export function MessageMeta({ name, time }: { name?: string; time: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {name && <span data-testid="message-sender">{name} </span>}
      <time dateTime={time} title={formatFullTime(time)}>
        {formatMessageTime(time)}
      </time>
    </Typography.Text>
  );
}
