/**
 * Audio for voice-input tests and the speech benchmark: synthetic PCM (voiced bursts and silence), WAV reading,
 * Mandarin speech from espeak-ng where it is installed, a client that streams frames like the widget does (at most
 * SPEECH_AUDIO.maxFramesInFlight unacked, optionally paced), and the character error rate.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Ack, SPEECH_AUDIO } from '@zhengna/contracts';
// types only: unit tests use the generators without starting a server
import type { ClientSocket } from './harness.ts';

export const SAMPLE_RATE = SPEECH_AUDIO.sampleRate;

/** A voiced stretch: a tone with a little noise, loud enough for the test recogniser's energy detector. */
export function tone(seconds: number, opts: { amplitude?: number; hz?: number } = {}): Int16Array {
  const { amplitude = 8000, hz = 220 } = opts;
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE) + (Math.random() - 0.5) * 400);
  }
  return out;
}

/** A quiet room: faint noise, far below the voiced threshold. */
export function silence(seconds: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.random() - 0.5) * 60);
  return out;
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The PCM as the browser sends it: little-endian 16-bit frames of `frameSamples` (100 ms). */
export function toFrames(pcm: Int16Array, frameSamples: number = SPEECH_AUDIO.frameSamples): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < pcm.length; at += frameSamples) {
    const part = pcm.subarray(at, Math.min(pcm.length, at + frameSamples));
    frames.push(Buffer.from(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength)));
  }
  return frames;
}

/** A 16-bit PCM WAV's samples (the first channel). */
export function readWav(file: string): { sampleRate: number; samples: Int16Array } {
  const buf = readFileSync(file);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file} is not a WAV file`);
  }
  let at = 12;
  let channels = 1;
  let sampleRate = 0;
  let bits = 0;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${file}: ${bits}-bit samples, expected 16-bit`);
      // espeak-ng writes 0xffffffff as the data size when it streams to a file
      const end = Math.min(buf.length, size === 0xffffffff ? buf.length : body + size);
      const count = Math.floor((end - body) / 2 / channels);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = buf.readInt16LE(body + i * 2 * channels);
      return { sampleRate, samples };
    }
    at = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Mandarin speech of `text` as a 16 kHz mono 16-bit WAV in `dir`, or null without espeak-ng and sox. */
export function speakMandarin(text: string, dir: string): string | null {
  if (!has('espeak-ng') || !has('sox')) return null;
  const raw = path.join(dir, 'espeak.wav');
  const out = path.join(dir, 'speech-16k.wav');
  if (spawnSync('espeak-ng', ['-v', 'cmn', '-s', '150', text, '-w', raw]).status !== 0) return null;
  if (spawnSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', out]).status !== 0) return null;
  return out;
}

/**
 * Streams frames like the widget: at most `inFlight` unacked; with `speed`, no faster than that many times real time
 * after a head start of `headStartSeconds` (the server refuses audio that runs too far ahead of the clock).
 */
export async function streamFrames(
  socket: ClientSocket,
  streamId: string,
  frames: Buffer[],
  opts: {
    inFlight?: number;
    speed?: number;
    headStartSeconds?: number;
    firstSeq?: number;
    onAck?: (seq: number, ack: Ack<null>) => void;
  } = {},
): Promise<Ack<null>[]> {
  const { inFlight = SPEECH_AUDIO.maxFramesInFlight, speed, headStartSeconds = 4, firstSeq = 0 } = opts;
  const acks: Promise<Ack<null>>[] = [];
  const t0 = Date.now();
  let audio = 0;
  for (const [i, pcm] of frames.entries()) {
    if (i >= inFlight) await acks[i - inFlight];
    audio += pcm.length / 2 / SAMPLE_RATE;
    if (speed) {
      const due = ((audio - headStartSeconds) / speed) * 1000 - (Date.now() - t0);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
    const seq = firstSeq + i;
    acks.push(
      (
        socket.timeout(20_000) as unknown as {
          emitWithAck: (e: string, p: unknown) => Promise<Ack<null>>;
        }
      )
        .emitWithAck('speech:audio', { streamId, seq, pcm })
        .then((ack) => {
          opts.onAck?.(seq, ack);
          return ack;
        }),
    );
  }
  return Promise.all(acks);
}

/** Character error rate: edit distance between the texts (punctuation and spaces left out) over the reference's length. */
export function characterErrorRate(reference: string, hypothesis: string): number {
  const clean = (s: string) => [...s.normalize('NFKC').replace(/[\s\p{P}]/gu, '')];
  const ref = clean(reference);
  const hyp = clean(hypothesis);
  if (!ref.length) return hyp.length ? 1 : 0;
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const cost = ref[i - 1] === hyp[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return (prev[hyp.length] as number) / ref.length;
}
