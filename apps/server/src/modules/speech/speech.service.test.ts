/**
 * The speech service's rules against a scripted recogniser: what reaches the socket, when a stream ends by itself, and
 * the frame conversion. (speech.int.test.ts drives the same through real sockets and engine processes.)
 */
import { ERRORS, SPEECH_END_MESSAGES, SPEECH_LIMITS } from '@zhengna/contracts';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaxpayerActor } from '../identity/identity.types.ts';
import { createSpeechService, type SpeechServerEvents, type SpeechSocket, toSamples } from './speech.service.ts';
import type { RecognizerEvent, SpeechRecognizer } from './speech.types.ts';
import { closeText, punctuateSegment, tidyRecognized } from './speech-text.ts';

const actor = (n = 1): TaxpayerActor => ({
  kind: 'taxpayer',
  sessionId: `session-${n}`,
  portalUserId: `user-${n}`,
  taxpayerId: `taxpayer-${n}`,
  personName: '张三',
});

type Sent = { [E in keyof SpeechServerEvents]: [E, SpeechServerEvents[E]] }[keyof SpeechServerEvents];

function socket(id = 'socket-1') {
  const sent: Sent[] = [];
  const s: SpeechSocket = { id, emit: (event, payload) => sent.push([event, payload] as Sent) };
  return { socket: s, sent };
}

/** A recogniser whose events the test speaks for. */
function scripted() {
  const streams: { emit: (e: RecognizerEvent) => void; pushed: number; finished: boolean; aborted: boolean }[] = [];
  let onFinish: ((emit: (e: RecognizerEvent) => void) => void) | undefined;
  const recognizer: SpeechRecognizer = {
    driver: 'scripted',
    ready: () => true,
    close: async () => {},
    async open(_id, onEvent) {
      const s = { emit: onEvent, pushed: 0, finished: false, aborted: false };
      streams.push(s);
      return {
        push: async (pcm) => {
          s.pushed += pcm.length;
        },
        finish: async () => {
          onFinish?.(onEvent);
          s.finished = true;
        },
        abort: () => {
          s.aborted = true;
        },
      };
    },
  };
  return { recognizer, streams, atFinish: (f: typeof onFinish) => (onFinish = f) };
}

const frame = (samples = 1600) => Buffer.alloc(samples * 2);
const service = (recognizer: SpeechRecognizer | null, maxStreams = 8) =>
  createSpeechService({ recognizer, logger: pino({ level: 'silent' }), maxStreams });

afterEach(() => {
  vi.useRealTimers();
});

