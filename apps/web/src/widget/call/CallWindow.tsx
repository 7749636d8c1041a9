import { CALL_KIND_LABELS, CALL_STATE_LABELS, isFinalCallState, type TCall } from '@zhengna/contracts';
import { Button, Flex } from 'antd';
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { CallController, CallView } from '../../shared/rtc/call-controller.ts';
import { formatCallClock } from '../../shared/rtc/use-call.ts';
import { CallMessages } from './CallMessages.tsx';
import { callOutcome, elapsedSeconds } from './call-text.ts';
import { SharePreview } from './SharePreview.tsx';
import { StreamMedia } from './StreamMedia.tsx';

interface CallWindowProps {
  call: TCall;
  view: CallView;
  controller: CallController;
  minimised: boolean;
  onMinimise: (minimised: boolean) => void;
}

/**
 * The call while it connects, runs and after it ended (until 关闭): state and clock, the agent's picture or voice, our
 * preview, 静音 / 摄像头 / 挂断. Minimised it is one line and the chat goes on; the media elements stay mounted so the
 * call is still heard.
 */
export function CallWindow({ call, view, controller, minimised, onMinimise }: CallWindowProps) {
  const root = useRef<HTMLElement>(null);
  const titleId = useId();
  const final = isFinalCallState(call.state);
  const now = useClock(call.state === 'active');
  const conversationId = call.conversationId;

  // the invitation that had the focus is gone: continue here rather than at the top of the page
  useLayoutEffect(() => {
    if (document.activeElement === document.body || !document.activeElement) root.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    // Escape makes the window small; it never hangs up
    if (event.key === 'Escape' && !minimised) {
      event.preventDefault();
      onMinimise(true);
    }
  };

  const status =
    call.state === 'active'
      ? `${CALL_STATE_LABELS.active} ${formatCallClock(elapsedSeconds(call.connectedAt, now))}`
      : CALL_STATE_LABELS[call.state];
  const live = !final;
  const showPicture = call.kind === 'video' && view.joined;

  return (
    <section
      ref={root}
      tabIndex={-1}
      aria-labelledby={titleId}
      className="zn-call-card zn-call-window"
      data-testid="call-window"
      data-call-state={call.state}
      data-call-kind={call.kind}
      data-minimised={minimised}
      onKeyDown={onKeyDown}
    >
      <Flex align="center" gap={8}>
        <h2 id={titleId} className="zn-call-title">
          {CALL_KIND_LABELS[call.kind]}
          {call.agentName && <span className="zn-call-agent"> · {call.agentName}</span>}
        </h2>
        <span className="zn-call-status" data-testid="call-status">
          {status}
        </span>
        {!final && (
          <Button size="small" type="text" onClick={() => onMinimise(!minimised)} aria-expanded={!minimised}>
            {minimised ? '展开' : '最小化'}
          </Button>
        )}
      </Flex>

      {/* kept mounted while minimised: the far end must stay audible */}
      {view.joined && call.kind === 'audio' && (
        <StreamMedia as="audio" stream={view.remoteStream} label={`${call.agentName || '坐席'}的声音`} />
      )}
      {showPicture && (
        <div className="zn-call-stage">
          <StreamMedia
            as="video"
            stream={view.remoteStream}
            label={`${call.agentName || '坐席'}的画面`}
            className="zn-call-remote"
          />
          <StreamMedia as="video" stream={view.localStream} muted label="您的画面" className="zn-call-local" />
          {view.cameraOff && <span className="zn-call-camera-off">摄像头已关闭</span>}
        </div>
      )}
      {!minimised && call.kind === 'screen' && view.joined && live && <SharePreview view={view} />}

      {!minimised && live && !view.joined && <p className="zn-call-detail">该通话正在您的其他浏览器窗口中进行。</p>}
      {final && (
        <p className="zn-call-detail" data-testid="call-outcome">
          {callOutcome(call)}
        </p>
      )}
      {/* shown minimised too: a problem must not hide behind the small window */}
      <CallMessages view={view} />

      <Flex gap={8} wrap justify="flex-end" className="zn-call-actions">
        {live && view.joined && call.kind !== 'screen' && (
          <Button size="small" onClick={() => controller.setMuted(conversationId, !view.muted)}>
            {view.muted ? '取消静音' : '静音'}
          </Button>
        )}
        {live && view.joined && call.kind === 'video' && (
          <Button size="small" onClick={() => controller.setCameraOff(conversationId, !view.cameraOff)}>
            {view.cameraOff ? '打开摄像头' : '关闭摄像头'}
          </Button>
        )}
        {/* a shared screen is stopped from the 正在共享屏幕 bar, which stays visible however the window is shown */}
        {live && !(call.kind === 'screen' && view.joined) && (
          <Button size="small" danger type="primary" onClick={() => void controller.hangup(call)}>
            挂断
          </Button>
        )}
        {final && (
          <Button size="small" onClick={() => controller.dismiss(conversationId)}>
            关闭
          </Button>
        )}
      </Flex>
    </section>
  );
}

/** Now, every second while `running`. */
function useClock(running: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
