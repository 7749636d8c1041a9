/** The Aliyun SendSms request is signed exactly as the provider documents; templates fill their variables. */
import { describe, expect, it } from 'vitest';
import { aliyunSignature, buildAliyunSendSms, createAliyunSmsSender, renderTemplate } from './sms.ts';

// The example of Aliyun's SMS "签名机制" documentation (HTTP protocol, RPC style): these parameters and the secret
// `testSecret` sign to zJDF+Lrzhj/ThnlvIToysFRq6t4=.
const DOC_PARAMS = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('Aliyun SMS driver', () => {
  it("signs a request as the provider's documented example", () => {
    expect(aliyunSignature('GET', DOC_PARAMS, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('builds the SendSms request with every documented parameter and a signature over them', () => {
    const config = {
      accessKeyId: 'testId',
      accessKeySecret: 'testSecret',
      signName: '阿里云短信测试专用',
      endpoint: 'https://dysmsapi.aliyuncs.com/',
      regionId: 'cn-hangzhou',
    };
    const message = {
      phone: '15300000001',
      templateCode: 'SMS_71390007',
      params: { customer: 'test' },
      content: '',
      outId: '123',
    };
    const get = buildAliyunSendSms(config, message, {
      now: new Date('2017-07-12T02:42:19.000Z'),
      nonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      method: 'GET',
    });
    // the same request as the documentation's, except that we ask for JSON
    const { Signature, ...unsigned } = get.params;
    expect(unsigned).toEqual({ ...DOC_PARAMS, Format: 'JSON' });
    expect(Signature).toBe(aliyunSignature('GET', unsigned, 'testSecret'));
    expect(get.url).toContain(`Signature=${encodeURIComponent(Signature as string)}`);
    expect(get.url).toContain('SignName=%E9%98%BF%E9%87%8C%E4%BA%91');

    const post = buildAliyunSendSms(config, message, { now: new Date('2017-07-12T02:42:19Z'), nonce: 'n-1' });
    expect(post.url).toBe('https://dysmsapi.aliyuncs.com/');
    const body = new URLSearchParams(post.body);
    const fields = Object.fromEntries(body);
    const { Signature: postSignature, ...postUnsigned } = fields;
    expect(postSignature).toBe(aliyunSignature('POST', postUnsigned, 'testSecret'));
    expect(fields.TemplateParam).toBe('{"customer":"test"}');
  });

  it("reports the provider's refusal as a failure (no network: the provider answers through a stand-in fetch)", async () => {
    const refusing = (async () =>
      new Response(JSON.stringify({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '手机号码格式错误' }), {
        status: 200,
      })) as unknown as typeof fetch;
    const sender = createAliyunSmsSender(
      {
        accessKeyId: 'a',
        accessKeySecret: 'b',
        signName: 'c',
        endpoint: 'https://sms.invalid/',
        regionId: 'cn-hangzhou',
      },
      refusing,
    );
    await expect(
      sender.send({ phone: '13800000000', templateCode: 'T', params: {}, content: '', outId: 'x' }),
    ).rejects.toThrow(/MOBILE_NUMBER_ILLEGAL/);
  });
});

describe('SMS templates', () => {
  it('fills {variables} and leaves unknown ones visible', () => {
    expect(renderTemplate('您的工单{number}已办结：{result}', { number: 'GD1', result: '已处理' })).toBe(
      '您的工单GD1已办结：已处理',
    );
    expect(renderTemplate('{office}回复：{nope}', { office: '历下区税务局' })).toBe('历下区税务局回复：{nope}');
  });
});
