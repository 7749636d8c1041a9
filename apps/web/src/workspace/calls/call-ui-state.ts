/**
 * What the agent's call controls show for a conversation's call: which buttons, disabled why, and the words for how a
 * call ended. Pure, so every state is tested without a browser.
 */
import {
  CALL_FAILURE_LABELS,
  CALL_KIND_LABELS,
  CALL_STATE_LABELS,
  isFinalCallState,
  type TCall,
  type TCallKind,
} from '@zhengna/contracts';
import { formatCallDuration } from '../../shared/rtc/use-call.ts';

export const CALL_KINDS: readonly TCallKind[] = ['audio', 'video', 'screen'];

/**
 * Whether the call has a panel (邀请中 … until 关闭). A taxpayer's request is answered on its card in the
 * conversation instead, and a request that never rang (declined or withdrawn) leaves only its timeline notice.
 */
export function showsCallPanel(call: TCall | null): call is TCall {
  if (!call || call.state === 'requested') return false;
  return !(isFinalCallState(call.state) && call.invitedAt === null);
}

/** A call that holds the agent: ringing, connecting or in progress (a mere request does not). */
export function isEngaged(call: TCall): boolean {
  return call.state === 'inviting' || call.state === 'connecting' || call.state === 'active';
}

export type InviteAvailability = { visible: false } | { visible: true; disabledReason: string | null };

/**
 * 语音通话 / 视频通话 / 远程协助 in the conversation header: only in an open conversation the agent holds, and
 * disabled (with the reason as tooltip) while this conversation or another one has a call going.
 */
export function inviteAvailability(input: {
  mine: boolean;
  open: boolean;
  /** The realtime connection and the call controller exist. */
  ready: boolean;
  /** This conversation's latest call. */
  call: TCall | null;
  /** Every live call of this agent (any conversation). */
  live: readonly TCall[];
  conversationId: string;
}): InviteAvailability {
  if (!input.mine || !input.open) return { visible: false };
  return { visible: true, disabledReason: busyReason(input) };
}

/** Why the agent cannot start (or accept) a call now; null when they can. */
export function busyReason(input: {
  ready: boolean;
  call: TCall | null;
  live: readonly TCall[];
  conversationId: string;
  /** For 接受 on a request: the request itself is not a reason. */
  acceptingRequest?: boolean;
}): string | null {
  if (!input.ready) return '正在连接服务器，请稍候';
  const { call } = input;
  if (call && !isFinalCallState(call.state)) {
    if (call.state === 'requested') {
      if (!input.acceptingRequest) return `纳税人已请求${CALL_KIND_LABELS[call.kind]}，请先接受或拒绝`;
    } else return `当前会话的${CALL_KIND_LABELS[call.kind]}${CALL_STATE_LABELS[call.state]}`;
  }
  const other = input.live.find((c) => c.conversationId !== input.conversationId && isEngaged(c));
  if (other) return `您正在与${other.taxpayerName}进行${CALL_KIND_LABELS[other.kind]}，请先结束`;
  return null;
}

export type PanelControls = {
  /** 取消 the invitation. */
  cancel: boolean;
  /** 静音 / 取消静音. */
  mute: boolean;
  /** 关闭摄像头 / 打开摄像头. */
  camera: boolean;
  hangup: boolean;
  /** 关闭 a finished call's panel. */
  close: boolean;
  /** The shared screen with 适应窗口/原始大小, 全屏, 清除标记. */
  screen: boolean;
};

/**
 * The panel's buttons for a call. `joined`: this tab holds the devices (another tab of the same agent may); `hasCamera`:
 * the local stream has a video track (a video call without a camera goes on as voice).
 */
export function panelControls(call: TCall, joined: boolean, hasCamera: boolean): PanelControls {
  const live = call.state === 'connecting' || call.state === 'active';
  return {
    cancel: call.state === 'inviting',
    mute: live && joined && call.kind !== 'screen',
    camera: live && joined && call.kind === 'video' && hasCamera,
    hangup: live,
    close: isFinalCallState(call.state),
    screen: live && joined && call.kind === 'screen',
  };
}

const ENDED_BY = { taxpayer: '纳税人已挂断', agent: '您已挂断', system: '通话已结束' } as const;

/** How a finished call ended, for the agent; null while it is not over. */
export function callOutcome(call: TCall): string | null {
  switch (call.state) {
    case 'ended': {
      const who = ENDED_BY[call.endedBy ?? 'system'];
      return call.connectedAt ? `${who}，通话时长 ${formatCallDuration(call.durationSeconds)}` : `${who}，未接通`;
    }
    case 'declined':
      return call.kind === 'screen' ? '纳税人拒绝了远程协助' : `纳税人拒绝了${CALL_KIND_LABELS[call.kind]}`;
    case 'missed':
      return '纳税人未接听';
    case 'failed':
      return CALL_FAILURE_LABELS[call.failureReason ?? 'other'];
    case 'cancelled':
      return call.endedBy === 'agent' ? '您已取消邀请' : call.endedBy === 'taxpayer' ? '纳税人已取消' : '邀请已取消';
    default:
      return null;
  }
}

/** "纳税人请求远程协助". */
export function requestTitle(kind: TCallKind): string {
  return `纳税人请求${CALL_KIND_LABELS[kind]}`;
}

/** What accepting a request will do, so the agent is not surprised by a device prompt. */
export function requestHint(kind: TCallKind): string {
  switch (kind) {
    case 'audio':
      return '接受后将打开您的麦克风并呼叫纳税人。';
    case 'video':
      return '接受后将打开您的麦克风和摄像头并呼叫纳税人。';
    case 'screen':
      return '接受后纳税人将选择要共享的屏幕，您可以在屏幕上为其标记位置。';
  }
}
