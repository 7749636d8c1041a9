import { PaperClipOutlined } from '@ant-design/icons';
// the component alone: the package's Sender also carries Sender.Header and Sender.Switch, which the chat never uses
import Sender from '@ant-design/x/es/sender/Sender';
import { MESSAGE_MAX_CHARS, ZMessageBody } from '@zhengna/contracts';
import { Alert, Button, Flex, Typography } from 'antd';
import { type ClipboardEvent, lazy, Suspense, useRef, useState } from 'react';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { EmojiButton } from '../../../shared/ui/emoji/EmojiButton.tsx';
import { CALL_NEEDS_AGENT, type CallIntent, callTools } from '../../call/call-entry.ts';
import { useToast } from '../../ui/toast.tsx';
import { ACCEPTED_FILES } from '../attachments/attachment-api.ts';
import type { AttachmentUploads } from '../attachments/use-attachment-uploads.ts';
import { ChatInput } from './ChatInput.tsx';

interface MessageComposerProps {
  disabled?: boolean;
  onSend: (body: string, attachmentIds: readonly string[]) => void;
  /** 转人工 (asks the server for a human). */
  onHandoff: () => void;
  /** 留言: opens the form (shown while the bot or the queue serves, and after hours). */
  onInquiry?: () => void;
  onAppointment?: () => void;
  onTypingChange?: (typing: boolean) => void;
  /** 远程协助 and 音视频 (they need an agent serving the conversation). */
  calls?: { withAgent: boolean; open: (intent: CallIntent) => void };
  uploads: AttachmentUploads;
  /** 清屏: hide what is shown (the server keeps the history). */
  onClearScreen: () => void;
  /** 加载记录: bring the history back, older pages on each further click. */
  onLoadHistory: () => void;
  loadingHistory: boolean;
  /** The socket voice input streams over (语音). */
  client?: RealtimeClient | null;
}

// the list of files to send shows only once a file is picked: its code waits until then (first load size budget)
const UploadList = lazy(() => import('../attachments/UploadList.tsx').then((m) => ({ default: m.UploadList })));

/** Show the counter once the text gets close to the limit. */
const COUNTER_FROM = MESSAGE_MAX_CHARS - 500;
type VoiceInputComponent = typeof import('../../voice/VoiceInput.tsx')['VoiceInput'];

/**
 * The input (2.1, 3.2): a tool row (表情, 图片/文件, 清屏, 加载记录, 留言, 预约, 远程协助, 音视频, 转人工) and the
 * text box with 语音 and 发送. Enter sends, Shift+Enter makes a new line, at most MESSAGE_MAX_CHARS characters. Files
 * picked, pasted (screenshots) or dropped on the chat upload at once and go with the next 发送; without text the file
 * names become the message text. 语音 (Sender's speech button, controlled) loads voice/VoiceInput on the first press;
 * while a dictation runs the box shows the recognised text read-only and 发送 waits.
 */
