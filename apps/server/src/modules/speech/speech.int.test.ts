/**
 * Voice input over real sockets, with the test recogniser (not speech recognition: it describes voiced stretches) in
 * real engine processes: results reach only the streaming socket, streams are private to it, the per-taxpayer and
 * per-node limits, malformed and too-fast audio, the 60-second cap, back-pressure from a slow engine, an engine that
 * dies mid-stream, and the capture file the end-to-end test compares.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Ack,
  ERRORS,
  SPEECH_AUDIO,
  SPEECH_END_MESSAGES,
  SPEECH_LIMITS,
  type TSpeechEnded,
  type TSpeechResult,
} from '@zhengna/contracts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type ClientSocket,
  connected,
  connectSocket,
  emitAck,
  loginStaff,
  makeStaff,
  nextEvent,
  openTaxpayerChat,
  startTestApp,
} from '../../../test/harness.ts';
import { concat, silence, streamFrames, toFrames, tone } from '../../../test/speech-audio.ts';
import type { RunningApp } from '../../app.ts';
import type { EnginePool } from './engine-pool.ts';
import { closeText, punctuateSegment, tidyRecognized } from './speech-text.ts';

const captureDir = mkdtempSync(path.join(os.tmpdir(), 'zn-speech-capture-'));
let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ SPEECH_DRIVER: 'test', SPEECH_MAX_STREAMS: '2', SPEECH_TEST_CAPTURE_DIR: captureDir });
  await (app.recognizer as EnginePool).whenReady(20_000);
});
afterAll(async () => {
  await app?.close();
});

const pool = () => app.recognizer as EnginePool;

/** A taxpayer with the chat open; the socket is closed when the test ends. */
async function taxpayer(on: RunningApp = app) {
  const tp = await openTaxpayerChat(on);
  onTestFinished(() => {
    tp.socket.disconnect();
  });
  return tp;
}

/** Another socket of the same taxpayer (a second tab). */
async function secondTab(chat: Awaited<ReturnType<typeof taxpayer>>['chat']) {
  const socket = connectSocket(chat);
  await connected(socket);
  onTestFinished(() => {
    socket.disconnect();
  });
  return socket;
}

function recordSpeech(socket: ClientSocket) {
  const results: TSpeechResult[] = [];
  const ended: TSpeechEnded[] = [];
  socket.on('speech:result', (r) => results.push(r));
  socket.on('speech:ended', (e) => ended.push(e));
  return { results, ended };
}

async function start(socket: ClientSocket) {
  const r = await emitAck(socket, 'speech:start', {});
  if (!r.ok) throw new Error(`speech:start refused: ${r.error.code}`);
  return r.data.streamId;
}

const codeOf = (r: Ack<unknown>) => (r.ok ? 'ok' : r.error.code);
/** What the test recogniser says of segment `n` of `seconds` voiced audio, as the service passes it on. */
const settled = (n: number, seconds: string) => punctuateSegment(tidyRecognized(`测试识别第${n}段共${seconds}秒`));

