/**
 * SMS behind one interface. `outbox` (the default) sends nothing: the SMS service stores every message in the
 * sms_outbox table whatever the driver, and this driver just leaves it there for the admin console. `aliyun` calls
 * Alibaba Cloud SMS (Dysms) SendSms over its documented RPC API, signed with HMAC-SHA1.
 */
import { createHmac, randomUUID } from 'node:crypto';

export type SmsMessage = {
  phone: string;
  /** The provider's template code (settings: smsTemplates.*.providerCode). */
  templateCode: string;
  params: Record<string, string>;
  /** The rendered text (what the outbox shows; real providers render their own template). */
  content: string;
  /** Our own id for the message, echoed by the provider in its receipts. */
  outId: string;
};

export type SmsResult = { status: 'stored' | 'sent'; providerId?: string };

export interface SmsSender {
  readonly name: 'outbox' | 'aliyun';
  send(message: SmsMessage): Promise<SmsResult>;
}

export function createOutboxSmsSender(): SmsSender {
  return { name: 'outbox', send: async () => ({ status: 'stored' }) };
}

export type AliyunSmsConfig = {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  endpoint: string;
  regionId: string;
};

/** RFC 3986 percent-encoding as Aliyun's RPC signature requires (space → %20, and ! ' ( ) * encoded too). */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The signature of an Aliyun RPC-style request: HMAC-SHA1 with key `secret&` over
 * `METHOD&%2F&percentEncode(canonicalQuery)`, where the query is every parameter but Signature, sorted by name.
 */
export function aliyunSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k] ?? '')}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** The SendSms request: every parameter, signed. `now` and `nonce` are fixed by tests. */
export function buildAliyunSendSms(
  config: AliyunSmsConfig,
  message: SmsMessage,
  opts: { now?: Date; nonce?: string; method?: 'GET' | 'POST' } = {},
): { url: string; method: 'GET' | 'POST'; body: string | undefined; params: Record<string, string> } {
  const method = opts.method ?? 'POST';
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    OutId: message.outId,
    PhoneNumbers: message.phone,
    RegionId: config.regionId,
    SignName: config.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: opts.nonce ?? randomUUID(),
    SignatureVersion: '1.0',
    TemplateCode: message.templateCode,
    TemplateParam: JSON.stringify(message.params),
    Timestamp: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  const signed = { Signature: aliyunSignature(method, params, config.accessKeySecret), ...params };
  const query = Object.entries(signed)
    .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
    .join('&');
  return method === 'GET'
    ? { url: `${config.endpoint}?${query}`, method, body: undefined, params: signed }
    : { url: config.endpoint, method, body: query, params: signed };
}

export function createAliyunSmsSender(
  config: AliyunSmsConfig,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 5000,
): SmsSender {
  return {
    name: 'aliyun',
    async send(message) {
      const req = buildAliyunSendSms(config, message);
      const res = await fetchImpl(req.url, {
        method: req.method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: req.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await res.json().catch(() => null)) as { Code?: string; Message?: string; BizId?: string } | null;
      if (!res.ok || json?.Code !== 'OK') {
        throw new Error(`aliyun SendSms failed: ${json?.Code ?? res.status} ${json?.Message ?? ''}`.trim());
      }
      return { status: 'sent', ...(json.BizId ? { providerId: json.BizId } : {}) };
    },
  };
}

/** Fills `{name}` placeholders; an unknown name is left as it is (so a template typo is visible, not silent). */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
