/**
 * The marks a call leaves in the conversation's timeline, in the words both sides read: asked for, started, and how
 * it ended (with its duration). Pure, so every wording is tested without a server.
 */
import { CALL_FAILURE_LABELS, CALL_KIND_LABELS, type TCall } from '@zhengna/contracts';

/** "3 分 12 秒", "45 秒", "1 小时 2 分 3 秒". */
export function durationLabel(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} 小时 ${m} 分 ${sec} 秒`;
  if (m > 0) return `${m} 分 ${sec} 秒`;
  return `${sec} 秒`;
}

/**
 * The timeline text for a call that just reached `call.state`, or null when that state leaves no mark (inviting and
 * connecting are visible live on both sides and would only crowd the timeline).
 */
export function callNotice(
  call: Pick<TCall, 'kind' | 'state' | 'note' | 'failureReason' | 'endedBy' | 'invitedAt' | 'connectedAt'> & {
    durationSeconds: number;
  },
): string | null {
  const label = CALL_KIND_LABELS[call.kind];
  // a request nobody turned into an invitation, as opposed to an invitation
  const wasRequest = call.invitedAt === null;
  switch (call.state) {
    case 'requested':
      return call.note ? `纳税人请求${label}：${call.note}` : `纳税人请求${label}`;
    case 'inviting':
    case 'connecting':
      return null;
    case 'active':
      return `${label}已开始`;
    case 'ended':
      return call.connectedAt
        ? `${label}已结束，时长 ${durationLabel(call.durationSeconds)}`
        : `${label}已结束（未接通）`;
    case 'declined':
      return wasRequest ? `坐席暂未接受${label}请求` : `纳税人拒绝了${label}`;
    case 'missed':
      return `${label}未接听`;
    case 'failed':
      return `${label}连接失败：${CALL_FAILURE_LABELS[call.failureReason ?? 'other']}`;
    case 'cancelled':
      if (wasRequest && call.endedBy === 'taxpayer') return `纳税人取消了${label}请求`;
      if (wasRequest && call.endedBy === 'system') return `${label}请求已取消`;
      return `${label}已取消`;
  }
}
