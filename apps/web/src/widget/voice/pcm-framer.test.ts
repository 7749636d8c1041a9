import { describe, expect, it } from 'vitest';
import { type PcmFrame, PcmFramer, Resampler, toInt16 } from './pcm-framer.ts';

const FRAME = 1_600;

/** Feeds `input` in 128-sample render quanta, as an AudioWorklet does. */
function feed(framer: PcmFramer, input: Float32Array): PcmFrame[] {
  const frames: PcmFrame[] = [];
  for (let at = 0; at < input.length; at += 128) frames.push(...framer.push(input.subarray(at, at + 128)));
  return frames;
}

function samples(frames: PcmFrame[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.pcm.byteLength / 2, 0));
  let at = 0;
  for (const f of frames) {
    out.set(new Int16Array(f.pcm), at);
    at += f.pcm.byteLength / 2;
  }
  return out;
}

const sine = (rate: number, hz: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / rate),
  );

const rms = (x: ArrayLike<number>, from = 0) => {
  let sum = 0;
  for (let i = from; i < x.length; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / (x.length - from));
};

describe('toInt16', () => {
  it('clips and rounds', () => {
    expect(toInt16(1.5)).toBe(32767);
    expect(toInt16(-1.5)).toBe(-32768);
    expect(toInt16(0.5)).toBe(16384);
    expect(toInt16(-1)).toBe(-32768);
  });
});

describe('PcmFramer', () => {
  it('at 16 kHz passes the samples through bit for bit, in frames of exactly 1600', () => {
    const ints = Int16Array.from({ length: FRAME * 5 + 300 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const floats = Float32Array.from(ints, (v) => v / 32768);
    const framer = new PcmFramer(16_000, 16_000, FRAME);
    const frames = feed(framer, floats);
    expect(frames).toHaveLength(5);
    for (const f of frames) expect(f.pcm.byteLength).toBe(FRAME * 2);
    expect(Array.from(samples(frames))).toEqual(Array.from(ints.subarray(0, FRAME * 5)));
    // what is left of the last frame comes out on flush
    const rest = framer.flush();
    expect(rest?.pcm.byteLength).toBe(600);
    expect(Array.from(new Int16Array(rest?.pcm ?? new ArrayBuffer(0)))).toEqual(Array.from(ints.subarray(FRAME * 5)));
    expect(framer.flush()).toBeNull();
  });

  it('reports each frame’s RMS level (0…1)', () => {
    const frames = feed(new PcmFramer(16_000, 16_000, FRAME), sine(16_000, 1_000, 0.2));
    expect(frames[0]?.level).toBeCloseTo(0.5 / Math.SQRT2, 3);
    const silent = feed(new PcmFramer(16_000, 16_000, FRAME), new Float32Array(FRAME));
    expect(silent[0]?.level).toBe(0);
  });

  it.each([48_000, 44_100])('a 1 kHz sine at %i Hz stays a 1 kHz sine at 16 kHz', (rate) => {
    const frames = feed(new PcmFramer(rate, 16_000, FRAME), sine(rate, 1_000, 1));
    for (const f of frames) expect(f.pcm.byteLength).toBe(FRAME * 2);
    expect(frames.length).toBe(9);
    const out = samples(frames);
    // the same waveform, sample for sample (no delay, no change of level), once the filter has its history
    let worst = 0;
    for (let n = 100; n < out.length; n++) {
      const expected = 0.5 * Math.sin((2 * Math.PI * 1_000 * n) / 16_000);
      worst = Math.max(worst, Math.abs((out[n] as number) / 32768 - expected));
    }
    expect(worst).toBeLessThan(0.005);
  });

  it('keeps what is above 8 kHz from folding back into the speech band', () => {
    const out = samples(feed(new PcmFramer(48_000, 16_000, FRAME), sine(48_000, 12_000, 1)));
    // 12 kHz would alias to 4 kHz: at least 40 dB down
    expect(rms(out, 200) / 32768).toBeLessThan((0.5 / Math.SQRT2) * 0.01);
  });

  it('passes speech frequencies at full level', () => {
    for (const hz of [300, 3_000, 6_000]) {
      const out = samples(feed(new PcmFramer(48_000, 16_000, FRAME), sine(48_000, hz, 1)));
      expect(rms(out, 200) / 32768).toBeCloseTo(0.5 / Math.SQRT2, 2);
    }
  });
});

describe('Resampler', () => {
  it('produces outputs for input at the ratio of the rates, whatever the block sizes', () => {
    const r = new Resampler(44_100, 16_000);
    let count = 0;
    const input = sine(44_100, 440, 2);
    for (let at = 0; at < input.length; ) {
      const size = 1 + ((at * 31) % 500);
      count += r.process(input.subarray(at, at + size)).length;
      at += size;
    }
    expect(Math.abs(count - 32_000)).toBeLessThan(60);
  });
});
