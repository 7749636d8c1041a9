/**
 * Voice input benchmark: the server in this process, BENCH_STREAMS (8) taxpayers streaming at once over real sockets,
 * each feeding BENCH_AUDIO_SECONDS (10) of audio at real-time pace in 100 ms frames, as the widget does.
 *
 *   SPEECH_MODEL_DIR=/path/to/model npm run bench:speech     sherpa-onnx (SPEECH_WORKERS, SPEECH_THREADS apply)
 *   npm run bench:speech                                     the test recogniser: the pipeline only
 *
 * The audio is Mandarin from espeak-ng where it is installed (with sox), else synthetic voiced bursts. Prints one JSON
 * object on stdout: realtimeFactor is the engines' working time over the audio they processed (below 1: faster than
 * real time per stream, per engine thread), p99PartialLatencyMs the time from a frame's arrival to the first live
 * result covering it (the server's own measure), rssMb the server's and the engine processes' resident memory at
 * their peak. Progress goes to stderr.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { startApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import type { EnginePool } from '../apps/server/src/modules/speech/engine-pool.ts';
import { emitAck, openTaxpayerChat } from '../apps/server/test/harness.ts';
import {
  concat,
  readWav,
  SAMPLE_RATE,
  silence,
  speakMandarin,
  streamFrames,
  toFrames,
  tone,
} from '../apps/server/test/speech-audio.ts';

const runStart = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench ${((performance.now() - runStart) / 1000).toFixed(1)}s] ${msg}\n`);
const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] || dflt);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};

const STREAMS = Math.floor(num('BENCH_STREAMS', 8));
const AUDIO_SECONDS = num('BENCH_AUDIO_SECONDS', 10);
const modelDir = process.env.SPEECH_MODEL_DIR;
const driver = modelDir ? 'sherpa-onnx' : 'test';
const TEXT = '您好，我想咨询一下增值税专用发票的开具流程，还有个人所得税年度汇算什么时候开始申报。';

/** Resident memory of a process, from /proc (Linux); 0 where it cannot be read. */
function rssOf(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function audio(): { samples: Int16Array; source: string } {
  const wav = speakMandarin(TEXT, mkdtempSync(path.join(os.tmpdir(), 'zn-bench-speech-')));
  const unit = wav ? concat(readWav(wav).samples, silence(0.6)) : concat(tone(1.2), silence(0.8));
  const parts: Int16Array[] = [];
  let total = 0;
  while (total < AUDIO_SECONDS * SAMPLE_RATE) {
    parts.push(unit);
    total += unit.length;
  }
  return {
    samples: concat(...parts).subarray(0, AUDIO_SECONDS * SAMPLE_RATE),
    source: wav ? 'espeak-ng' : 'synthetic',
  };
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

async function main() {
  const { samples, source } = audio();
  const frames = toFrames(samples);
  log(`${driver}: ${STREAMS} streams × ${AUDIO_SECONDS} s of ${source} audio`);
  const app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      SEED_KB: 'false',
      BOT_ENABLED: 'false',
      WEB_DIST: mkdtempSync(path.join(os.tmpdir(), 'zn-web-')),
      SPEECH_DRIVER: driver,
      ...(modelDir ? { SPEECH_MODEL_DIR: modelDir } : {}),
      SPEECH_WORKERS: process.env.SPEECH_WORKERS ?? '1',
      SPEECH_THREADS: process.env.SPEECH_THREADS ?? '1',
      SPEECH_MAX_STREAMS: String(STREAMS),
    }),
    { jobs: false, logger: pino({ level: 'silent' }) },
  );
  const pool = app.recognizer as EnginePool;
  await pool.whenReady(120_000);
  log(`engines up (pids ${pool.pids().join(', ')})`);

  // the server's latency measure, value by value (its histogram keeps only buckets)
  const latencies: number[] = [];
  const histogram = app.metrics.speechPartialLatency;
  const observe = histogram.observe.bind(histogram) as (v: number) => void;
  (histogram as unknown as { observe: (v: number) => void }).observe = (v: number) => {
    latencies.push(v);
    observe(v);
  };

  const clients = await Promise.all(Array.from({ length: STREAMS }, () => openTaxpayerChat(app)));
  const peak = { total: 0, server: 0, engines: 0 };
  const sample = () => {
    const server = process.memoryUsage().rss;
    const engines = pool.pids().reduce((t, pid) => t + rssOf(pid), 0);
    peak.server = Math.max(peak.server, server);
    peak.engines = Math.max(peak.engines, engines);
    peak.total = Math.max(peak.total, server + engines);
  };
  const sampler = setInterval(sample, 250);
  const before = pool.stats();
  const t0 = performance.now();
  let partials = 0;
  const texts = await Promise.all(
    clients.map(async ({ socket }) => {
      socket.on('speech:result', (r) => {
        if (!r.final) partials += 1;
      });
      const started = await emitAck(socket, 'speech:start', {});
      if (!started.ok) throw new Error(`speech:start refused: ${started.error.code}`);
      const { streamId } = started.data;
      const acks = await streamFrames(socket, streamId, frames, { speed: 1, headStartSeconds: 0 });
      const refused = acks.filter((a) => !a.ok).length;
      if (refused) throw new Error(`${refused} frames refused`);
      const stop = await emitAck(socket, 'speech:stop', { streamId }, 60_000);
      if (!stop.ok) throw new Error(`speech:stop failed: ${stop.error.code}`);
      return stop.data.text;
    }),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  sample();
  clearInterval(sampler);
  const after = pool.stats();
  const processed = after.audioSeconds - before.audioSeconds;
  const busy = after.busySeconds - before.busySeconds;
  const p99 = percentile(latencies, 99);
  const p50 = percentile(latencies, 50);
  for (const c of clients) c.socket.disconnect();
  await app.close();

  const result = {
    driver,
    streams: STREAMS,
    audioSeconds: Math.round(processed * 10) / 10,
    realtimeFactor: processed ? Number((busy / processed).toPrecision(3)) : null,
    p99PartialLatencyMs: p99 === null ? null : Math.round(p99 * 1000),
    rssMb: Math.round(peak.total / 1024 / 1024),
    detail: {
      // the server process also holds the embedded database (PGlite) and the rest of the product
      serverRssMb: Math.round(peak.server / 1024 / 1024),
      engineRssMb: Math.round(peak.engines / 1024 / 1024),
      p50PartialLatencyMs: p50 === null ? null : Math.round(p50 * 1000),
      partialResults: partials,
      latencySamples: latencies.length,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      audio: source,
      workers: Number(process.env.SPEECH_WORKERS ?? 1),
      threads: Number(process.env.SPEECH_THREADS ?? 1),
      cpus: os.availableParallelism(),
      sampleText: driver === 'sherpa-onnx' ? texts[0] : undefined,
    },
    ...(driver === 'test'
      ? {
          note: 'The test recogniser (SPEECH_MODEL_DIR unset) is not speech recognition: this measures the pipeline only (sockets, limits, engine processes, back-pressure), not a model. Set SPEECH_MODEL_DIR for sherpa-onnx.',
        }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((err) => {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
