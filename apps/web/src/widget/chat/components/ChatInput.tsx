import { Input } from 'antd';
import type { ComponentProps } from 'react';

/** Sender's text area with a Chinese accessible name (Sender itself does not pass one to the textarea). */
export function ChatInput(props: ComponentProps<typeof Input.TextArea>) {
  return <Input.TextArea {...props} aria-label="输入消息" data-testid="widget-input" />;
}
