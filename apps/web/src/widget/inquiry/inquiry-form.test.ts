import { ZInquirySubmit } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { defaultValues, inquiryFieldErrors, toSubmitBody } from './inquiry-form.ts';

const FILE = { id: '0b8e6c1e-4c53-4c1f-9d0e-0c5b7b0f0a11', fileName: '发票.png', mime: 'image/png', size: 2048 };
const CONVERSATION = '5c1d8a0e-2b7f-4b7e-8f3a-1d2c3b4a5e6f';

describe('留言 form → request', () => {
  it('defaults to the own office, the first type, 站内消息 and no reminder', () => {
    expect(defaultValues('13701000000', 'policy')).toEqual({
      taxOfficeId: '13701000000',
      type: 'policy',
      content: '',
      phone: '',
      remind: false,
      receiveBy: 'inbox',
    });
  });

  it('leaves the phone out when none is typed (the profile number is used) and sends the file ids', () => {
    const values = {
      ...defaultValues('13701000000', 'policy'),
      content: '  发票开错了怎么办？  ',
      receiveBy: 'sms' as const,
    };
    const body = toSubmitBody(values, [FILE], 'client-key-1', CONVERSATION);
    expect(body).toEqual({
      clientKey: 'client-key-1',
      taxOfficeId: '13701000000',
      type: 'policy',
      content: '发票开错了怎么办？',
      remind: false,
      receiveBy: 'sms',
      fileIds: [FILE.id],
      conversationId: CONVERSATION,
    });
    expect('phone' in body).toBe(false);
    expect(ZInquirySubmit.safeParse(body).success).toBe(true);
  });

  it('sends a typed phone trimmed', () => {
    const values = { ...defaultValues('13701000000', 'policy'), content: '请问如何申报', phone: ' 13812345678 ' };
    expect(toSubmitBody(values, [], 'client-key-1').phone).toBe('13812345678');
  });

  it('shows what the contracts reject in Chinese', () => {
    const values = { ...defaultValues('13701000000', 'policy'), content: '你好', phone: '12345' };
    const result = ZInquirySubmit.safeParse(toSubmitBody(values, [], 'client-key-1'));
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(expect.arrayContaining(['留言内容至少 5 个字', '请输入正确的 11 位手机号码']));
  });
});

describe('留言 form: server field errors', () => {
  it('maps each path to its field, files for fileIds.N, the rest to the form', () => {
    expect(
      inquiryFieldErrors({
        content: '留言内容至少 5 个字',
        'fileIds.2': '附件不存在或已过期',
        'fileIds.3': '第二条',
        phone: '请输入正确的 11 位手机号码',
        clientKey: '参数错误',
      }),
    ).toEqual({
      content: '留言内容至少 5 个字',
      files: '附件不存在或已过期',
      phone: '请输入正确的 11 位手机号码',
      _: '参数错误',
    });
    expect(inquiryFieldErrors(undefined)).toEqual({});
  });
});