describe('voice input with the test recogniser', () => {
  it('results reach only the streaming socket; stop answers with the closed text; the capture equals what was sent', async () => {
    const a = await taxpayer();
    const aOther = recordSpeech(await secondTab(a.chat));
    const b = recordSpeech((await taxpayer()).socket);
    const mine = recordSpeech(a.socket);

    const started = await emitAck(a.socket, 'speech:start', {});
    expect(started).toMatchObject({
      ok: true,
      data: { sampleRate: 16_000, frameMs: 100, maxSeconds: SPEECH_LIMITS.maxSeconds, driver: 'test' },
    });
    const streamId = (started as { data: { streamId: string } }).data.streamId;
    const frames = toFrames(concat(tone(1), silence(1), tone(0.5)));
    const acks = await streamFrames(a.socket, streamId, frames);
    expect(acks.map(codeOf)).toEqual(frames.map(() => 'ok'));
    const stop = await emitAck(a.socket, 'speech:stop', { streamId });

    const first = settled(1, '1.0');
    const second = settled(2, '0.5');
    expect(stop).toEqual({ ok: true, data: { streamId, text: closeText(first + second) } });
    expect(first).toContain('测试识别第1段共1.0秒');
    const finals = mine.results.filter((r) => r.final);
    expect(finals).toEqual([
      { streamId, segment: 0, text: first, final: true },
      { streamId, segment: 1, text: second, final: true },
    ]);
    const partials = mine.results.filter((r) => !r.final);
    expect(partials[0]).toEqual({
      streamId,
      segment: 0,
      text: tidyRecognized('测试识别第1段已收到0.1秒'),
      final: false,
    });
    expect(partials.at(-1)).toMatchObject({ segment: 1, final: false });
    // each live text is new (unchanged ones are not sent again)
    expect(new Set(partials.map((p) => p.text)).size).toBe(partials.length);
    expect(mine.ended).toEqual([]);
    expect(aOther.results).toEqual([]);
    expect(b.results).toEqual([]);

    const captured = readFileSync(path.join(captureDir, `${streamId}.pcm`));
    expect(captured.equals(Buffer.concat(frames))).toBe(true);
  });

  it("another taxpayer, or the same taxpayer's other socket, cannot touch a stream; staff cannot stream", async () => {
    const a = await taxpayer();
    const aTab = await secondTab(a.chat);
    const b = await taxpayer();
    const streamId = await start(a.socket);
    const pcm = toFrames(tone(0.1))[0] as Buffer;

    for (const other of [b.socket, aTab]) {
      const audio = await emitAck(other, 'speech:audio', { streamId, seq: 0, pcm });
      const stop = await emitAck(other, 'speech:stop', { streamId });
      const cancel = await emitAck(other, 'speech:cancel', { streamId });
      for (const r of [audio, stop, cancel]) expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    // …and the owner's stream is untouched
    expect(codeOf(await emitAck(a.socket, 'speech:audio', { streamId, seq: 0, pcm }))).toBe('ok');
    expect(codeOf(await emitAck(a.socket, 'speech:cancel', { streamId }))).toBe('ok');

    const agent = await makeStaff(app);
    const { client } = await loginStaff(app, agent.username);
    const staffSocket = connectSocket(client);
    onTestFinished(() => {
      staffSocket.disconnect();
    });
    await connected(staffSocket);
    expect(codeOf(await emitAck(staffSocket, 'speech:start', {}))).toBe('FORBIDDEN');
    expect(codeOf(await emitAck(staffSocket, 'speech:audio', { streamId, seq: 1, pcm }))).toBe('FORBIDDEN');
  });

  it('one stream per taxpayer (in any tab), and SPEECH_MAX_STREAMS per node', async () => {
    const a = await taxpayer();
    const aTab = await secondTab(a.chat);
    const first = await start(a.socket);
    expect(codeOf(await emitAck(a.socket, 'speech:start', {}))).toBe('SPEECH_IN_PROGRESS');
    expect(codeOf(await emitAck(aTab, 'speech:start', {}))).toBe('SPEECH_IN_PROGRESS');

    const b = await taxpayer();
    const c = await taxpayer();
    const second = await start(b.socket);
    const busy = await emitAck(c.socket, 'speech:start', {});
    expect(busy).toEqual({ ok: false, error: { code: 'SPEECH_BUSY', message: ERRORS.SPEECH_BUSY.message } });

    // stopping frees both the taxpayer's slot and the node's
    expect(codeOf(await emitAck(a.socket, 'speech:stop', { streamId: first }))).toBe('ok');
    const again = await start(aTab);
    expect(codeOf(await emitAck(c.socket, 'speech:start', {}))).toBe('SPEECH_BUSY');
    await emitAck(aTab, 'speech:cancel', { streamId: again });
    await emitAck(b.socket, 'speech:cancel', { streamId: second });
    const cStream = await start(c.socket);
    await emitAck(c.socket, 'speech:cancel', { streamId: cStream });
  });

  it('odd, oversized and out-of-order frames are refused, and the stream goes on', async () => {
    const a = await taxpayer();
    const { results } = recordSpeech(a.socket);
    const streamId = await start(a.socket);
    const good = toFrames(tone(0.3));
    const bad = await Promise.all([
      emitAck(a.socket, 'speech:audio', { streamId, seq: 0, pcm: Buffer.alloc(3201) }),
      emitAck(a.socket, 'speech:audio', { streamId, seq: 1, pcm: Buffer.alloc(SPEECH_AUDIO.maxFrameBytes + 2) }),
      emitAck(a.socket, 'speech:audio', { streamId, seq: 7, pcm: good[0] as Buffer }),
    ]);
    expect(bad.map(codeOf)).toEqual(['SPEECH_BAD_AUDIO', 'SPEECH_BAD_AUDIO', 'SPEECH_BAD_AUDIO']);
    expect(bad[0]).toMatchObject({ error: { message: ERRORS.SPEECH_BAD_AUDIO.message } });
    // a refused frame used its seq; the out-of-order one did not
    const acks = await streamFrames(a.socket, streamId, good, { firstSeq: 2 });
    expect(acks.map(codeOf)).toEqual(['ok', 'ok', 'ok']);
    const stop = await emitAck(a.socket, 'speech:stop', { streamId });
    expect(stop).toEqual({ ok: true, data: { streamId, text: closeText(settled(1, '0.3')) } });
    expect(results.filter((r) => r.final)).toHaveLength(1);
  });

  it('audio far faster than real time is refused', async () => {
    const a = await taxpayer();
    const streamId = await start(a.socket);
    // 10 s of audio in 250 ms frames, all at once: more than the 5 s head start plus three times the clock
    const frames = toFrames(silence(10), 4000);
    const acks = await Promise.all(frames.map((pcm, seq) => emitAck(a.socket, 'speech:audio', { streamId, seq, pcm })));
    const codes = acks.map(codeOf);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('ok'));
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((c) => c !== 'ok' && c !== 'RATE_LIMITED')).toEqual([]);
    await emitAck(a.socket, 'speech:cancel', { streamId });
  });

  it("voice frames do not use up the socket's general allowance of events", async () => {
    const a = await taxpayer();
    const streamId = await start(a.socket);
    // 48 frames in a moment: more than the socket's burst of 40 events
    const acks = await streamFrames(a.socket, streamId, toFrames(silence(4.8)));
    expect(acks.map(codeOf)).toEqual(Array(48).fill('ok'));
    // the burst is still there for other events
    const others = await Promise.all(
      Array.from({ length: 38 }, () => emitAck(a.socket, 'speech:cancel', { streamId: randomUUID() })),
    );
    expect(new Set(others.map(codeOf))).toEqual(new Set(['NOT_FOUND']));
    expect(codeOf(await emitAck(a.socket, 'speech:cancel', { streamId }))).toBe('ok');
  });

  it('a disconnect frees the taxpayer for a stream from another tab', async () => {
    const a = await taxpayer();
    const tab = await secondTab(a.chat);
    await start(a.socket);
    a.socket.disconnect();
    let r: Ack<unknown> = await emitAck(tab, 'speech:start', {});
    for (let i = 0; i < 50 && codeOf(r) === 'SPEECH_IN_PROGRESS'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await emitAck(tab, 'speech:start', {});
    }
    expect(codeOf(r)).toBe('ok');
    await emitAck(tab, 'speech:cancel', { streamId: (r as { data: { streamId: string } }).data.streamId });
  });

  it('an engine process that dies fails its streams (speech:ended failed), and is back for the next stream', async () => {
    const a = await taxpayer();
    const { results, ended } = recordSpeech(a.socket);
    const streamId = await start(a.socket);
    await streamFrames(a.socket, streamId, toFrames(tone(0.5)));
    await expect.poll(() => results.length).toBeGreaterThan(0);
    const [pid] = pool().pids();
    const endedEvent = nextEvent(a.socket, 'speech:ended');
    process.kill(pid as number, 'SIGKILL');
    expect(await endedEvent).toEqual({ streamId, reason: 'failed', message: SPEECH_END_MESSAGES.failed });
    expect(codeOf(await emitAck(a.socket, 'speech:audio', { streamId, seq: 5, pcm: Buffer.alloc(3200) }))).toBe(
      'NOT_FOUND',
    );
    expect(ended).toHaveLength(1);

    await pool().whenReady(20_000);
    expect(pool().pids()).not.toContain(pid);
    const next = await start(a.socket);
    await streamFrames(a.socket, next, toFrames(tone(0.4)));
    const stop = await emitAck(a.socket, 'speech:stop', { streamId: next });
    expect(stop).toEqual({ ok: true, data: { streamId: next, text: closeText(settled(1, '0.4')) } });
  });

  it('the 60-second cap: speech:ended `limit` when it is reached, further frames refused, stop still has the text', {
    timeout: 60_000,
  }, async () => {
    const a = await taxpayer();
    const { ended } = recordSpeech(a.socket);
    const streamId = await start(a.socket);
    // 61 s of audio in 250 ms frames, paced under the server's limit (3× real time after a head start)
    const frames = toFrames(concat(tone(2), silence(59)), 4000);
    const endedEvent = nextEvent(a.socket, 'speech:ended', () => true, 60_000);
    const acks = await streamFrames(a.socket, streamId, frames, { speed: 2.8, headStartSeconds: 4 });
    expect(await endedEvent).toEqual({ streamId, reason: 'limit', message: SPEECH_END_MESSAGES.limit });
    const codes = acks.map(codeOf);
    // 240 frames make 60 s; the ones after are refused as too long (once the stream has ended)
    expect(codes.slice(0, 240)).toEqual(Array(240).fill('ok'));
    expect(codes.slice(240).every((c) => c === 'SPEECH_TOO_LONG' || c === 'ok')).toBe(true);
    expect(
      codeOf(await emitAck(a.socket, 'speech:audio', { streamId, seq: frames.length, pcm: frames[0] as Buffer })),
    ).toBe('SPEECH_TOO_LONG');
    expect(ended).toHaveLength(1);
    const stop = await emitAck(a.socket, 'speech:stop', { streamId });
    expect(stop).toEqual({ ok: true, data: { streamId, text: closeText(settled(1, '2.0')) } });
    const captured = readFileSync(path.join(captureDir, `${streamId}.pcm`));
    expect(captured.length).toBe(SPEECH_LIMITS.maxSeconds * 16_000 * 2);
  });
});

