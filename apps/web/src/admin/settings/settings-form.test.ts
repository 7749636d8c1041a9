import { ZHandoffRules } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/api-error.ts';
import { checkNewKeyword, isVersionConflict, numberRange, settingFieldErrors } from './settings-form.ts';

describe('checkNewKeyword', () => {
  it('accepts a trimmed keyword of at least two characters', () => {
    expect(checkNewKeyword('  人工客服 ', ['转人工'])).toEqual({ ok: true, keyword: '人工客服' });
  });

  it('rejects empty, one-character, too long and duplicate keywords in Chinese', () => {
    expect(checkNewKeyword('   ', [])).toEqual({ ok: false, error: '请输入关键词' });
    expect(checkNewKeyword('人', [])).toEqual({ ok: false, error: '关键词至少 2 个字' });
    expect(checkNewKeyword('很'.repeat(21), [])).toEqual({ ok: false, error: '关键词不超过 20 个字' });
    expect(checkNewKeyword(' 转人工', ['转人工'])).toEqual({ ok: false, error: '“转人工”已在列表中' });
  });

  it('stops at the contract maximum of 50', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `关键词${i}`);
    expect(checkNewKeyword('再来一个', fifty)).toEqual({ ok: false, error: '关键词最多 50 个' });
  });
});

describe('numberRange', () => {
  it('reads the bounds of the contract', () => {
    expect(numberRange(ZHandoffRules.shape.multiTurnLimit)).toEqual({ min: 2, max: 20 });
    expect(numberRange(ZHandoffRules.shape.emotionThreshold)).toEqual({ min: 0.1, max: 10 });
  });
});

describe('settingFieldErrors', () => {
  it('groups the server paths by form field, the first message winning', () => {
    expect(
      settingFieldErrors({
        'value.keywords.1': '关键词至少 2 个字',
        'value.keywords.3': '格式不正确',
        'value.noAnswerLimit': '不能大于 10',
        'value.week.mon.0': '结束时间须晚于开始时间',
        'value.week.tue.1.end': '时间格式应为 HH:mm',
        'value.holidays.0': '日期格式应为 YYYY-MM-DD',
        version: '缺少必填项',
      }),
    ).toEqual({
      keywords: '关键词至少 2 个字',
      noAnswerLimit: '不能大于 10',
      'week.mon': '结束时间须晚于开始时间',
      'week.tue': '时间格式应为 HH:mm',
      holidays: '日期格式应为 YYYY-MM-DD',
      version: '缺少必填项',
    });
    expect(settingFieldErrors(undefined)).toEqual({});
  });
});

describe('isVersionConflict', () => {
  it('recognises the 409 of a stale version only', () => {
    expect(isVersionConflict(new ApiError('VERSION_CONFLICT', '该设置已被他人修改，请刷新后再修改。', 409))).toBe(true);
    expect(isVersionConflict(new ApiError('VALIDATION_FAILED', '输入不正确', 400))).toBe(false);
    expect(isVersionConflict(new Error('x'))).toBe(false);
  });
});
