import { describe, expect, it } from 'vitest';
import { caseSettingFieldErrors, duplicateIds } from './case-settings-form.ts';

describe('留言与工单 settings form', () => {
  it('puts the server’s field errors on the right row and field', () => {
    expect(
      caseSettingFieldErrors({
        'value.workOrderTypes.1.limitDays': '办理时限最多 60 个工作日',
        'value.inquiryTypes': '至少保留一个留言类型',
        'value.smsTemplates.inquiry_reply.text': '请填写短信内容',
      }),
    ).toEqual([
      { name: ['workOrderTypes', 1, 'limitDays'], errors: ['办理时限最多 60 个工作日'] },
      { name: ['inquiryTypes'], errors: ['至少保留一个留言类型'] },
      { name: ['smsTemplates', 'inquiry_reply', 'text'], errors: ['请填写短信内容'] },
    ]);
    expect(caseSettingFieldErrors(undefined)).toEqual([]);
  });

  it('finds repeated type ids', () => {
    expect(duplicateIds([{ id: 'a' }, { id: 'b' }, { id: 'a' }, {}])).toEqual(['a']);
    expect(duplicateIds([{ id: 'a' }, { id: 'b' }])).toEqual([]);
  });
});
