import { describe, expect, it } from 'vitest';
import { errorSummary } from './form-errors.ts';

describe('form error summary', () => {
  it('lists each message once, in field order, and nothing for valid fields', () => {
    expect(
      errorSummary([
        { errors: ['请填写留言内容'] },
        { errors: [] },
        { errors: ['请输入正确的 11 位手机号码', '请填写留言内容'] },
      ]),
    ).toEqual(['请填写留言内容', '请输入正确的 11 位手机号码']);
    expect(errorSummary([{ errors: [] }])).toEqual([]);
  });
});
