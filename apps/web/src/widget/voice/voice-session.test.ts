import { SPEECH_AUDIO, SPEECH_END_MESSAGES } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { FakeSocket } from '../../shared/realtime/fake-socket.ts';
import { RealtimeClient } from '../../shared/realtime/realtime-client.ts';
import type { PcmFrame } from './pcm-framer.ts';
import { CAPTURE_MESSAGES, type StartCapture, VoiceCaptureError } from './voice-capture.ts';
import { clock, joinText, VoiceSession } from './voice-session.ts';

const STREAM = '6f1c2a34-3333-4aaa-8bbb-000000000001';
const OTHER = '6f1c2a34-3333-4aaa-8bbb-000000000002';
const DISABLED = '本站暂未开通语音输入，请直接输入文字，或点击“转人工”联系人工客服。';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The microphone, played by the test. */
class FakeMicrophone {
  onFrame: ((frame: PcmFrame) => void) | null = null;
  onLost: (() => void) | null = null;
  stopped = false;
  opened = 0;
  failure: Error | null = null;
  /** Resolve the open later (a permission prompt). */
  hold: Promise<void> | null = null;

  start: StartCapture = async (onFrame, onLost) => {
    this.opened++;
    if (this.hold) await this.hold;
    if (this.failure) throw this.failure;
    this.onFrame = onFrame;
    this.onLost = onLost;
    this.stopped = false;
    return {
      stop: async () => {
        this.stopped = true;
      },
    };
  };

  frame(level = 0.1): void {
    this.onFrame?.({ pcm: new Int16Array(SPEECH_AUDIO.frameSamples).buffer, level });
  }
}

function setup() {
  const socket = new FakeSocket();
  socket.serverConnect();
  const client = new RealtimeClient(socket);
  const mic = new FakeMicrophone();
  const session = new VoiceSession(client, mic.start);
  const texts: string[] = [];
  const onText = (text: string) => texts.push(text);
  const ackStart = (streamId = STREAM) =>
    socket.lastSent('speech:start').ack({
      ok: true,
      data: { streamId, sampleRate: 16_000, frameMs: 100, maxSeconds: 60, driver: 'test' },
    });
  const ackAudio = () => {
    for (const e of socket.sent('speech:audio').splice(0)) e.ack({ ok: true, data: null });
  };
  /** Acks every audio frame sent, and those the acks let go, until none is waiting (a server that keeps up). */
  const acked = new Set<unknown>();
  const ackAllAudio = async () => {
    for (;;) {
      const waiting = socket.sent('speech:audio').filter((e) => !acked.has(e));
      if (waiting.length === 0) return;
      for (const e of waiting) {
        acked.add(e);
        e.ack({ ok: true, data: null });
      }
      await flush();
    }
  };
  /** Starts a dictation through to recording. */
  const record = async (base = '') => {
    const started = session.start(base, onText);
    await flush();
    ackStart();
    await started;
    expect(session.getSnapshot().status).toBe('recording');
  };
  return { socket, client, mic, session, texts, onText, ackStart, ackAudio, ackAllAudio, record };
}

describe('joinText and clock', () => {
  it('adds a space only between Latin words or numbers', () => {
    expect(joinText('您好，', '测试')).toBe('您好，测试');
    expect(joinText('发票号码', '123')).toBe('发票号码123');
    expect(joinText('VAT', 'invoice')).toBe('VAT invoice');
    expect(joinText('VAT ', 'invoice')).toBe('VAT invoice');
    expect(joinText('', '测试')).toBe('测试');
    expect(joinText('您好', '')).toBe('您好');
  });
  it('shows m:ss', () => {
    expect(clock(5.9)).toBe('0:05');
    expect(clock(60)).toBe('1:00');
  });
});

