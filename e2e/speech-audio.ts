/**
 * Audio for the voice-input tests: a Mandarin WAV spoken by espeak-ng and made 16 kHz mono 16-bit by sox (Chromium
 * plays it as the microphone with --use-file-for-fake-audio-capture), and the comparison of what the server received
 * with that source.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readWav } from '../apps/server/test/speech-audio.ts';

export const SPEECH_RATE = 16_000;

/** True where espeak-ng and sox are installed (.ci/run installs them). */
export function canSynthesize(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Speaks `text` into `<dir>/<name>.wav`: 16 kHz, mono, 16-bit, with `leadSeconds` of silence before (the microphone
 * opens a moment before the recorder takes samples) and `tailSeconds` after (room for the auto-stop on silence).
 */
export function mandarinWav(dir: string, name: string, text: string, leadSeconds = 0.8, tailSeconds = 3): string {
  const raw = path.join(dir, `${name}.raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', 'cmn', '-s', '150', '-w', raw, text]);
  execFileSync('sox', [
    raw,
    '-r',
    String(SPEECH_RATE),
    '-c',
    '1',
    '-b',
    '16',
    out,
    'pad',
    `${leadSeconds}`,
    `${tailSeconds}`,
  ]);
  return out;
}

/** The samples of the 16 kHz mono WAV the tests play (its rate checked). */
export function readWavSamples(file: string): Int16Array {
  const { sampleRate, samples } = readWav(file);
  if (sampleRate !== SPEECH_RATE) throw new Error(`${file}: ${sampleRate} Hz, expected ${SPEECH_RATE}`);
  return samples;
}

/** Little-endian 16-bit PCM bytes → samples (copied, so any alignment works). */
export function pcmSamples(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(Math.floor(bytes.length / 2));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** First and last sample louder than 3% of the signal's peak: the span that holds speech. */
export function voicedSpan(x: Int16Array): { start: number; end: number } {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const threshold = peak * 0.03;
  let start = 0;
  while (start < x.length && Math.abs(x[start] ?? 0) <= threshold) start++;
  let end = x.length - 1;
  while (end > start && Math.abs(x[end] ?? 0) <= threshold) end--;
  return { start, end: end + 1 };
}

/** Pearson correlation of source[s..e) with captured shifted by `lag` (captured index = source index + lag). */
function correlationAt(source: Int16Array, captured: Int16Array, lag: number, s: number, e: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = s; i < e; i++) {
    const j = i + lag;
    if (j < 0 || j >= captured.length) continue;
    const x = source[i] ?? 0;
    const y = captured[j] ?? 0;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  if (n < 2) return 0;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}

/** RMS per 10 ms window. */
function envelope(x: Int16Array, win = 160): Float64Array {
  const out = new Float64Array(Math.floor(x.length / win));
  for (let w = 0; w < out.length; w++) {
    let sum = 0;
    for (let i = w * win; i < (w + 1) * win; i++) sum += (x[i] ?? 0) ** 2;
    out[w] = Math.sqrt(sum / win);
  }
  return out;
}

export type CaptureComparison = {
  /** Samples the captured signal lags the source by. */
  lag: number;
  /** Pearson correlation over the source's speech, after alignment as a whole. */
  correlation: number;
  /**
   * The median correlation of half-second pieces of the speech, each aligned on its own within ±50 ms of `lag`:
   * the same speech even where the capture has a glitch (Chromium's fake microphone inserts a few milliseconds of
   * silence when its audio thread misses a deadline on a loaded machine, which shifts everything after it).
   */
  pieceCorrelation: number;
  /** Share of the pieces whose own correlation is ≥ 0.9. */
  piecesAligned: number;
  sourceVoicedSeconds: number;
  capturedVoicedSeconds: number;
  /** Whether the capture holds the source's whole speech span. */
  coversSpeech: boolean;
};

/**
 * Aligns what the server received with the source (coarse by 10 ms envelopes, then sample by sample) and measures
 * how alike they are. The capture starts at an unknown point of the source (the microphone opens before the recorder
 * runs), so only the lag is searched; nothing is scaled or filtered.
 */
export function compareCapture(source: Int16Array, captured: Int16Array): CaptureComparison {
  const es = envelope(source);
  const ec = envelope(captured);
  let bestCoarse = 0;
  let bestScore = -Infinity;
  for (let lagW = -es.length; lagW <= ec.length; lagW++) {
    let score = 0;
    for (let w = 0; w < es.length; w++) {
      const c = ec[w + lagW];
      if (c !== undefined) score += (es[w] ?? 0) * c;
    }
    if (score > bestScore) {
      bestScore = score;
      bestCoarse = lagW;
    }
  }
  const span = voicedSpan(source);
  let lag = bestCoarse * 160;
  let correlation = -1;
  for (let l = bestCoarse * 160 - 320; l <= bestCoarse * 160 + 320; l++) {
    const r = correlationAt(source, captured, l, span.start, span.end);
    if (r > correlation) {
      correlation = r;
      lag = l;
    }
  }
  const pieces: number[] = [];
  const PIECE = SPEECH_RATE / 2;
  const SLACK = SPEECH_RATE / 20;
  for (let p = span.start; p + PIECE <= span.end; p += PIECE) {
    let best = -1;
    for (let l = lag - SLACK; l <= lag + SLACK; l++)
      best = Math.max(best, correlationAt(source, captured, l, p, p + PIECE));
    pieces.push(best);
  }
  const sorted = [...pieces].sort((a, b) => a - b);
  const cspan = voicedSpan(captured);
  return {
    lag,
    correlation,
    pieceCorrelation: sorted[Math.floor(sorted.length / 2)] ?? 0,
    piecesAligned: pieces.length ? pieces.filter((r) => r >= 0.9).length / pieces.length : 0,
    sourceVoicedSeconds: (span.end - span.start) / SPEECH_RATE,
    capturedVoicedSeconds: (cspan.end - cspan.start) / SPEECH_RATE,
    coversSpeech: span.start + lag >= 0 && span.end + lag <= captured.length,
  };
}
