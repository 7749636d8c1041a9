import { PaperClipOutlined } from '@ant-design/icons';
import { MESSAGE_MAX_CHARS, ZMessageBody } from '@zhengna/contracts';
import { App, Button, Flex, Input, Switch, Typography } from 'antd';
import { useRef, useState } from 'react';
import { EmojiButton } from '../../../shared/ui/emoji/EmojiButton.tsx';
import { CannedReplies } from '../../tools/CannedReplies.tsx';
import { KnowledgeSearch } from '../../tools/KnowledgeSearch.tsx';

interface ReplyBoxProps {
  disabled?: boolean;
  /** Supervisors and admins may share canned replies. */
  canShare?: boolean;
  onSend: (body: string, isPrivate: boolean) => void;
  /** Upload a file and send it as a message (optional). */
  onUpload?: (file: File) => Promise<void>;
  onTypingChange?: (typing: boolean) => void;
}

/** Enter sends, Shift+Enter makes a new line (IME composition is left alone). 内部备注 goes to staff only. */
export function ReplyBox({ disabled, canShare = false, onSend, onUpload, onTypingChange }: ReplyBoxProps) {
  const { message } = App.useApp();
  const [value, setValue] = useState('');
  const [note, setNote] = useState(false);
  const [uploading, setUploading] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const tooLong = value.length > MESSAGE_MAX_CHARS;

  const send = () => {
    const parsed = ZMessageBody.safeParse(value);
    if (!parsed.success) {
      void message.warning(parsed.error.issues[0]?.message ?? '消息内容不正确');
      return;
    }
    onSend(parsed.data, note);
    setValue('');
    if (!note) onTypingChange?.(false);
  };

  /** Inserts at the cursor (快捷回复, 知识库, 表情). */
  const insert = (text: string) => {
    const textarea = box.current?.querySelector('textarea');
    const start = textarea?.selectionStart ?? value.length;
    const end = textarea?.selectionEnd ?? value.length;
    setValue(value.slice(0, start) + text + value.slice(end));
    requestAnimationFrame(() => {
      textarea?.focus();
      textarea?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  return (
    <Flex
      ref={box}
      vertical
      gap={4}
      style={{
        padding: 12,
        borderTop: '1px solid rgba(5,5,5,.06)',
        background: note ? '#fffbe6' : '#fff',
      }}
      data-testid="reply-box"
      data-private={note ? 'true' : 'false'}
    >
      <Flex align="center" gap={6} wrap role="toolbar" aria-label="回复工具">
        <EmojiButton disabled={disabled} onPick={insert} />
        {onUpload && (
          <>
            <Button
              type="text"
              size="small"
              icon={<PaperClipOutlined />}
              aria-label="发送图片或文件"
              title="发送图片或文件"
              loading={uploading}
              disabled={disabled || note}
              onClick={() => fileInput.current?.click()}
              data-testid="workspace-upload"
            />
            <input
              ref={fileInput}
              type="file"
              hidden
              accept="image/jpeg,image/png,image/gif,image/webp,.pdf,.doc,.docx,.xlsx"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                setUploading(true);
                onUpload(file).finally(() => setUploading(false));
              }}
            />
          </>
        )}
        <CannedReplies disabled={disabled} canShare={canShare} onPick={insert} />
        <KnowledgeSearch disabled={disabled} onInsert={insert} />
        <Flex align="center" gap={6} style={{ marginLeft: 'auto' }}>
          <Switch
            size="small"
            checked={note}
            onChange={setNote}
            aria-label="内部备注（仅同事可见）"
            data-testid="private-toggle"
            id="private-toggle"
          />
          <label htmlFor="private-toggle" style={{ fontSize: 12 }}>
            内部备注
          </label>
        </Flex>
      </Flex>
      <Input.TextArea
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (!note) onTypingChange?.(e.target.value.length > 0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            if (!disabled) send();
          }
        }}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder={note ? '内部备注仅同事可见，纳税人看不到。Enter 保存' : '输入回复，Enter 发送，Shift+Enter 换行'}
        aria-label={note ? '内部备注内容' : '回复内容'}
        data-testid="workspace-reply-input"
        disabled={disabled}
      />
      <Flex justify="space-between" align="center">
        <Typography.Text type={tooLong ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {note ? '内部备注：仅坐席和班长可见' : ''}
          {value.length >= MESSAGE_MAX_CHARS - 500 ? ` ${value.length}/${MESSAGE_MAX_CHARS}` : ''}
        </Typography.Text>
        <Button
          type="primary"
          onClick={send}
          disabled={disabled || tooLong || !value.trim()}
          data-testid="workspace-send"
          style={note ? { background: '#d48806' } : undefined}
        >
          {note ? '保存备注' : '发送'}
        </Button>
      </Flex>
    </Flex>
  );
}
