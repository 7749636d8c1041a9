import { MESSAGE_MAX_CHARS, ZMessageBody } from '@zhengna/contracts';
import { App, Button, Flex, Input, Typography } from 'antd';
import { useState } from 'react';

interface ReplyBoxProps {
  disabled?: boolean;
  onSend: (body: string) => void;
  onTypingChange?: (typing: boolean) => void;
}

/** Enter sends, Shift+Enter makes a new line (IME composition is left alone). */
export function ReplyBox({ disabled, onSend, onTypingChange }: ReplyBoxProps) {
  const { message } = App.useApp();
  const [value, setValue] = useState('');
  const tooLong = value.length > MESSAGE_MAX_CHARS;

  const send = () => {
    const parsed = ZMessageBody.safeParse(value);
    if (!parsed.success) {
      void message.warning(parsed.error.issues[0]?.message ?? '消息内容不正确');
      return;
    }
    onSend(parsed.data);
    setValue('');
    onTypingChange?.(false);
  };

  return (
    <Flex vertical gap={4} style={{ padding: 12, borderTop: '1px solid rgba(5,5,5,.06)', background: '#fff' }}>
      <Input.TextArea
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          onTypingChange?.(e.target.value.length > 0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            if (!disabled) send();
          }
        }}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder="输入回复，Enter 发送，Shift+Enter 换行"
        aria-label="回复内容"
        data-testid="workspace-reply-input"
        disabled={disabled}
      />
      <Flex justify="space-between" align="center">
        <Typography.Text type={tooLong ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {value.length >= MESSAGE_MAX_CHARS - 500 ? `${value.length}/${MESSAGE_MAX_CHARS}` : ''}
        </Typography.Text>
        <Button
          type="primary"
          onClick={send}
          disabled={disabled || tooLong || !value.trim()}
          data-testid="workspace-send"
        >
          发送
        </Button>
      </Flex>
    </Flex>
  );
}