describe('voice input switched off', () => {
  let off: RunningApp;
  beforeAll(async () => {
    off = await startTestApp();
  });
  afterAll(async () => {
    await off?.close();
  });

  it('speech:start answers SPEECH_DISABLED with the message the widget shows', async () => {
    const a = await taxpayer(off);
    expect(await emitAck(a.socket, 'speech:start', {})).toEqual({
      ok: false,
      error: { code: 'SPEECH_DISABLED', message: ERRORS.SPEECH_DISABLED.message },
    });
    expect(off.recognizer).toBeNull();
  });
});

describe('voice input with a slow engine', () => {
  let slow: RunningApp;
  beforeAll(async () => {
    // the test recogniser takes 200 ms for every 100 ms of audio: it falls behind
    slow = await startTestApp({ SPEECH_DRIVER: 'test', SPEECH_TEST_DELAY_MS: '200' });
    await (slow.recognizer as EnginePool).whenReady(20_000);
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('acks wait for the engine: a frame is acked only once the audio more than 2 s before it has been recognised', async () => {
    const a = await taxpayer(slow);
    const { results } = recordSpeech(a.socket);
    const streamId = await start(a.socket);
    const frames = toFrames(tone(3));
    // at each ack: how much voice the live text had reported by then (results arrive in order with acks)
    const reportedAtAck: number[] = [];
    const reported = () => {
      const last = results.at(-1);
      const m = last?.text.match(/(\d+\.\d)秒/);
      return m ? Number(m[1]) : 0;
    };
    const acks = await streamFrames(a.socket, streamId, frames, {
      onAck: (seq) => {
        reportedAtAck[seq] = reported();
      },
    });
    expect(acks.map(codeOf)).toEqual(frames.map(() => 'ok'));
    // without back-pressure every ack would come at once, before the slow engine had recognised much at all
    for (const [seq, seconds] of reportedAtAck.entries()) {
      const sentSeconds = (seq + 1) * 0.1;
      expect(seconds, `frame ${seq}`).toBeGreaterThanOrEqual(Math.round((sentSeconds - 2.1) * 10) / 10);
    }
    expect(reportedAtAck.at(-1)).toBeGreaterThanOrEqual(0.9);
    expect(codeOf(await emitAck(a.socket, 'speech:cancel', { streamId }))).toBe('ok');
  });
});
