import { CALL_KIND_LABELS, type TCallKind } from '@zhengna/contracts';
import { Button, Flex } from 'antd';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import type { CallController, CallView } from '../../shared/rtc/call-controller.ts';
import { CallMessages } from './CallMessages.tsx';
import { type CallPhase, invitationDetail, invitationTitle, SHARE_EXPLANATION } from './call-text.ts';

type PromptPhase = Extract<CallPhase, { type: 'offer' | 'waiting' | 'invitation' }>;

interface CallPromptProps {
  phase: PromptPhase;
  view: CallView;
  controller: CallController;
  conversationId: string;
  /** Closes the request window (nothing was asked yet). */
  onClose: () => void;
}

/**
 * The window before a call: what 远程协助 / 音视频 will do and the request button, the wait for the agent, and the
 * agent's invitation with 接听 (开始共享) / 拒绝. Focus moves here when it appears; Escape never answers for the taxpayer.
 */
export function CallPrompt({ phase, view, controller, conversationId, onClose }: CallPromptProps) {
  const root = useRef<HTMLElement>(null);
  const titleId = useId();
  const detailId = useId();
  const key = phase.type === 'offer' ? `offer:${phase.intent}` : `${phase.type}:${phase.call.id}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once per window shown, not on every render
  useEffect(() => root.current?.focus(), [key]);

  const request = (kind: TCallKind) => void controller.request(conversationId, kind);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // keep the widget open: an invitation or a pending request is answered with a button, not by a stray key
    event.preventDefault();
    if (phase.type === 'offer') onClose();
  };

  let title: string;
  let detail: string;
  let actions: ReactNode;
  if (phase.type === 'offer' && phase.intent === 'screen') {
    title = '远程协助';
    detail = `${SHARE_EXPLANATION}发出请求后，坐席接受时您再选择要共享的内容。`;
    actions = (
      <>
        <Button type="primary" disabled={view.busy} onClick={() => request('screen')}>
          请求远程协助
        </Button>
        <Button onClick={onClose}>关闭</Button>
      </>
    );
  } else if (phase.type === 'offer') {
    title = '音视频通话';
    detail = '向坐席申请通话，坐席同意后会向您发出邀请；接听时浏览器会请求使用麦克风（视频通话还需要摄像头）。';
    actions = (
      <>
        <Button type="primary" disabled={view.busy} onClick={() => request('audio')}>
          申请语音通话
        </Button>
        <Button type="primary" disabled={view.busy} onClick={() => request('video')}>
          申请视频通话
        </Button>
        <Button onClick={onClose}>关闭</Button>
      </>
    );
  } else if (phase.type === 'waiting') {
    const { call } = phase;
    title = CALL_KIND_LABELS[call.kind];
    detail =
      call.kind === 'screen'
        ? '正在等待坐席接受…坐席接受后，这里会请您选择要共享的内容。'
        : '正在等待坐席接受…坐席同意后会向您发出通话邀请。';
    actions = (
      <Button
        disabled={view.busy}
        onClick={() => void controller.cancel(call).then(() => controller.dismiss(conversationId))}
      >
        取消
      </Button>
    );
  } else {
    const { call } = phase;
    title = invitationTitle(call);
    detail = invitationDetail(call.kind);
    actions = (
      <>
        {/* accept() first thing in the click: the screen picker and the device prompt need this user gesture */}
        <Button type="primary" disabled={view.busy} onClick={() => void controller.accept(call)}>
          {call.kind === 'screen' ? '开始共享' : '接听'}
        </Button>
        <Button
          danger
          disabled={view.busy}
          onClick={() => void controller.decline(call).then(() => controller.dismiss(conversationId))}
        >
          拒绝
        </Button>
      </>
    );
  }

  return (
    <section
      ref={root}
      tabIndex={-1}
      // an invitation interrupts (alert dialog); the request and waiting windows are ordinary, non-modal dialogs
      role={phase.type === 'invitation' ? 'alertdialog' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={detailId}
      className="zn-call-card"
      data-testid={phase.type === 'invitation' ? 'call-invitation' : 'call-request'}
      data-call-phase={phase.type}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId} className="zn-call-title">
        {title}
      </h2>
      <p id={detailId} className="zn-call-detail">
        {detail}
      </p>
      <CallMessages view={view} />
      <Flex gap={8} wrap justify="flex-end">
        {actions}
      </Flex>
    </section>
  );
}