describe('VoiceSession', () => {
  it('SPEECH_DISABLED: the server’s message is shown and the microphone is never opened', async () => {
    const { socket, mic, session, onText } = setup();
    const started = session.start('', onText);
    await flush();
    socket.lastSent('speech:start').ack({ ok: false, error: { code: 'SPEECH_DISABLED', message: DISABLED } });
    await started;
    expect(session.getSnapshot()).toMatchObject({
      status: 'error',
      notice: { kind: 'unavailable', message: DISABLED },
    });
    expect(mic.opened).toBe(0);
    session.dismiss();
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', notice: null });
  });

  it('sends frames with consecutive seqs and never more than maxFramesInFlight unacked', async () => {
    const { socket, mic, record } = setup();
    await record();
    for (let i = 0; i < 15; i++) mic.frame();
    const sent = socket.sent('speech:audio');
    expect(sent).toHaveLength(SPEECH_AUDIO.maxFramesInFlight);
    expect(sent.map((e) => e.payload.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sent[0]?.payload.streamId).toBe(STREAM);
    expect(sent[0]?.payload.pcm).toBeInstanceOf(ArrayBuffer);
    expect((sent[0]?.payload.pcm as ArrayBuffer | undefined)?.byteLength).toBe(3_200);

    // no 11th frame before an ack; one ack lets exactly one more go
    sent[0]?.ack({ ok: true, data: null });
    await flush();
    expect(socket.sent('speech:audio')).toHaveLength(11);
    for (const e of socket.sent('speech:audio')) e.ack({ ok: true, data: null });
    await flush();
    for (const e of socket.sent('speech:audio').slice(11)) e.ack({ ok: true, data: null });
    await flush();
    // nothing dropped: every frame went, in order
    expect(socket.sent('speech:audio').map((e) => e.payload.seq)).toEqual([...Array(15).keys()]);
  });

  it('composes base + settled segments + the live guess, and ignores other streams', async () => {
    const { socket, record, texts } = setup();
    await record('您好，');
    socket.fire('speech:result', { streamId: STREAM, segment: 0, text: '请问', final: false });
    socket.fire('speech:result', { streamId: STREAM, segment: 0, text: '请问增值税', final: false });
    socket.fire('speech:result', { streamId: STREAM, segment: 0, text: '请问增值税专用发票，', final: true });
    socket.fire('speech:result', { streamId: STREAM, segment: 1, text: '怎么开', final: false });
    socket.fire('speech:result', { streamId: OTHER, segment: 0, text: '别人的话', final: true });
    expect(texts).toEqual([
      '您好，请问',
      '您好，请问增值税',
      '您好，请问增值税专用发票，',
      '您好，请问增值税专用发票，怎么开',
    ]);
  });

  it('stop releases the microphone at once, sends the last frames, then replaces the text with the settled one', async () => {
    const { socket, mic, session, record, texts, ackAudio } = setup();
    await record('您好，');
    mic.frame();
    mic.frame();
    socket.fire('speech:result', { streamId: STREAM, segment: 0, text: '测试识别', final: false });
    const stopped = session.stop();
    await flush();
    expect(mic.stopped).toBe(true);
    expect(session.getSnapshot().status).toBe('stopping');
    // speech:stop waits for the frames before it
    expect(socket.sent('speech:stop')).toHaveLength(0);
    ackAudio();
    await flush();
    const stop = socket.lastSent('speech:stop');
    expect(stop.payload).toEqual({ streamId: STREAM });
    stop.ack({ ok: true, data: { streamId: STREAM, text: '测试识别第1段。' } });
    await stopped;
    expect(texts.at(-1)).toBe('您好，测试识别第1段。');
    expect(session.getSnapshot()).toMatchObject({ status: 'idle', notice: null });
    // nothing more for that stream reaches the box
    socket.fire('speech:result', { streamId: STREAM, segment: 1, text: '迟到的', final: true });
    expect(texts.at(-1)).toBe('您好，测试识别第1段。');
  });

  it('speech:ended (limit) stops the microphone and shows the server’s message', async () => {
    const { socket, mic, session, record } = setup();
    await record();
    socket.fire('speech:ended', { streamId: OTHER, reason: 'limit', message: SPEECH_END_MESSAGES.limit });
    expect(session.getSnapshot().status).toBe('recording');
    socket.fire('speech:ended', { streamId: STREAM, reason: 'limit', message: SPEECH_END_MESSAGES.limit });
    expect(mic.stopped).toBe(true);
    expect(session.getSnapshot()).toMatchObject({
      status: 'error',
      notice: { kind: 'error', message: SPEECH_END_MESSAGES.limit },
    });
    // the server ended it: nothing to cancel
    expect(socket.sent('speech:cancel')).toHaveLength(0);
  });

  it('stops by itself after silence following speech', async () => {
    const { socket, mic, record, ackAllAudio } = setup();
    await record();
    for (let i = 0; i < 10; i++) mic.frame(0.1);
    for (let i = 0; i < 19; i++) mic.frame(0.001);
    await ackAllAudio();
    expect(socket.sent('speech:stop')).toHaveLength(0);
    mic.frame(0.001);
    await ackAllAudio();
    expect(mic.stopped).toBe(true);
    expect(socket.sent('speech:stop')).toHaveLength(1);
  });

  it('stops just before the time limit and says why', async () => {
    const { socket, mic, session, record, ackAllAudio } = setup();
    await record();
    // speech all along, so only the limit can stop it
    for (let i = 0; i < 594; i++) {
      mic.frame(0.1);
      if (i % 5 === 0) socket.fire('speech:result', { streamId: STREAM, segment: 0, text: `字${i}`, final: false });
    }
    await ackAllAudio();
    expect(session.getSnapshot().status).toBe('recording');
    expect(session.getSnapshot().elapsed).toBeCloseTo(59.4, 5);
    mic.frame(0.1);
    await ackAllAudio();
    expect(mic.stopped).toBe(true);
    socket.lastSent('speech:stop').ack({ ok: true, data: { streamId: STREAM, text: '很长的一段话。' } });
    await flush();
    expect(session.getSnapshot()).toMatchObject({
      status: 'error',
      notice: { message: SPEECH_END_MESSAGES.limit },
    });
  });

  it('a refused microphone is explained, the stream is given back, and the next press waits for that', async () => {
    const { socket, mic, session, onText, ackStart } = setup();
    mic.failure = new VoiceCaptureError(CAPTURE_MESSAGES.denied);
    const started = session.start('', onText);
    await flush();
    ackStart();
    await started;
    expect(session.getSnapshot()).toMatchObject({ status: 'error', notice: { message: CAPTURE_MESSAGES.denied } });
    const cancel = socket.lastSent('speech:cancel');
    expect(cancel.payload).toEqual({ streamId: STREAM });

    // pressed again before the server answered the cancel: the new start waits (one stream per taxpayer)
    mic.failure = null;
    void session.start('', onText);
    await flush();
    expect(socket.sent('speech:start')).toHaveLength(1);
    cancel.ack({ ok: true, data: null });
    await flush();
    expect(socket.sent('speech:start')).toHaveLength(2);
  });

  it('any other capture failure has a Chinese message too', async () => {
    const { mic, session, onText, ackStart } = setup();
    mic.failure = Object.assign(new Error('no device'), { name: 'NotFoundError' });
    const started = session.start('', onText);
    await flush();
    ackStart();
    await started;
    expect(session.getSnapshot().notice?.message).toBe(CAPTURE_MESSAGES.missing);
  });

  it('cancel while the server has not answered speech:start gives the stream back when it does', async () => {
    const { socket, mic, session, onText, ackStart } = setup();
    const started = session.start('', onText);
    await flush();
    session.cancel();
    expect(session.getSnapshot().status).toBe('idle');
    ackStart();
    await started;
    expect(socket.lastSent('speech:cancel').payload).toEqual({ streamId: STREAM });
    expect(mic.opened).toBe(0);
  });

  it('a permission prompt that outlasts the server’s idle limit gets a fresh stream', async () => {
    const { socket, mic, session, onText, ackStart } = setup();
    let allow!: () => void;
    mic.hold = new Promise<void>((resolve) => {
      allow = resolve;
    });
    const started = session.start('', onText);
    await flush();
    ackStart();
    await flush();
    socket.fire('speech:ended', { streamId: STREAM, reason: 'idle', message: SPEECH_END_MESSAGES.idle });
    allow();
    await flush();
    expect(socket.sent('speech:start')).toHaveLength(2);
    ackStart(OTHER);
    await started;
    expect(session.getSnapshot()).toMatchObject({ status: 'recording', notice: null });
    mic.frame();
    expect(socket.lastSent('speech:audio').payload).toMatchObject({ streamId: OTHER, seq: 0 });
  });

  it('a lost microphone settles what was said and says so', async () => {
    const { socket, mic, session, record } = setup();
    await record();
    mic.onLost?.();
    await flush();
    socket.lastSent('speech:stop').ack({ ok: true, data: { streamId: STREAM, text: '测试。' } });
    await flush();
    expect(session.getSnapshot()).toMatchObject({ status: 'error', notice: { kind: 'error' } });
    expect(session.getSnapshot().notice?.message).toContain('麦克风已断开');
  });
});
