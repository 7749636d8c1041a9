/**
 * Server-side request forgery (CWE-918): the class of Rocket.Chat's and Mattermost's link-preview / OEmbed SSRF
 * (a URL in a message fetched by the server, reaching 127.0.0.1, 169.254.169.254 or the intranet), Chatwoot's
 * webhook and avatar-URL SSRF, and Zammad's SSRF through configurable endpoints.
 *
 * Zhengna fetches no URL that a taxpayer, an agent or an administrator supplies: there are no link previews, no
 * webhooks, no avatar URLs, no remote images. Its only outbound connections go to endpoints from the operator's
 * environment (Aliyun SMS, Tencent ASR, an S3 store). So instead of a blocklist of internal addresses, this suite
 * proves the two halves of that statement:
 * 1. the source holds no outbound call other than those reviewed ones (a new one fails here and must be reviewed);
 * 2. URLs in every place users write text — messages (taxpayer, agent, through the bot), Markdown links and images,
 *    留言, booking notes, shortcuts — in every spelling of a loopback address, are never requested by the server:
 *    a local listener that records every hit gets none.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.ts';
import { emitAck, loginStaff, makeStaff, newClientId, openTaxpayerChat, startTestApp } from '../harness.ts';
import { bookingForm, inquiryForm, makeAppointmentService, pause, slotAt, staffWithSocket } from './attack-fixtures.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Files allowed to open outbound connections, each to an endpoint set by the operator (never by a user). */
const REVIEWED_OUTBOUND: Record<string, string> = {
  'platform/sms.ts': 'Aliyun SendSms at SMS_ALIYUN_ENDPOINT',
  'modules/speech/drivers/tencent-asr.ts': 'Tencent ASR at SPEECH_TENCENT_ENDPOINT',
  'platform/files-s3.ts': 'the S3 store at S3_ENDPOINT',
};
const OUTBOUND =
  /\bfetch\s*\(|\btypeof fetch\b|\bfetch(Impl)?\s*[,)=]|\bhttps?\.(request|get)\s*\(|new\s+WebSocket\s*\(|from\s+'(axios|got|undici|node-fetch|superagent|needle|request)'|\b(net|tls)\.connect\s*\(|@aws-sdk\/client-s3/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('what the server can fetch at all', () => {
  it('only the reviewed, operator-configured clients make outbound requests', () => {
    const found = sourceFiles(SRC)
      .filter((f) => OUTBOUND.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'));
    for (const file of found)
      expect(Object.keys(REVIEWED_OUTBOUND), `${file} makes an outbound request`).toContain(file);
    // the SMS and ASR clients exist and are the ones found (the scan itself works)
    expect(found).toContain('platform/sms.ts');
    expect(found).toContain('modules/speech/drivers/tencent-asr.ts');
  });
});

describe('URLs that users write are never fetched by the server', () => {
  let app: RunningApp;
  let listener: Server;
  const hits: string[] = [];
  let port = 0;

  beforeAll(async () => {
    listener = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
    // the bot on: whatever it does with a question, it must not follow links in it
    app = await startTestApp({ BOT_ENABLED: 'true' });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => listener?.close(resolve));
  });

  /** Every spelling of "this machine" an attacker would try, plus the metadata service and an intranet name. */
  const targets = () => [
    `http://127.0.0.1:${port}/plain`,
    `http://localhost:${port}/localhost`,
    `http://[::1]:${port}/v6`,
    `http://0.0.0.0:${port}/zero`,
    `http://2130706433:${port}/decimal`,
    `http://0x7f000001:${port}/hex`,
    `http://0177.0.0.1:${port}/octal`,
    `http://127.1:${port}/short`,
    `http://localtest.me:${port}/dns-to-loopback`,
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    `http://attacker.example@127.0.0.1:${port}/userinfo`,
  ];
  /** One message per way of writing a URL, each carrying every target. */
  const bodies = () => [
    `请看这些链接 ${targets().join(' ')}`,
    targets()
      .map((url, i) => `[发票查验${i}](${url})`)
      .join(' '),
    targets()
      .map((url) => `![公章](${url}/img.png)`)
      .join(' '),
    targets()
      .map((url) => `<img src="${url}/raw.png">`)
      .join(''),
    targets()
      .map((url) => `<${url}/autolink>`)
      .join(' '),
  ];

  it('messages from a taxpayer (answered by the bot) and from an agent, 留言, bookings: no request reaches the listener', async () => {
    const tp = await openTaxpayerChat(app);
    for (const body of bodies()) {
      const sent = await tp.send(body);
      expect(sent.ok).toBe(true);
    }
    const agent = await staffWithSocket(app, 'supervisor');
    for (const body of bodies()) {
      const r = await emitAck(agent.socket, 'message:send', {
        conversationId: tp.conversationId,
        clientId: newClientId(),
        body,
        private: true,
      });
      // a private note or a refusal (the agent does not hold the conversation): either way nothing is fetched
      expect(typeof r.ok).toBe('boolean');
    }
    const left = await tp.chat.post(
      '/api/chat/inquiries',
      inquiryForm(tp.officeId, { content: `附件在这里：${targets().join(' ')}` }),
    );
    expect(left.status).toBe(200);
    const service = await makeAppointmentService(app, tp.officeId);
    const booked = await tp.chat.post(
      '/api/chat/appointments',
      bookingForm(service.id, slotAt(3, '09:30'), { description: `材料见 ${targets()[0]} 与 ${targets()[9]}` }),
    );
    expect(booked.status).toBe(200);
    // reading everything back (history, workspace list, 我的留言) triggers no preview either
    await tp.chat.get(`/api/chat/conversations/${tp.conversationId}/messages?limit=100`);
    await agent.client.get('/api/workspace/conversations');
    await tp.chat.get('/api/chat/inquiries');
    await pause(1000);
    expect(hits).toEqual([]);
    tp.socket.close();
    agent.socket.close();
  });

  it('an administrator-set shortcut URL is stored as text, never requested', async () => {
    const admin = await makeStaff(app, 'admin');
    const { client } = await loginStaff(app, admin.username);
    const res = await client.request('PUT', '/api/admin/shortcuts', {
      id: 'ssrf-probe',
      name: '内网链接',
      url: targets()[0],
    });
    expect(res.status).toBe(200);
    // the taxpayer's panel lists it (as a link for the browser), and still nobody fetched it
    const tp = await openTaxpayerChat(app);
    expect((await tp.chat.get('/api/chat/shortcuts')).status).toBe(200);
    tp.socket.close();
    await pause(300);
    expect(hits).toEqual([]);
  });
});