describe('speech service', () => {
  it('live text replaces itself, settled segments are numbered and punctuated, stop closes the whole text', async () => {
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock, sent } = socket();
    const { streamId } = await speech.start(actor(), sock);
    await speech.audio(actor(), sock.id, { streamId, seq: 0, pcm: frame() });
    const s = r.streams[0] as (typeof r.streams)[0];
    s.emit({ type: 'partial', text: '我想 问一下' });
    s.emit({ type: 'partial', text: '我想 问一下' });
    s.emit({ type: 'final', text: '我想问一下发票怎么开' });
    s.emit({ type: 'final', text: '  ' });
    s.emit({ type: 'partial', text: '谢谢' });
    r.atFinish((emit) => emit({ type: 'final', text: '谢谢' }));
    const final = await speech.stop(actor(), sock.id, { streamId });

    const first = punctuateSegment(tidyRecognized('我想问一下发票怎么开'));
    const second = punctuateSegment(tidyRecognized('谢谢'));
    expect(sent).toEqual([
      ['speech:result', { streamId, segment: 0, text: tidyRecognized('我想 问一下'), final: false }],
      ['speech:result', { streamId, segment: 0, text: first, final: true }],
      ['speech:result', { streamId, segment: 1, text: tidyRecognized('谢谢'), final: false }],
      ['speech:result', { streamId, segment: 1, text: second, final: true }],
    ]);
    expect(final).toEqual({ streamId, text: closeText(first + second) });
    expect(s.finished).toBe(true);
    expect(speech.activeStreams()).toBe(0);
  });

  it('no recogniser: voice input is off, in the words the widget shows', async () => {
    await expect(service(null).start(actor(), socket().socket)).rejects.toMatchObject({
      code: 'SPEECH_DISABLED',
      message: ERRORS.SPEECH_DISABLED.message,
    });
  });

  it('a recogniser that cannot take the stream: busy, and the slot is not kept', async () => {
    const r = scripted();
    r.recognizer.open = async () => {
      throw new Error('speech engine not available');
    };
    const speech = service(r.recognizer);
    await expect(speech.start(actor(), socket().socket)).rejects.toMatchObject({ code: 'SPEECH_BUSY' });
    expect(speech.activeStreams()).toBe(0);
  });

  it('no audio for a while: the recogniser settles, the client is told, the slot is free', async () => {
    vi.useFakeTimers();
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock, sent } = socket();
    const { streamId } = await speech.start(actor(), sock);
    r.atFinish((emit) => emit({ type: 'final', text: '你好' }));
    await vi.advanceTimersByTimeAsync(SPEECH_LIMITS.idleSeconds * 1000 + 10);
    expect(sent.at(-1)).toEqual(['speech:ended', { streamId, reason: 'idle', message: SPEECH_END_MESSAGES.idle }]);
    expect(sent.some(([e, p]) => e === 'speech:result' && p.final)).toBe(true);
    expect(speech.activeStreams()).toBe(0);
    // a late stop still gets the text
    expect(await speech.stop(actor(), sock.id, { streamId })).toEqual({
      streamId,
      text: closeText(punctuateSegment(tidyRecognized('你好'))),
    });
  });

  it('the recogniser fails: the client is told, later frames are refused', async () => {
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock, sent } = socket();
    const { streamId } = await speech.start(actor(), sock);
    (r.streams[0] as (typeof r.streams)[0]).emit({ type: 'error', message: 'engine exited' });
    await vi.waitFor(() => expect(sent.at(-1)?.[0]).toBe('speech:ended'));
    expect(sent.at(-1)).toEqual(['speech:ended', { streamId, reason: 'failed', message: SPEECH_END_MESSAGES.failed }]);
    await expect(speech.audio(actor(), sock.id, { streamId, seq: 0, pcm: frame() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await speech.start(actor(), sock)).streamId).not.toBe(streamId);
  });

  it('the hard cap: the frame that crosses it is cut, the stream ends with `limit`, more audio is too long', async () => {
    vi.useFakeTimers();
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock, sent } = socket();
    const { streamId } = await speech.start(actor(), sock);
    // 250 ms frames, in real time; 60 s is 240 of them; the 241st would be over
    for (let seq = 0; seq < 240; seq++) {
      await vi.advanceTimersByTimeAsync(250);
      await speech.audio(actor(), sock.id, { streamId, seq, pcm: frame(4000) });
    }
    await vi.waitFor(() => expect(sent.at(-1)?.[0]).toBe('speech:ended'));
    expect(sent.at(-1)).toEqual(['speech:ended', { streamId, reason: 'limit', message: SPEECH_END_MESSAGES.limit }]);
    expect((r.streams[0] as (typeof r.streams)[0]).pushed).toBe(SPEECH_LIMITS.maxSeconds * 16_000);
    await expect(speech.audio(actor(), sock.id, { streamId, seq: 240, pcm: frame() })).rejects.toMatchObject({
      code: 'SPEECH_TOO_LONG',
    });
  });

  it('audio that runs ahead of the clock is refused', async () => {
    vi.useFakeTimers();
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock } = socket();
    const { streamId } = await speech.start(actor(), sock);
    // a head start of 5 s: twenty 250 ms frames pass at once, the twenty-first does not
    for (let seq = 0; seq < 20; seq++) await speech.audio(actor(), sock.id, { streamId, seq, pcm: frame(4000) });
    await expect(speech.audio(actor(), sock.id, { streamId, seq: 20, pcm: frame(4000) })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    // a second later there is room again (three seconds of audio per second)
    await vi.advanceTimersByTimeAsync(1000);
    await expect(speech.audio(actor(), sock.id, { streamId, seq: 21, pcm: frame(4000) })).resolves.toBeNull();
  });

  it('a cut crossing frame: only the room left is pushed', async () => {
    vi.useFakeTimers();
    const r = scripted();
    const speech = service(r.recognizer);
    const { socket: sock } = socket();
    const { streamId } = await speech.start(actor(), sock);
    let seq = 0;
    // 59.9 s in 100 ms frames, then one 250 ms frame: 100 ms of it fits
    for (; seq < 599; seq++) {
      await vi.advanceTimersByTimeAsync(100);
      await speech.audio(actor(), sock.id, { streamId, seq, pcm: frame(1600) });
    }
    await speech.audio(actor(), sock.id, { streamId, seq, pcm: frame(4000) });
    await vi.waitFor(() => expect(speech.activeStreams()).toBe(0));
    expect((r.streams[0] as (typeof r.streams)[0]).pushed).toBe(60 * 16_000);
  });
});

describe('toSamples', () => {
  it('reads little-endian samples, copying a Buffer that sits at an odd offset', () => {
    const backing = Buffer.alloc(9);
    backing.writeInt16LE(-2, 1);
    backing.writeInt16LE(1234, 3);
    const odd = backing.subarray(1, 5);
    expect(odd.byteOffset % 2).toBe(1);
    expect([...toSamples(odd)]).toEqual([-2, 1234]);
    const even = Buffer.from(new Int16Array([7, -7]).buffer);
    expect([...toSamples(even)]).toEqual([7, -7]);
    expect([...toSamples(new Int16Array([3, 4]).buffer)]).toEqual([3, 4]);
  });
});
