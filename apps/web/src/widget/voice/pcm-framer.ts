/**
 * Microphone samples → the PCM the server wants: 16 kHz, mono, signed 16-bit, in frames of a fixed sample count
 * (SPEECH_AUDIO.frameSamples, 100 ms). Runs inside the AudioWorklet (pcm-capture.worklet.ts), so it imports nothing:
 * the rates and the frame size come in as arguments. Pure, so it is tested without an audio context.
 *
 * At the target rate the samples pass through unchanged (float → int16 only). Other rates are resampled by a
 * Blackman-windowed sinc (polyphase; low-pass just under the lower Nyquist frequency), so nothing above 8 kHz folds
 * back into the speech band.
 */

/** One frame: `pcm` holds little-endian Int16 samples (the platform's order; every browser is little-endian). */
export type PcmFrame = { pcm: ArrayBuffer; level: number };

/** Zero crossings of the sinc on each side of the centre: 24 gives a transition band of about ±800 Hz at 48 kHz. */
const ZERO_CROSSINGS = 24;
/** The low-pass cutoff as a share of the lower Nyquist frequency (7.2 kHz for 16 kHz output). */
const CUTOFF = 0.9;
/** Phases beyond this are rounded to the nearest (only odd rates need more; the error is far below 16-bit noise). */
const MAX_PHASES = 4096;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** float −1…1 → int16, clipped (exact for samples that came from int16: v / 32768 → v). */
export function toInt16(x: number): number {
  const v = Math.round(x * 32768);
  return Math.max(-32768, Math.min(32767, v));
}

/**
 * A streaming windowed-sinc resampler for any pair of integer rates. Output n is the input at time
 * n · inputRate / outputRate (no delay: the filter is symmetric and waits for the samples it needs).
 */
export class Resampler {
  private readonly half: number;
  private readonly phases: Float32Array[];
  private readonly phaseScale: number;
  /** The input advance per output sample, as step / unit input samples. */
  private readonly step: number;
  private readonly unit: number;
  private buffer: Float32Array;
  private length: number;
  /** floor(t) for the next output, as an index into `buffer`. */
  private pos: number;
  /** t − pos, in 1 / unit input samples. */
  private rem = 0;
  private out = new Float32Array(0);

  constructor(inputRate: number, outputRate: number) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('sample rates must be positive');
    const g = gcd(Math.round(inputRate), Math.round(outputRate));
    this.step = Math.round(inputRate) / g;
    this.unit = Math.round(outputRate) / g;
    const fc = 0.5 * Math.min(1, outputRate / inputRate) * CUTOFF; // cycles per input sample
    this.half = Math.ceil(ZERO_CROSSINGS / (2 * fc));
    const count = Math.min(this.unit, MAX_PHASES);
    this.phaseScale = count / this.unit;
    this.phases = [];
    for (let p = 0; p <= count; p++) {
      const frac = p / count;
      const taps = new Float32Array(2 * this.half);
      let sum = 0;
      for (let j = 0; j < taps.length; j++) {
        const d = j - this.half + 1 - frac; // distance of the tap from the output time, in input samples
        const x = 2 * fc * d;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const w = d / this.half; // −1…1 across the window
        const blackman = Math.abs(w) >= 1 ? 0 : 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
        taps[j] = sinc * blackman;
        sum += taps[j] as number;
      }
      // unity gain at DC in every phase
      for (let j = 0; j < taps.length; j++) taps[j] = (taps[j] as number) / sum;
      this.phases.push(taps);
    }
    // silence before the first sample, so the first output is centred on input sample 0
    this.buffer = new Float32Array(4096);
    this.length = this.half - 1;
    this.pos = this.half - 1;
  }

  /** Takes the next input block and returns the output samples it completes (a view, valid until the next call). */
  process(input: Float32Array): Float32Array {
    if (this.length + input.length > this.buffer.length) {
      const bigger = new Float32Array(Math.max(this.buffer.length * 2, this.length + input.length));
      bigger.set(this.buffer.subarray(0, this.length));
      this.buffer = bigger;
    }
    this.buffer.set(input, this.length);
    this.length += input.length;

    const most = Math.ceil(((this.length - this.pos) * this.unit) / this.step) + 1;
    if (this.out.length < most) this.out = new Float32Array(most);
    const { buffer, half, step, unit } = this;
    let n = 0;
    while (this.pos + half < this.length) {
      const taps = this.phases[Math.round(this.rem * this.phaseScale)] as Float32Array;
      const first = this.pos - half + 1;
      let acc = 0;
      for (let j = 0; j < taps.length; j++) acc += (buffer[first + j] as number) * (taps[j] as number);
      this.out[n++] = acc;
      this.rem += step;
      this.pos += Math.floor(this.rem / unit);
      this.rem %= unit;
    }
    // keep only what later outputs still reach
    const drop = Math.min(this.pos - half + 1, this.length);
    if (drop > 0) {
      buffer.copyWithin(0, drop, this.length);
      this.length -= drop;
      this.pos -= drop;
    }
    return this.out.subarray(0, n);
  }
}

/** Cuts the (resampled) signal into Int16 frames of `frameSamples`, each with its RMS level (0…1). */
export class PcmFramer {
  private readonly resampler: Resampler | null;
  private frame: Int16Array;
  private filled = 0;
  private squares = 0;

  constructor(
    inputRate: number,
    outputRate: number,
    private readonly frameSamples: number,
  ) {
    this.resampler = Math.round(inputRate) === Math.round(outputRate) ? null : new Resampler(inputRate, outputRate);
    this.frame = new Int16Array(frameSamples);
  }

  /** Takes an input block (e.g. one 128-sample render quantum) and returns the frames it completed. */
  push(input: Float32Array): PcmFrame[] {
    const samples = this.resampler ? this.resampler.process(input) : input;
    const done: PcmFrame[] = [];
    for (let i = 0; i < samples.length; i++) {
      const v = toInt16(samples[i] as number);
      this.frame[this.filled++] = v;
      this.squares += v * v;
      if (this.filled === this.frameSamples) done.push(this.take());
    }
    return done;
  }

  /** The samples of an unfinished frame (a shorter last frame), or null when there are none. */
  flush(): PcmFrame | null {
    return this.filled === 0 ? null : this.take();
  }

  private take(): PcmFrame {
    const level = Math.min(1, Math.sqrt(this.squares / this.filled) / 32768);
    const pcm = this.filled === this.frameSamples ? this.frame.buffer : this.frame.buffer.slice(0, this.filled * 2);
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.squares = 0;
    return { pcm: pcm as ArrayBuffer, level };
  }
}
