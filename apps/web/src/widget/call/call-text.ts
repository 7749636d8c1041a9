/** What the taxpayer's call window says and which part of it shows, as pure functions of the call record. */
import {
  CALL_FAILURE_LABELS,
  CALL_KIND_LABELS,
  CALL_STATE_LABELS,
  isFinalCallState,
  type TAnnotation,
  type TCall,
} from '@zhengna/contracts';
import { formatCallDuration } from '../../shared/rtc/use-call.ts';
import type { CallIntent } from './call-entry.ts';

export const SHARE_EXPLANATION = '坐席将看到您选择共享的屏幕、窗口或标签页内容，不会操作您的电脑；您可随时停止共享。';
export const RECONNECTING = '网络波动，正在重新连接…';

/**
 * Which part of the call UI shows: the request window (`offer`: explanation and 请求), the waiting window, the
 * invitation, or the call window. A live call always wins over what the toolbar asked for.
 */
export type CallPhase =
  | { type: 'none' }
  | { type: 'offer'; intent: CallIntent }
  | { type: 'waiting'; call: TCall }
  | { type: 'invitation'; call: TCall }
  | { type: 'window'; call: TCall };

export function callPhase(call: TCall | null, intent: CallIntent | null): CallPhase {
  if (intent && (!call || isFinalCallState(call.state))) return { type: 'offer', intent };
  if (!call) return { type: 'none' };
  if (call.state === 'requested') return { type: 'waiting', call };
  if (call.state === 'inviting') return { type: 'invitation', call };
  return { type: 'window', call };
}

/** "张敏邀请您进行视频通话", or, when it answers the taxpayer's own request, "张敏已接受您的远程协助请求". */
export function invitationTitle(call: Pick<TCall, 'agentName' | 'kind' | 'initiator'>): string {
  const agent = call.agentName || '坐席';
  const kind = CALL_KIND_LABELS[call.kind];
  return call.initiator === 'taxpayer' ? `${agent}已接受您的${kind}请求` : `${agent}邀请您进行${kind}`;
}

/** The line under the invitation's title: what accepting does. */
export function invitationDetail(kind: TCall['kind']): string {
  if (kind === 'screen') return `${SHARE_EXPLANATION}点击“开始共享”后请选择要共享的内容。`;
  if (kind === 'video') return '接听后浏览器会请求使用您的麦克风和摄像头。';
  return '接听后浏览器会请求使用您的麦克风。';
}

/** The sentence of a call that is over: who ended it and how long it lasted, or why it did not happen. */
export function callOutcome(call: TCall): string {
  const screen = call.kind === 'screen';
  const kind = CALL_KIND_LABELS[call.kind];
  switch (call.state) {
    case 'ended': {
      const who =
        call.endedBy === 'agent'
          ? `坐席已结束${kind}。`
          : call.endedBy === 'system'
            ? `会话已结束，${kind}随之结束。`
            : screen
              ? '您已停止共享。'
              : '您已挂断。';
      return call.durationSeconds > 0 ? `${who}时长 ${formatCallDuration(call.durationSeconds)}。` : who;
    }
    case 'failed':
      return `${CALL_FAILURE_LABELS[call.failureReason ?? 'other']}。`;
    case 'declined':
      return call.endedBy === 'taxpayer' ? '您已拒绝。' : '坐席暂时无法受理您的请求，您可以继续文字咨询。';
    case 'missed':
      return call.invitedAt ? '邀请已超时，未接听。' : '坐席暂未响应您的请求，您可以稍后再试。';
    case 'cancelled':
      return call.endedBy === 'taxpayer' ? '您已取消请求。' : '坐席已取消邀请。';
    default:
      return '';
  }
}

/** What a screen reader hears when the call changes state (the invitation announces itself as an alert dialog). */
export function stateAnnouncement(call: TCall): string {
  const kind = CALL_KIND_LABELS[call.kind];
  switch (call.state) {
    case 'requested':
      return `已发出${kind}请求，正在等待坐席接受。`;
    case 'inviting':
      return '';
    case 'connecting':
      return `${kind}${CALL_STATE_LABELS.connecting}。`;
    case 'active':
      return call.kind === 'screen' ? '远程协助已开始，坐席正在查看您共享的内容。' : `${kind}已接通。`;
    default:
      return `${kind}${CALL_STATE_LABELS[call.state]}：${callOutcome(call)}`;
  }
}

export function markAnnouncement(mark: Extract<TAnnotation, { type: 'mark' }>): string {
  return mark.label ? `坐席在共享画面上标记了一个位置：${mark.label}` : '坐席在共享画面上标记了一个位置';
}

/** Seconds since the call connected, for the running clock. */
export function elapsedSeconds(connectedAt: string | null, now: number): number {
  if (!connectedAt) return 0;
  return Math.max(0, Math.floor((now - Date.parse(connectedAt)) / 1000));
}
