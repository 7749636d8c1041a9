import { CALL_KIND_LABELS, CALL_STATE_LABELS, type TAnnotation } from '@zhengna/contracts';
import { Button, Flex, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { formatCallClock, useCallView } from '../../../shared/rtc/use-call.ts';
import { callOutcome, panelControls, showsCallPanel } from '../call-ui-state.ts';
import { useCalls } from '../hooks/calls-context.ts';
import { useCallSeconds } from '../hooks/use-call-seconds.ts';
import { useStreamRef } from '../hooks/use-stream-ref.ts';
import { SharedScreen } from './SharedScreen.tsx';

const STATE_COLOR = {
  requested: 'blue',
  inviting: 'processing',
  connecting: 'processing',
  active: 'green',
  ended: 'default',
  declined: 'orange',
  missed: 'orange',
  failed: 'red',
  cancelled: 'default',
} as const;

interface CallPanelProps {
  conversationId: string;
  /** The conversation shown in the pane, to offer 打开会话 for another one. */
  openConversationId: string | null;
  onOpenConversation: (conversationId: string) => void;
}

/**
 * One call of the agent, under the workspace header so it goes on (and stays audible) whichever conversation or view
 * is open: 邀请中 with 取消, then the call with its clock and controls, then how it ended until 关闭.
 */
export function CallPanel({ conversationId, openConversationId, onOpenConversation }: CallPanelProps) {
  const { controller } = useCalls();
  const view = useCallView(controller, conversationId);
  const call = view.call;
  const [collapsed, setCollapsed] = useState(false);
  const seconds = useCallSeconds(call?.connectedAt ?? null, call?.state === 'active');
  const remoteRef = useStreamRef<HTMLVideoElement>(view.remoteStream);
  const remoteAudioRef = useStreamRef<HTMLAudioElement>(view.remoteStream);
  const localRef = useStreamRef<HTMLVideoElement>(view.localStream);
  const annotate = useCallback(
    (a: TAnnotation) => controller?.annotate(conversationId, a) ?? false,
    [controller, conversationId],
  );
  if (!controller || !showsCallPanel(call)) return null;

  const hasCamera = (view.localStream?.getVideoTracks().length ?? 0) > 0;
  const controls = panelControls(call, view.joined, hasCamera);
  const live = call.state === 'connecting' || call.state === 'active';
  const kindLabel = CALL_KIND_LABELS[call.kind];
  const outcome = callOutcome(call);
  const stateText =
    call.state === 'inviting'
      ? call.kind === 'screen'
        ? '邀请中，等待纳税人同意共享屏幕'
        : '邀请中，等待纳税人接听'
      : CALL_STATE_LABELS[call.state];

  return (
    <section
      aria-label={`${kindLabel}：${call.taxpayerName}`}
      data-testid="call-panel"
      data-call-state={call.state}
      data-call-kind={call.kind}
      data-call-id={call.id}
      style={{ flex: 'none', padding: '8px 16px', background: '#eef4ff', borderBottom: '1px solid #c7d8f5' }}
    >
      <Flex align="center" gap={12} wrap>
        <Tag color="blue" style={{ marginInlineEnd: 0 }}>
          {kindLabel}
        </Tag>
        <Typography.Text strong data-testid="call-taxpayer-name">
          {call.taxpayerName}
        </Typography.Text>
        <span role="status">
          <Tag color={STATE_COLOR[call.state]} data-testid="call-state" style={{ marginInlineEnd: 0 }}>
            {stateText}
          </Tag>
          {outcome && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }} data-testid="call-outcome">
              <span className="zn-visually-hidden">，</span>
              {outcome}
            </Typography.Text>
          )}
        </span>
        {call.state === 'active' && (
          <Typography.Text data-testid="call-clock">
            通话时长 <time>{formatCallClock(seconds)}</time>
          </Typography.Text>
        )}
        <Flex gap={8} wrap style={{ marginLeft: 'auto' }}>
          {openConversationId !== conversationId && (
            <Button
              size="small"
              onClick={() => onOpenConversation(conversationId)}
              data-testid="call-open-conversation"
            >
              打开会话
            </Button>
          )}
          {controls.screen && (
            <Button
              size="small"
              aria-expanded={!collapsed}
              onClick={() => setCollapsed((c) => !c)}
              data-testid="call-collapse"
            >
              {collapsed ? '展开画面' : '收起画面'}
            </Button>
          )}
          {controls.mute && (
            <Button
              size="small"
              onClick={() => controller.setMuted(conversationId, !view.muted)}
              data-testid="call-mute"
            >
              {view.muted ? '取消静音' : '静音'}
            </Button>
          )}
          {controls.camera && (
            <Button
              size="small"
              onClick={() => controller.setCameraOff(conversationId, !view.cameraOff)}
              data-testid="call-camera"
            >
              {view.cameraOff ? '打开摄像头' : '关闭摄像头'}
            </Button>
          )}
          {controls.cancel && (
            <Button
              size="small"
              loading={view.busy}
              onClick={() => void controller.cancel(call)}
              data-testid="call-cancel"
            >
              取消
            </Button>
          )}
          {controls.hangup && (
            <Button
              size="small"
              type="primary"
              danger
              onClick={() => void controller.hangup(call)}
              data-testid="call-hangup"
            >
              挂断
            </Button>
          )}
          {controls.close && (
            <Button size="small" onClick={() => controller.dismiss(conversationId)} data-testid="call-close">
              关闭
            </Button>
          )}
        </Flex>
      </Flex>
      <div aria-live="polite" data-testid="call-messages">
        {live && view.peer === 'reconnecting' && (
          <Typography.Text type="warning" style={{ display: 'block', marginTop: 4 }} data-testid="call-reconnecting">
            网络波动，正在重新连接…
          </Typography.Text>
        )}
        {view.notice && (
          <Typography.Text type="warning" style={{ display: 'block', marginTop: 4 }} data-testid="call-notice-text">
            {view.notice}
          </Typography.Text>
        )}
        {view.error && (
          <Typography.Text type="danger" style={{ display: 'block', marginTop: 4 }} data-testid="call-error">
            {view.error}
          </Typography.Text>
        )}
        {live && !view.joined && call.state === 'active' && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            该通话正在您的其他工作台窗口中进行。
          </Typography.Text>
        )}
      </div>
      {live && view.joined && call.kind === 'audio' && (
        // biome-ignore lint/a11y/useMediaCaption: a live voice call has no captions to offer
        <audio ref={remoteAudioRef} autoPlay data-testid="remote-audio" />
      )}
      {live && view.joined && call.kind === 'video' && (
        <Flex gap={12} align="flex-end" style={{ marginTop: 8 }}>
          {/* biome-ignore lint/a11y/useMediaCaption: a live video call has no captions to offer */}
          <video
            ref={remoteRef}
            autoPlay
            playsInline
            aria-label={`${call.taxpayerName}的视频画面`}
            data-testid="remote-video"
            style={{ width: 320, height: 240, background: '#000', borderRadius: 6, objectFit: 'contain' }}
          />
          <Flex vertical gap={4} align="center">
            <div style={{ position: 'relative', width: 160, height: 120 }}>
              <video
                ref={localRef}
                autoPlay
                playsInline
                muted
                aria-label="我的摄像头画面"
                data-testid="local-video"
                style={{
                  width: '100%',
                  height: '100%',
                  background: '#000',
                  borderRadius: 6,
                  objectFit: 'cover',
                  transform: 'scaleX(-1)',
                }}
              />
              {(view.cameraOff || !hasCamera) && (
                <Flex
                  align="center"
                  justify="center"
                  style={{ position: 'absolute', inset: 0, color: '#fff', fontSize: 12, pointerEvents: 'none' }}
                >
                  {hasCamera ? '摄像头已关闭' : '未使用摄像头'}
                </Flex>
              )}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              本人画面
            </Typography.Text>
          </Flex>
        </Flex>
      )}
      {controls.screen && (
        <SharedScreen
          stream={view.remoteStream}
          taxpayerName={call.taxpayerName}
          collapsed={collapsed}
          annotate={annotate}
        />
      )}
    </section>
  );
}
