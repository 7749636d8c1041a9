import { Sender } from '@ant-design/x';
import { MESSAGE_MAX_CHARS, ZMessageBody } from '@zhengna/contracts';
import { App, Typography } from 'antd';
import { useState } from 'react';
import { ChatInput } from './ChatInput.tsx';

interface MessageComposerProps {
  disabled?: boolean;
  onSend: (body: string) => void;
  onTypingChange?: (typing: boolean) => void;
}

/** Show the counter once the text gets close to the limit. */
const COUNTER_FROM = MESSAGE_MAX_CHARS - 500;

/** The input: Enter sends, Shift+Enter makes a new line, at most MESSAGE_MAX_CHARS characters. */
export function MessageComposer({ disabled, onSend, onTypingChange }: MessageComposerProps) {
  const { message } = App.useApp();
  const [value, setValue] = useState('');
  const length = value.length;
  const tooLong = length > MESSAGE_MAX_CHARS;

  const submit = (text: string) => {
    const parsed = ZMessageBody.safeParse(text);
    if (!parsed.success) {
      void message.warning(parsed.error.issues[0]?.message ?? '消息内容不正确');
      return;
    }
    onSend(parsed.data);
    setValue('');
    onTypingChange?.(false);
  };

  return (
    <div style={{ padding: '8px 12px 12px', flex: 'none' }}>
      <Sender
        value={value}
        onChange={(next) => {
          setValue(next);
          onTypingChange?.(next.length > 0);
        }}
        onSubmit={submit}
        submitType="enter"
        disabled={disabled}
        placeholder="请输入您的问题，Enter 发送，Shift+Enter 换行"
        autoSize={{ minRows: 1, maxRows: 6 }}
        components={{ input: ChatInput }}
        suffix={(_, { components: { SendButton } }) => (
          <SendButton aria-label="发送" data-testid="widget-send" disabled={disabled || tooLong || !value.trim()} />
        )}
        footer={
          length >= COUNTER_FROM ? (
            <Typography.Text
              type={tooLong ? 'danger' : 'secondary'}
              style={{ fontSize: 12 }}
              data-testid="char-counter"
            >
              {length}/{MESSAGE_MAX_CHARS}
              {tooLong ? '，已超出字数限制，请分段发送' : ''}
            </Typography.Text>
          ) : undefined
        }
      />
    </div>
  );
}
