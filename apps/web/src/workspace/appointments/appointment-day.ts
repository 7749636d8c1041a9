/**
 * The staff's day list: which actions an appointment offers and how the list groups by agent. Pure: the view and
 * the tests share it.
 */
import type { TAppointmentChannel, TAppointmentStaff } from '@zhengna/contracts';
import type { StartMode } from './api/appointments-api.ts';

/** The way of starting that matches the booking's channel comes first (文字 → 文字会话, 音视频 → 音视频邀请 …). */
export function startModesFor(channel: TAppointmentChannel): StartMode[] {
  const first: StartMode = channel === 'text' ? 'chat' : channel === 'av' ? 'av' : 'phone';
  return [first, ...(['chat', 'av', 'phone'] as const).filter((m) => m !== first)];
}

export const START_MODE_LABELS: Record<StartMode, string> = {
  chat: '文字会话',
  av: '音视频邀请',
  phone: '电话回访',
};

export interface DayActions {
  start: boolean;
  /** Its slot is near or has begun: 开始 is the thing to do now (shown as the primary action). */
  due: boolean;
  complete: boolean;
}

/**
 * 开始 for a booked appointment not started yet (staff may begin early, e.g. a call-back before the slot), due from
 * `earlyMinutes` before its start; 完成 once it was started.
 */
export function actionsFor(a: TAppointmentStaff, now: Date, earlyMinutes = 30): DayActions {
  if (a.status !== 'booked') return { start: false, due: false, complete: false };
  const due = now.getTime() >= new Date(a.startsAt).getTime() - earlyMinutes * 60_000;
  return { start: a.startedMode === null, due: due && a.startedMode === null, complete: a.startedMode !== null };
}

/** By start time; the same slot by taxpayer name. */
export function sortByTime(list: readonly TAppointmentStaff[]): TAppointmentStaff[] {
  return [...list].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.taxpayerName.localeCompare(b.taxpayerName));
}

/** The 本机构 list by agent (unassigned last, as 未分配), each in time order. */
export function groupByStaff(list: readonly TAppointmentStaff[]): { staff: string; items: TAppointmentStaff[] }[] {
  const groups = new Map<string, TAppointmentStaff[]>();
  for (const a of sortByTime(list)) {
    const key = a.staffName ?? '未分配';
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups]
    .sort(([a], [b]) => (a === '未分配' ? 1 : b === '未分配' ? -1 : a.localeCompare(b, 'zh-CN')))
    .map(([staff, items]) => ({ staff, items }));
}
