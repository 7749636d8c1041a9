/**
 * The Tencent Cloud ASR driver against a local server that plays Tencent's side (we cannot reach Tencent here): it
 * checks the signature with its own copy of the secret, as Tencent does, answers with messages of the documented
 * shape, and records what the driver sent.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RecognizerEvent } from '../speech.types.ts';
import { createTencentAsrRecognizer, type TencentAsrConfig, type TencentAsrMessage } from './tencent-asr.ts';

const APP_ID = '1259228442';
const SECRET_ID = 'AKIDtestSecretId0000000000000000';
const SECRET_KEY = 'test-secret-key-0000000000000000';

type Connection = {
  ws: WebSocket;
  query: URLSearchParams;
  path: string;
  voiceId: string;
  audioBytes: number;
  textMessages: string[];
  closed: Promise<void>;
  send(result: { slice: number; index: number; text: string; endMs?: number } | { final: true }): void;
};

type Script = {
  /** After each binary message, with the audio received so far. */
  onAudio?: (c: Connection, frames: number) => void;
  /** After `{"type":"end"}`: by default the open sentence settles and `final: 1` follows. */
  onEnd?: (c: Connection) => void;
  /** Never answer the handshake. */
  silent?: boolean;
};

/** Tencent's side of the ASR v2 WebSocket, as documented, on 127.0.0.1. */
class FakeTencentAsrServer {
  readonly connections: Connection[] = [];
  /** Connections refused, with the reason the fake found (Tencent only says 鉴权失败). */
  readonly refused: { code: number; message: string; reason: string }[] = [];
  script: Script = {};
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private messageSeq = 0;

