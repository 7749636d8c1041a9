import {
  HANDOFF_REASON_LABELS,
  type TAttachment,
  TAXPAYER_TYPE_LABELS,
  type TConversationSummary,
  type TStaffMe,
  ZAttachment,
  ZErrorBody,
} from '@zhengna/contracts';
import { Alert, App, Button, Flex, Popconfirm, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/api-error.ts';
import type { RealtimeClient } from '../../../shared/realtime/realtime-client.ts';
import { useConversationView } from '../../../shared/realtime/use-realtime.ts';
import { useRemoteTyping, useTypingSignal } from '../../../shared/realtime/use-typing.ts';
import { CallButtons } from '../../calls/components/CallButtons.tsx';
import { ConversationCallSection } from '../../calls/components/ConversationCallSection.tsx';
import { maskTaxpayerNo } from '../../taxpayer/mask.ts';
import { TransferDialog } from '../../transfer/TransferDialog.tsx';
import {
  assignConversation,
  endConversation,
  fetchConversationMessages,
  transferConversation,
} from '../api/workspace-api.ts';
import { ReplyBox } from './ReplyBox.tsx';
import { StaffMessageItem } from './StaffMessageItem.tsx';

interface ConversationPaneProps {
  client: RealtimeClient | null;
  summary: TConversationSummary;
  me: TStaffMe;
  /** After 转接 / 结束 / 接管: the lists change. */
  onChanged: () => void;
}

/** The open conversation: who it is with, the timeline, and the reply box. */
export function ConversationPane({ client, summary, me, onChanged }: ConversationPaneProps) {
  const { message } = App.useApp();
  const staffId = me.staffId;
  const staffName = me.name;
  const conversationId = summary.id;
  const supervisor = me.role !== 'agent';
  const mine = summary.assigneeStaffId === staffId;
  const open = summary.status === 'open';
  const [transferOpen, setTransferOpen] = useState(false);
  const [ending, setEnding] = useState(false);
  const view = useConversationView(client, conversationId);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const taxpayerTyping = useRemoteTyping(client, conversationId, 'taxpayer');
  const signalTyping = useTypingSignal(client, conversationId);

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    setLoading(true);
    setLoadError(null);
    fetchConversationMessages(conversationId).then(
      (page) => {
        if (cancelled) return;
        client.track(conversationId, page.messages);
        setHasOlder(page.hasMore);
        setLoading(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(error, '消息加载失败。'));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      client.untrack(conversationId);
    };
  }, [client, conversationId]);

  const loadOlder = useCallback(async () => {
    const oldest = view.messages[0];
    if (!client || !oldest) return;
    setLoadingOlder(true);
    try {
      const page = await fetchConversationMessages(conversationId, oldest.seq);
      keepScrollOnPrepend.current = true;
      client.merge(conversationId, page.messages);
      setHasOlder(page.hasMore);
    } catch (error) {
      setLoadError(errorMessage(error, '加载记录失败。'));
    } finally {
      setLoadingOlder(false);
    }
  }, [client, conversationId, view.messages]);

  // Stick to the bottom when something new arrives; keep the reading position when older messages are prepended.
  const scrollRef = useRef<HTMLDivElement>(null);
  const keepScrollOnPrepend = useRef(false);
  const lastHeight = useRef(0);
  const itemCount = view.messages.length + view.pending.length;
  useLayoutEffect(() => {
    const box = scrollRef.current;
    if (!box || itemCount === 0) return;
    if (keepScrollOnPrepend.current) {
      box.scrollTop += box.scrollHeight - lastHeight.current;
      keepScrollOnPrepend.current = false;
    } else {
      box.scrollTop = box.scrollHeight;
    }
    lastHeight.current = box.scrollHeight;
  }, [itemCount]);

  const send = (body: string, isPrivate: boolean) => client?.send(conversationId, body, [], isPrivate);
  const upload = async (file: File) => {
    try {
      const attachment = await uploadWorkspaceFile(conversationId, file);
      client?.send(conversationId, file.name || '图片', [attachment.id]);
    } catch (e) {
      void message.error(errorMessage(e, '上传失败，请稍后再试。'));
    }
  };
  const reason = view.messages.findLast((m) => m.payload?.kind === 'handoff_requested')?.payload;
  const reasonLabel = reason?.kind === 'handoff_requested' ? HANDOFF_REASON_LABELS[reason.reason] : null;

  const end = async () => {
    setEnding(true);
    try {
      await endConversation(conversationId);
      void message.success('会话已结束，已邀请纳税人评价');
      onChanged();
    } catch (e) {
      void message.error(errorMessage(e, '结束会话失败，请稍后再试。'));
    } finally {
      setEnding(false);
    }
  };
  const takeOver = async () => {
    try {
      await assignConversation(conversationId, staffId);
      void message.success('已接管会话');
      onChanged();
    } catch (e) {
      void message.error(errorMessage(e, '接管失败，请稍后再试。'));
    }
  };

  return (
    <Flex vertical style={{ height: '100%', minHeight: 0 }}>
      <Flex
        component="header"
        align="center"
        gap={8}
        wrap
        style={{ padding: '10px 16px', background: '#fff', borderBottom: '1px solid rgba(5,5,5,.06)' }}
      >
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {summary.taxpayer.name}
        </Typography.Title>
        <Tag color="blue">{TAXPAYER_TYPE_LABELS[summary.taxpayer.type]}</Tag>
        <Typography.Text type="secondary">
          {summary.personName} · {maskTaxpayerNo(summary.taxpayer.taxpayerNo)} · {summary.taxpayer.taxOfficeName}
        </Typography.Text>
        {reasonLabel && (
          <Tag color="orange" data-testid="handoff-reason-tag">
            转人工原因：{reasonLabel}
          </Tag>
        )}
        {summary.status === 'closed' && <Tag data-testid="conversation-closed-tag">已结束</Tag>}
        <Flex gap={8} wrap style={{ marginLeft: 'auto' }}>
          <CallButtons conversationId={conversationId} mine={mine} open={open} />
          {open && supervisor && !mine && (
            <Button size="small" onClick={() => void takeOver()} data-testid="take-over">
              接管
            </Button>
          )}
          {open && (mine || supervisor) && (
            <>
              <Button size="small" onClick={() => setTransferOpen(true)} data-testid="transfer-open">
                转接
              </Button>
              <Popconfirm
                title="结束会话"
                description="结束后将邀请纳税人进行满意度评价，确定结束吗？"
                okText="结束会话"
                cancelText="取消"
                onConfirm={() => end()}
                okButtonProps={{ 'data-testid': 'end-confirm' }}
              >
                <Button size="small" danger loading={ending} data-testid="end-conversation">
                  结束会话
                </Button>
              </Popconfirm>
            </>
          )}
        </Flex>
      </Flex>
      <TransferDialog
        open={transferOpen}
        selfStaffId={staffId}
        onCancel={() => setTransferOpen(false)}
        onTransfer={async (input) => {
          await transferConversation(conversationId, input);
          setTransferOpen(false);
          void message.success('已转接');
          onChanged();
        }}
      />
      <ConversationCallSection conversationId={conversationId} mine={mine} open={open} />
      {loadError && <Alert type="error" banner title={loadError} />}
      <div
        ref={scrollRef}
        role="log"
        aria-live="polite"
        aria-label={`与${summary.taxpayer.name}的会话消息`}
        style={{ flex: 1, minHeight: 0, overflowY: 'auto', padding: '8px 16px', background: '#f7f8fa' }}
      >
        {loading ? (
          <Spin style={{ display: 'block', margin: '40px auto' }} description="加载消息…" />
        ) : (
          <>
            {hasOlder && view.messages.length > 0 && (
              <Flex justify="center" style={{ margin: '8px 0' }}>
                <Button size="small" onClick={loadOlder} loading={loadingOlder} data-testid="load-older">
                  加载记录
                </Button>
              </Flex>
            )}
            {view.messages.map((m) => {
              const own = m.senderType === 'agent' && m.senderId === staffId;
              return (
                <StaffMessageItem
                  key={m.clientId ? `c:${m.clientId}` : m.id}
                  senderType={m.senderType}
                  senderName={m.senderName}
                  body={m.body}
                  payload={m.payload}
                  createdAt={m.createdAt}
                  own={own}
                  isPrivate={m.private}
                  attachmentNames={m.attachments.map((a) => a.fileName)}
                  delivery={own ? 'sent' : undefined}
                />
              );
            })}
            {view.pending.map((p) => (
              <StaffMessageItem
                key={`c:${p.clientId}`}
                senderType="agent"
                senderName={staffName}
                body={p.body}
                createdAt={p.createdAt}
                own
                isPrivate={p.private}
                delivery={p.state}
                error={p.error}
                onRetry={() => client?.retry(p.clientId)}
              />
            ))}
          </>
        )}
      </div>
      <div aria-live="polite" style={{ minHeight: 20, padding: '0 16px', fontSize: 12 }}>
        {taxpayerTyping && <Typography.Text type="secondary">纳税人正在输入…</Typography.Text>}
      </div>
      <ReplyBox
        disabled={!client || loading || summary.status === 'closed'}
        canShare={supervisor}
        onSend={send}
        onUpload={upload}
        onTypingChange={signalTyping}
      />
    </Flex>
  );
}

/** POST …/attachments (staff cookie); the message that carries it is sent over the socket. */
async function uploadWorkspaceFile(conversationId: string, file: File): Promise<TAttachment> {
  const form = new FormData();
  form.append('file', file, file.name || 'screenshot.png');
  let response: Response;
  try {
    response = await fetch(`/api/workspace/conversations/${encodeURIComponent(conversationId)}/attachments`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试。', 0);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = ZErrorBody.safeParse(json);
    throw error.success
      ? new ApiError(error.data.code, error.data.message, response.status)
      : new ApiError('INTERNAL', '上传失败，请稍后再试。', response.status);
  }
  const parsed = ZAttachment.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', '服务器返回的数据无法识别，请稍后再试。', response.status);
  return parsed.data;
}
