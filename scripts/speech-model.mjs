#!/usr/bin/env node
/**
 * npm run speech:model — installs the speech recognition model for SPEECH_DRIVER=sherpa-onnx.
 *
 *   npm run speech:model                                   download, verify, unpack into ./models/<name>
 *   npm run speech:model -- --dir /srv/zhengna/model       …into that folder (or SPEECH_MODEL_DIR)
 *   npm run speech:model -- --archive ./<name>.tar.bz2     offline: verify and unpack an archive copied here
 *   npm run speech:model -- --model <name> --sha256 <hex>  another model of the same release, checked against <hex>
 *   --mirror <url>  a mirror of the release folder (or SPEECH_MODEL_MIRROR); the checksum is checked all the same
 *   --force  replace an existing folder    --timeout <s>  give up when the server does not answer (default 20)
 *
 * The model: sherpa-onnx-streaming-zipformer-zh-14M-2023-02-23, from the sherpa-onnx release "asr-models".
 * Why this one: taxpayers dictate Mandarin, and this is a streaming (real-time, partial results while speaking)
 * zipformer transducer trained on WenetSpeech (10,000 h of varied Mandarin), with only ~14M parameters and int8
 * encoder/joiner — it keeps up with real time on one CPU thread per engine process and leaves room for many
 * simultaneous dictations. The bilingual zh-en zipformer is several times larger and slower for English words
 * taxpayers rarely say; a bureau that wants more accuracy can take a larger model with --model (the engine also loads
 * streaming paraformer and zipformer CTC folders).
 *
 * The archive's SHA-256 is pinned below. It is not published by k2-fsa next to the release; the value is the one that
 * several independent public projects pin for this exact archive (74,004,050 bytes). A mismatch stops the install.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const RELEASE = 'https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models';
const RECOMMENDED = 'sherpa-onnx-streaming-zipformer-zh-14M-2023-02-23';
/** Archives whose digest is pinned: name → [sha256, bytes]. */
const PINNED = {
  [RECOMMENDED]: ['2cbd71b640d9c37d3784f29367333a4577b0398b62e9deeed418170b081cba8b', 74_004_050],
};
/** The files the sherpa-onnx engine loads from the recommended model. */
const REQUIRED = {
  [RECOMMENDED]: [
    'tokens.txt',
    'encoder-epoch-99-avg-1.int8.onnx',
    'decoder-epoch-99-avg-1.onnx',
    'joiner-epoch-99-avg-1.int8.onnx',
  ],
};
/** After this long without a byte the download is given up. */
const STALL_MS = 60_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Why a fetch failed, in words. */
function describe(err) {
  const code = err.cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name could not be resolved (${code})`;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH')
    return `no connection (${code})`;
  return err.cause?.message ?? err.message;
}

/** Stops the install: the message is printed, the process exits with `code` after cleaning up. */
class Failure extends Error {
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}
function fail(message, code = 1) {
  throw new Failure(message, code);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        dir: { type: 'string' },
        model: { type: 'string' },
        archive: { type: 'string' },
        sha256: { type: 'string' },
        timeout: { type: 'string' },
        mirror: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    fail(`${err.message} (see --help)`);
  }
  if (args.help) {
    const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0];
    console.log(head.replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
    process.exit(0);
  }

  const name = args.model ?? RECOMMENDED;
  if (!/^[\w.-]+$/.test(name)) fail(`not a model name: ${name}`);
  const base = (args.mirror ?? process.env.SPEECH_MODEL_MIRROR ?? RELEASE).replace(/\/+$/, '');
  const url = `${base}/${name}.tar.bz2`;
  const target = path.resolve(args.dir ?? process.env.SPEECH_MODEL_DIR ?? path.join(root, 'models', name));
  const wanted = (args.sha256 ?? process.env.SPEECH_MODEL_SHA256 ?? PINNED[name]?.[0])?.toLowerCase();
  if (wanted && !/^[0-9a-f]{64}$/.test(wanted)) fail('--sha256 / SPEECH_MODEL_SHA256 must be 64 hex digits');
  const timeoutMs = Number(args.timeout ?? 20) * 1000;
  if (!(timeoutMs > 0)) fail('--timeout must be a number of seconds');

  /** What is missing from a model folder ([] when it is complete). */
  function missingFiles(dir) {
    if (!existsSync(dir)) return ['(the folder)'];
    const files = readdirSync(dir);
    if (REQUIRED[name]) return REQUIRED[name].filter((f) => !files.includes(f));
    const missing = [];
    if (!files.includes('tokens.txt')) missing.push('tokens.txt');
    if (!files.some((f) => f.endsWith('.onnx'))) missing.push('*.onnx');
    return missing;
  }

  function done(dir) {
    console.log(
      `\nspeech:model: ${name} is ready. Set on every node (SPEECH_DRIVER defaults to sherpa-onnx with it):\n`,
    );
    console.log(`SPEECH_MODEL_DIR=${dir}`);
    process.exit(0);
  }

  function offlineHelp() {
    const pin = PINNED[name]?.[0];
    return [
      '',
      'This machine cannot download the model. Install it offline (README.md, "语音输入 / Voice input", Offline installation):',
      `  1. on a machine with internet, download ${RELEASE}/${name}.tar.bz2`,
      `  2. check it: sha256sum ${name}.tar.bz2${pin ? `  → must print ${pin}` : ''}`,
      `  3. copy it to this machine and run: npm run speech:model -- --archive /path/to/${name}.tar.bz2`,
    ].join('\n');
  }

  if (!args.force && existsSync(target) && readdirSync(target).length > 0) {
    if (missingFiles(target).length === 0) {
      console.log(`speech:model: ${target} already holds ${name} (--force to install again).`);
      done(target);
    }
    fail(
      `${target} exists and is not a complete model (missing ${missingFiles(target).join(', ')}); use --force to replace it`,
    );
  }

  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });

  /** Downloads the archive next to the target; resolves with its path. */
  async function download() {
    const file = path.join(parent, `.${name}.tar.bz2.partial`);
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
    console.log(`speech:model: downloading ${url}`);
    try {
      const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const total = Number(res.headers.get('content-length')) || 0;
      let received = 0;
      let shown = 0;
      const progress = new Transform({
        transform(chunk, _enc, callback) {
          clearTimeout(timer);
          timer = setTimeout(() => controller.abort(new Error(`stalled for ${STALL_MS / 1000} s`)), STALL_MS);
          received += chunk.length;
          const pct = total ? Math.floor((received / total) * 10) * 10 : 0;
          if (pct > shown) {
            shown = pct;
            process.stderr.write(`  ${pct}% (${(received / 1e6).toFixed(1)} MB)\n`);
          }
          callback(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body), progress, createWriteStream(file));
      return file;
    } catch (err) {
      rmSync(file, { force: true });
      const reason = controller.signal.aborted ? controller.signal.reason?.message : describe(err);
      fail(`could not download ${url}: ${reason}${offlineHelp()}`, 2);
    } finally {
      clearTimeout(timer);
    }
  }

  async function sha256Of(file) {
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    return hash.digest('hex');
  }

  const archive = args.archive ? path.resolve(args.archive) : await download();
  if (!existsSync(archive)) fail(`no archive at ${archive}`);

  const size = statSync(archive).size;
  const digest = await sha256Of(archive);
  console.log(`speech:model: SHA-256 ${digest} (${size} bytes)`);
  if (wanted) {
    if (digest !== wanted) {
      if (!args.archive) rmSync(archive, { force: true });
      fail(
        `SHA-256 mismatch: expected ${wanted}. The archive is damaged or not the published ${name}; nothing installed.`,
      );
    }
    const pinnedSize = !args.sha256 && !process.env.SPEECH_MODEL_SHA256 ? PINNED[name]?.[1] : undefined;
    if (pinnedSize && size !== pinnedSize)
      fail(`size ${size} is not the published ${pinnedSize} bytes; nothing installed.`);
    console.log('speech:model: checksum verified.');
  } else {
    console.warn(
      `speech:model: WARNING: ${name} has no pinned checksum and none was given (--sha256 / SPEECH_MODEL_SHA256): the archive was NOT verified. Compare the SHA-256 above with a trusted source.`,
    );
  }

  // unpack beside the target, check, then move into place
  const work = mkdtempSync(path.join(parent, `.${name}-`));
  try {
    const tar = spawnSync('tar', ['xjf', archive, '-C', work], {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    });
    if (tar.error) fail(`cannot run tar (${tar.error.message}); install tar and bzip2`);
    if (tar.status !== 0)
      fail(`tar could not unpack ${archive}: ${tar.stderr.trim() || `exit ${tar.status}`} (is bzip2 installed?)`);
    const entries = readdirSync(work);
    const unpacked = entries.includes(name)
      ? path.join(work, name)
      : entries.length === 1
        ? path.join(work, entries[0])
        : work;
    const missing = missingFiles(unpacked);
    if (missing.length) fail(`the archive lacks ${missing.join(', ')}; nothing installed.`);
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!args.archive) rmSync(archive, { force: true });
  }
  done(target);
}

try {
  await main();
} catch (err) {
  if (!(err instanceof Failure)) throw err;
  console.error(`speech:model: ${err.message}`);
  process.exit(err.code);
}