export function MessageComposer({
  disabled,
  onSend,
  onHandoff,
  onInquiry,
  onAppointment,
  onTypingChange,
  calls,
  uploads,
  onClearScreen,
  onLoadHistory,
  loadingHistory,
  client,
}: MessageComposerProps) {
  const message = useToast();
  const [value, setValue] = useState('');
  /** A tool that cannot be used now says why, under the tool row. */
  const [toolNotice, setToolNotice] = useState(false);
  const tools = callTools(Boolean(calls?.withAgent));
  // "请先转人工" is moot once an agent has joined
  const notice = toolNotice && tools.remoteAssist === 'explain';
  /** 语音: the 语音 button's state, whether a dictation runs (the box is then the recogniser's), its lazy code. */
  const [voiceWanted, setVoiceWanted] = useState(false);
  const [voiceActive, setVoiceActive] = useState(false);
  const [VoiceInput, setVoiceInput] = useState<VoiceInputComponent | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const length = value.length;
  const tooLong = length > MESSAGE_MAX_CHARS;
  const canSubmit =
    !disabled && !voiceActive && !tooLong && !uploads.uploading && (value.trim().length > 0 || uploads.ready);

  const change = (next: string) => {
    setValue(next);
    onTypingChange?.(next.length > 0);
  };

  const submit = (text: string) => {
    if (uploads.uploading) {
      void message.warning('文件还在上传，请稍候再发送。');
      return;
    }
    const hasFiles = uploads.ready;
    const draft =
      text.trim() || !hasFiles
        ? text
        : uploads.items
            .filter((i) => i.status === 'done')
            .map((i) => i.name)
            .join('、');
    const parsed = ZMessageBody.safeParse(draft);
    if (!parsed.success) {
      void message.warning(parsed.error.issues[0]?.message ?? '消息内容不正确');
      return;
    }
    const attachments = hasFiles ? uploads.take() : [];
    onSend(
      parsed.data,
      attachments.map((a) => a.id),
    );
    setValue('');
    onTypingChange?.(false);
  };

  const insertEmoji = (emoji: string) => {
    const textarea = wrapper.current?.querySelector('textarea');
    const start = textarea?.selectionStart ?? value.length;
    const end = textarea?.selectionEnd ?? value.length;
    change(value.slice(0, start) + emoji + value.slice(end));
    requestAnimationFrame(() => {
      textarea?.focus();
      textarea?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const onRecordingChange = (on: boolean) => {
    setVoiceWanted(on);
    if (on && !VoiceInput)
      import('../../voice/VoiceInput.tsx').then(
        (m) => setVoiceInput(() => m.VoiceInput),
        () => {
          setVoiceWanted(false);
          void message.error('语音输入加载失败，请检查网络后重试，或直接输入文字。');
        },
      );
  };

  // A screenshot pasted from the clipboard arrives as a file (usually image/png without a name).
  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    const files = Array.from(event.clipboardData?.files ?? []);
    if (files.length === 0 || disabled) return;
    event.preventDefault();
    uploads.add(files);
  };

  return (
    <div ref={wrapper} onPaste={onPaste} style={{ padding: '4px 12px 12px', flex: 'none' }}>
      <Flex align="center" gap={2} wrap role="toolbar" aria-label="输入工具" style={{ marginBottom: 4 }}>
        <EmojiButton disabled={disabled} onPick={insertEmoji} />
        <Button
          type="text"
          size="small"
          icon={<PaperClipOutlined />}
          aria-label="图片/文件"
          title="发送图片或文件（也可粘贴截图或拖入窗口）"
          onClick={() => fileInput.current?.click()}
          disabled={disabled}
          data-testid="upload-button"
        />
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={ACCEPTED_FILES}
          hidden
          data-testid="file-input"
          onChange={(event) => {
            uploads.add(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        <span style={{ flex: 1 }} />
        <Button type="text" size="small" onClick={onClearScreen} data-testid="clear-screen">
          清屏
        </Button>
        <Button type="text" size="small" onClick={onLoadHistory} loading={loadingHistory} data-testid="load-history">
          加载记录
        </Button>
        {onInquiry && (
          <Button size="small" onClick={onInquiry} data-testid="inquiry-button">
            留言
          </Button>
        )}
        {onAppointment && (
          <Button size="small" onClick={onAppointment} data-testid="appointment-button">
            预约
          </Button>
        )}
        {calls && (
          <Button
            size="small"
            disabled={disabled}
            aria-disabled={tools.remoteAssist === 'explain'}
            className={tools.remoteAssist === 'explain' ? 'zn-tool-unavailable' : undefined}
            onClick={() => (tools.remoteAssist === 'open' ? calls.open('screen') : setToolNotice(true))}
            data-testid="remote-assist-button"
          >
            远程协助
          </Button>
        )}
        {calls && tools.callRequest && (
          <Button
            size="small"
            disabled={disabled}
            aria-label="音视频通话"
            onClick={() => calls.open('call')}
            data-testid="call-request-button"
          >
            音视频
          </Button>
        )}
        <Button size="small" onClick={onHandoff} disabled={disabled} data-testid="handoff-button">
          转人工
        </Button>
      </Flex>
      {notice && (
        <Alert
          type="info"
          showIcon
          closable={{ 'aria-label': '关闭提示' }}
          onClose={() => setToolNotice(false)}
          title={CALL_NEEDS_AGENT}
          role="status"
          data-testid="call-unavailable"
          style={{ marginBottom: 6, fontSize: 12 }}
        />
      )}
      {uploads.items.length > 0 && (
        <Suspense fallback={null}>
          <UploadList items={uploads.items} onRemove={uploads.remove} />
        </Suspense>
      )}
      {VoiceInput && client && (
        <VoiceInput
          client={client}
          wanted={voiceWanted}
          value={value}
          onText={change}
          onActiveChange={(active) => {
            setVoiceActive(active);
            if (!active) setVoiceWanted(false);
          }}
        />
      )}
      <Sender
        value={value}
        readOnly={voiceActive}
        allowSpeech={{ recording: voiceWanted, onRecordingChange }}
        onChange={change}
        onSubmit={submit}
        submitType="enter"
        disabled={disabled}
        placeholder="请输入您的问题，Enter 发送，Shift+Enter 换行"
        autoSize={{ minRows: 1, maxRows: 6 }}
        components={{ input: ChatInput }}
        suffix={(_, { components: { SendButton, SpeechButton } }) => (
          <>
            <SpeechButton aria-label="语音" title="语音输入" data-testid="voice-button" />
            <SendButton aria-label="发送" data-testid="widget-send" disabled={!canSubmit} />
          </>
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
