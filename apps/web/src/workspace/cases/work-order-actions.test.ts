import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/api-error.ts';
import { actionErrorMessage, actionsFor, CONFLICT_MESSAGE, isConflict } from './work-order-actions.ts';

describe('work-order actions', () => {
  it('offers 受理 while 待受理, 办结 while 处理中, nothing once 已办结', () => {
    expect(actionsFor('pending')).toEqual(['accept', 'return', 'reassign', 'note']);
    expect(actionsFor('processing')).toEqual(['complete', 'return', 'reassign', 'note']);
    expect(actionsFor('returned')).toEqual(['reassign', 'note']);
    expect(actionsFor('done')).toEqual([]);
  });

  it('shows a version conflict (409) in its own words, other failures as the server said', () => {
    const conflict = new ApiError('VERSION_CONFLICT', '该设置已被他人修改，请刷新后再修改。', 409);
    expect(isConflict(conflict)).toBe(true);
    expect(actionErrorMessage(conflict)).toBe(CONFLICT_MESSAGE);
    expect(CONFLICT_MESSAGE).toBe('该工单已被他人更新，请刷新后重试');

    const invalid = new ApiError('VALIDATION_FAILED', '请先受理该工单，再办结。', 400);
    expect(isConflict(invalid)).toBe(false);
    expect(actionErrorMessage(invalid)).toBe('请先受理该工单，再办结。');
    expect(actionErrorMessage(new Error('x'))).toBe('操作失败，请稍后再试。');
  });
});
