import type { TWorkOrderStatus } from '@zhengna/contracts';
import { ApiError, errorMessage } from '../../shared/api/api-error.ts';

export type WorkOrderActionName = 'accept' | 'complete' | 'return' | 'reassign' | 'note';

/** The buttons a 工单 offers in each state, in the order shown (the server checks the same rules). */
const ACTIONS: Record<TWorkOrderStatus, readonly WorkOrderActionName[]> = {
  pending: ['accept', 'return', 'reassign', 'note'],
  processing: ['complete', 'return', 'reassign', 'note'],
  // a returned order waits for another office: it can be reassigned or annotated
  returned: ['reassign', 'note'],
  done: [],
};

export const ACTION_BUTTON_LABELS: Record<WorkOrderActionName, string> = {
  accept: '受理',
  complete: '办结',
  return: '退回',
  reassign: '转派',
  note: '备注',
};

export function actionsFor(status: TWorkOrderStatus): readonly WorkOrderActionName[] {
  return ACTIONS[status];
}

export const CONFLICT_MESSAGE = '该工单已被他人更新，请刷新后重试';

/** Whether a failure means the order changed under us (409): the page then offers 刷新 instead of a retry. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/** The Chinese text for a failed step: the conflict in our words, anything else as the server put it. */
export function actionErrorMessage(error: unknown): string {
  return isConflict(error) ? CONFLICT_MESSAGE : errorMessage(error, '操作失败，请稍后再试。');
}