  private constructor(private readonly secretKey: string) {
    this.http = createServer((_req, res) => res.writeHead(404).end());
    this.http.on('upgrade', (req, socket, head) =>
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req)),
    );
  }

  static async start(secretKey = SECRET_KEY): Promise<FakeTencentAsrServer> {
    const server = new FakeTencentAsrServer(secretKey);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get endpoint(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/asr/v2`;
  }

  /**
   * Tencent's check: every query parameter but `signature`, sorted by name, after `host + path + '?'`, signed with
   * HMAC-SHA1 under the SecretKey, base64 — compared with the `signature` parameter (URL-decoded).
   */
  private verify(req: IncomingMessage, url: URL): string | undefined {
    const q = url.searchParams;
    for (const k of ['secretid', 'timestamp', 'expired', 'nonce', 'engine_model_type', 'voice_id', 'voice_format'])
      if (!q.get(k)) return `missing ${k}`;
    if (!/^\/asr\/v2\/\d+$/.test(url.pathname)) return 'bad path';
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(Number(q.get('timestamp')) - now) > 300 || Number(q.get('expired')) <= now) return 'expired';
    const text = [...q.keys()]
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${encodeURIComponent(q.get(k)!)}`)
      .join('&');
    const expected = createHmac('sha1', this.secretKey)
      .update(`${req.headers.host}${url.pathname}?${text}`)
      .digest('base64');
    return q.get('signature') === expected ? undefined : 'signature';
  }

  private message(voiceId: string, body: Partial<TencentAsrMessage>): string {
    this.messageSeq += 1;
    return JSON.stringify({
      code: 0,
      message: 'success',
      voice_id: voiceId,
      message_id: `${voiceId}_${this.messageSeq}_0`,
      ...body,
    });
  }

  private accept(ws: WebSocket, req: IncomingMessage) {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const voiceId = url.searchParams.get('voice_id') ?? '';
    const problem = this.verify(req, url);
    if (problem) {
      // Tencent accepts the socket, answers 4002 鉴权失败 and closes
      const refusal = { code: 4002, message: '鉴权失败' };
      this.refused.push({ ...refusal, reason: problem });
      ws.send(JSON.stringify({ ...refusal, voice_id: voiceId }), () => ws.close());
      return;
    }
    const c: Connection = {
      ws,
      query: url.searchParams,
      path: url.pathname,
      voiceId,
      audioBytes: 0,
      textMessages: [],
      closed: new Promise((resolve) => ws.on('close', () => resolve())),
      send: (r) => {
        if ('final' in r) {
          ws.send(this.message(voiceId, { final: 1 }));
          return;
        }
        ws.send(
          this.message(voiceId, {
            final: 0,
            result: {
              slice_type: r.slice,
              index: r.index,
              start_time: 0,
              end_time: r.endMs ?? c.audioBytes / 32,
              voice_text_str: r.text,
              word_size: 0,
              word_list: [],
            } as TencentAsrMessage['result'],
          }),
        );
      },
    };
    this.connections.push(c);
    let frames = 0;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        c.audioBytes += (data as Buffer).length;
        frames += 1;
        this.script.onAudio?.(c, frames);
        return;
      }
      const text = data.toString();
      c.textMessages.push(text);
      if (JSON.parse(text).type === 'end') {
        if (this.script.onEnd) this.script.onEnd(c);
        else c.send({ final: true });
      }
    });
    if (!this.script.silent) ws.send(this.message(voiceId, {}));
  }

  async stop() {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

const silentLogger = () => pino({ level: 'silent' });
/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const config = (fake: FakeTencentAsrServer, over: Partial<TencentAsrConfig> = {}): TencentAsrConfig => ({
  appId: APP_ID,
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
  engineModelType: '16k_zh',
  endpoint: fake.endpoint,
  ...over,
});

/** 100 ms of 16 kHz PCM. */
const frame = () => new Int16Array(1600).fill(1000);

let fake: FakeTencentAsrServer | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('Tencent ASR driver', () => {
  it('signs the URL the documented way and sends the stream parameters', async () => {
    fake = await FakeTencentAsrServer.start();
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    expect(recognizer.driver).toBe('tencent');
    expect(recognizer.ready()).toBe(true);
    const stream = await recognizer.open('s-1', () => {});
    expect(fake.refused).toEqual([]);
    const c = fake.connections[0]!;
    expect(c.path).toBe(`/asr/v2/${APP_ID}`);
    expect(Object.fromEntries(c.query)).toMatchObject({
      secretid: SECRET_ID,
      engine_model_type: '16k_zh',
      voice_format: '1',
      needvad: '1',
    });
    expect(c.query.get('voice_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(c.query.get('expired'))).toBeGreaterThan(Number(c.query.get('timestamp')));
    expect(Number(c.query.get('nonce'))).toBeGreaterThan(0);
    expect(c.query.has('secretkey')).toBe(false);
    stream.abort();
    await recognizer.close();
  });

  it('a fresh voice_id per stream', async () => {
    fake = await FakeTencentAsrServer.start();
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    const a = await recognizer.open('a', () => {});
    const b = await recognizer.open('b', () => {});
    expect(fake.connections.map((c) => c.voiceId)).toHaveLength(2);
    expect(fake.connections[0]!.voiceId).not.toBe(fake.connections[1]!.voiceId);
    a.abort();
    b.abort();
    await recognizer.close();
  });

  it('maps slice_type 0/1 to partial and 2 to final; end → the rest settles, then final: 1 resolves finish()', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = {
      onAudio: (c, frames) => {
        if (frames === 1) c.send({ slice: 0, index: 0, text: '' });
        if (frames === 2) c.send({ slice: 1, index: 0, text: '发票怎么' });
        if (frames === 3) c.send({ slice: 2, index: 0, text: '发票怎么开？' });
        if (frames === 4) c.send({ slice: 0, index: 1, text: '谢' });
      },
      onEnd: (c) => {
        // Tencent settles the open sentence after the end message, then says it is all done
        setTimeout(() => {
          c.send({ slice: 1, index: 1, text: '谢谢' });
          c.send({ slice: 2, index: 1, text: '谢谢。' });
          setTimeout(() => c.send({ final: true }), 30);
        }, 30);
      },
    };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    const events: RecognizerEvent[] = [];
    const stream = await recognizer.open('s-1', (e) => events.push(e));
    for (let i = 0; i < 4; i++) await stream.push(frame());
    await expect.poll(() => events.length).toBe(3);
    expect(events).toEqual([
      { type: 'partial', text: '发票怎么', audioMs: 200 },
      { type: 'final', text: '发票怎么开？', audioMs: 300 },
      { type: 'partial', text: '谢', audioMs: 400 },
    ]);
    await stream.finish();
    // finish() resolved only after the last sentence and final: 1
    expect(events.slice(3)).toEqual([
      { type: 'partial', text: '谢谢', audioMs: 400 },
      { type: 'final', text: '谢谢。', audioMs: 400 },
    ]);
    const c = fake.connections[0]!;
    expect(c.audioBytes).toBe(4 * 1600 * 2);
    expect(c.textMessages).toEqual(['{"type":"end"}']);
    await c.closed;
    // finishing twice sends nothing more
    await stream.finish();
    expect(c.textMessages).toHaveLength(1);
    await recognizer.close();
  });

  it('the PCM reaches Tencent byte for byte (16-bit little-endian)', async () => {
    fake = await FakeTencentAsrServer.start();
    const received: Buffer[] = [];
    fake.script = { onAudio: () => {} };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    const stream = await recognizer.open('s-1', () => {});
    fake.connections[0]!.ws.on('message', (data, isBinary) => {
      if (isBinary) received.push(data as Buffer);
    });
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 256]);
    // a view at an offset into a larger buffer, as the service passes frames
    const view = new Int16Array(new Int16Array([9, 9, ...samples]).buffer, 4, samples.length);
    await stream.push(view);
    await expect.poll(() => received.length).toBe(1);
    expect([...new Int16Array(new Uint8Array(received[0]!).buffer)]).toEqual([...samples]);
    stream.abort();
    await recognizer.close();
  });

  it('an error code → an error event with the message logged; no more events, push refuses', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = {
      onAudio: (c, frames) => {
        if (frames === 1) c.send({ slice: 1, index: 0, text: '你好' });
        if (frames === 2) {
          c.ws.send(JSON.stringify({ code: 4008, message: '客户端数据上传超时', voice_id: c.voiceId }));
          c.send({ slice: 2, index: 0, text: '不该到达' });
          c.ws.close();
        }
      },
    };
    const { logger, lines } = capturingLogger();
    const recognizer = createTencentAsrRecognizer(config(fake), { logger });
    const events: RecognizerEvent[] = [];
    const stream = await recognizer.open('s-err', (e) => events.push(e));
    await stream.push(frame());
    await stream.push(frame());
    await expect.poll(() => events.length).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([
      { type: 'partial', text: '你好', audioMs: 100 },
      { type: 'error', message: 'Tencent ASR error 4008: 客户端数据上传超时' },
    ]);
    const logged = lines.find((l) => l.code === 4008);
    expect(logged).toMatchObject({
      streamId: 's-err',
      voiceId: fake.connections[0]!.voiceId,
      message: '客户端数据上传超时',
      level: 40,
    });
    // what was said is never logged
    expect(JSON.stringify(lines)).not.toContain('你好');
    await expect(stream.push(frame())).rejects.toThrow(/not open/);
    await stream.finish();
    await recognizer.close();
  });

  it('a connection Tencent drops mid-stream is an error', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = { onAudio: (c) => c.ws.terminate() };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    const events: RecognizerEvent[] = [];
    const stream = await recognizer.open('s-1', (e) => events.push(e));
    await stream.push(frame());
    await expect
      .poll(() => events)
      .toEqual([{ type: 'error', message: expect.stringMatching(/closed the connection/) }]);
    await stream.finish();
    await recognizer.close();
  });

  it('a wrong secret is refused by the fake Tencent (4002 鉴权失败) and open() rejects', async () => {
    fake = await FakeTencentAsrServer.start();
    const { logger, lines } = capturingLogger();
    const recognizer = createTencentAsrRecognizer(config(fake, { secretKey: 'not-the-secret' }), { logger });
    const events: RecognizerEvent[] = [];
    await expect(recognizer.open('s-1', (e) => events.push(e))).rejects.toThrow('Tencent ASR error 4002: 鉴权失败');
    expect(fake.refused).toEqual([{ code: 4002, message: '鉴权失败', reason: 'signature' }]);
    expect(fake.connections).toHaveLength(0);
    expect(events).toEqual([]);
    expect(lines.some((l) => l.code === 4002)).toBe(true);
    // the secret itself never reaches a log line or the server
    expect(JSON.stringify(lines)).not.toContain('not-the-secret');
    await recognizer.close();
  });

  it('a handshake that never comes rejects open() in time', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = { silent: true };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger(), openTimeoutMs: 200 });
    const started = Date.now();
    await expect(recognizer.open('s-1', () => {})).rejects.toThrow(/handshake/);
    expect(Date.now() - started).toBeLessThan(2_000);
    await fake.connections[0]!.closed;
    await recognizer.close();
  });

  it('an endpoint nobody listens on rejects open()', async () => {
    fake = await FakeTencentAsrServer.start();
    const endpoint = fake.endpoint;
    await fake.stop();
    fake = undefined;
    const recognizer = createTencentAsrRecognizer(
      { appId: APP_ID, secretId: SECRET_ID, secretKey: SECRET_KEY, engineModelType: '16k_zh', endpoint },
      { logger: silentLogger() },
    );
    await expect(recognizer.open('s-1', () => {})).rejects.toThrow(/connection failed/);
  });

  it('push() holds audio that runs ahead of real time (Tencent wants at most 1:1)', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = { onAudio: () => {} };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger(), maxLeadMs: 100 });
    const stream = await recognizer.open('s-1', () => {});
    const started = Date.now();
    for (let i = 0; i < 6; i++) await stream.push(frame());
    // 600 ms of audio with 100 ms of lead: the last frame waits until about 500 ms have passed
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    await expect.poll(() => fake!.connections[0]!.audioBytes).toBe(6 * 3200);
    stream.abort();
    await recognizer.close();
  });

  it('abort() drops the connection and nothing more arrives; close() ends every stream', async () => {
    fake = await FakeTencentAsrServer.start();
    fake.script = {
      onAudio: (c) => setTimeout(() => c.ws.readyState === 1 && c.send({ slice: 1, index: 0, text: '晚了' }), 20),
    };
    const recognizer = createTencentAsrRecognizer(config(fake), { logger: silentLogger() });
    const events: RecognizerEvent[] = [];
    const a = await recognizer.open('a', (e) => events.push(e));
    await a.push(frame());
    a.abort();
    await fake.connections[0]!.closed;
    await a.push(frame()); // a no-op after abort
    await a.finish();
    const b = await recognizer.open('b', (e) => events.push(e));
    await recognizer.close();
    await fake.connections[1]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
    expect(recognizer.ready()).toBe(false);
    await expect(recognizer.open('c', () => {})).rejects.toThrow(/closed/);
    b.abort();
  });

  it('without credentials it is not ready and opens nothing', async () => {
    const recognizer = createTencentAsrRecognizer(
      {
        appId: '',
        secretId: '',
        secretKey: '',
        engineModelType: '16k_zh',
        endpoint: 'wss://asr.cloud.tencent.com/asr/v2',
      },
      { logger: silentLogger() },
    );
    expect(recognizer.ready()).toBe(false);
    await expect(recognizer.open('s-1', () => {})).rejects.toThrow(/not configured/);
  });
});
