/**
 * sherpa-onnx streaming recognition (Next-gen Kaldi, onnxruntime on the CPU): the bureau's own machines, no cloud. Runs
 * only inside an engine process: onnxruntime aborts the whole process on a corrupt model, and decoding is CPU-bound.
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CreateEngine, EngineStream } from './engine.ts';

export type SherpaModel =
  | { kind: 'transducer'; encoder: string; decoder: string; joiner: string; tokens: string }
  | { kind: 'paraformer'; encoder: string; decoder: string; tokens: string }
  | { kind: 'zipformer2-ctc'; model: string; tokens: string };

const ROLE = /^(encoder|decoder|joiner)/;
const isInt8 = (f: string) => f.endsWith('.int8.onnx');
/** `encoder-epoch-99-avg-1.int8.onnx` → `-epoch-99-avg-1`: the parts of one export share it. */
const stem = (f: string) => f.replace(ROLE, '').replace(/(\.int8)?\.onnx$/, '');

/** Of the variants of one file, the int8 one (a third of the size and faster) or the fp32 one. */
function pick(files: string[], preferInt8: boolean): string | undefined {
  const sorted = [...files].sort();
  return sorted.find((f) => isInt8(f) === preferInt8) ?? sorted[0];
}

/**
 * Which files of a released sherpa-onnx model folder to load, from their names (the folder's top-level entries).
 * Throws a readable error when the folder holds no streaming model it knows.
 *
 * @example
 * findSherpaModel(['encoder-epoch-99-avg-1.int8.onnx', 'decoder-epoch-99-avg-1.onnx', 'joiner-epoch-99-avg-1.int8.onnx', 'tokens.txt'])
 * // → { kind: 'transducer', encoder: 'encoder-epoch-99-avg-1.int8.onnx', … }
 */
export function findSherpaModel(files: string[]): SherpaModel {
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  if (!files.includes('tokens.txt')) {
    throw new Error(`no tokens.txt among the model files (found: ${files.join(', ') || 'nothing'})`);
  }
  const byRole = (role: string) => onnx.filter((f) => f.startsWith(role));
  const encoders = byRole('encoder');
  if (encoders.length) {
    const decoders = byRole('decoder');
    if (!decoders.length) throw new Error(`an encoder but no decoder*.onnx among the model files`);
    const joiners = byRole('joiner');
    // an export's files share a stem; a folder may hold several exports (chunk sizes)
    const stems = [...new Set(encoders.map(stem))].sort();
    const s =
      stems.find(
        (x) => decoders.some((f) => stem(f) === x) && (!joiners.length || joiners.some((f) => stem(f) === x)),
      ) ?? stems[0];
    const same = (list: string[]) => {
      const matching = list.filter((f) => stem(f) === s);
      return matching.length ? matching : list;
    };
    const encoder = pick(same(encoders), true) as string;
    if (joiners.length) {
      return {
        kind: 'transducer',
        encoder,
        // the transducer's decoder is tiny, and its int8 export costs accuracy (sherpa-onnx's own examples pair int8
        // encoder and joiner with the fp32 decoder)
        decoder: pick(same(decoders), false) as string,
        joiner: pick(same(joiners), true) as string,
        tokens: 'tokens.txt',
      };
    }
    // the paraformer's decoder is large (218 MB fp32, 68 MB int8)
    return { kind: 'paraformer', encoder, decoder: pick(same(decoders), true) as string, tokens: 'tokens.txt' };
  }
  const models = onnx.filter((f) => !ROLE.test(f));
  if (models.length) return { kind: 'zipformer2-ctc', model: pick(models, true) as string, tokens: 'tokens.txt' };
  throw new Error(`no *.onnx model among the model files (found: ${files.join(', ') || 'nothing'})`);
}

/** The model's files as absolute paths, each checked to exist and to be non-empty (before onnxruntime sees it). */
export function resolveSherpaModel(dir: string): SherpaModel {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new Error(`SPEECH_MODEL_DIR ${dir} cannot be read (missing or not a folder)`);
  }
  let model: SherpaModel;
  try {
    model = findSherpaModel(files);
  } catch (err) {
    throw new Error(`SPEECH_MODEL_DIR ${dir}: ${(err as Error).message}`);
  }
  const resolved = Object.fromEntries(
    Object.entries(model).map(([k, v]) => (k === 'kind' ? [k, v] : [k, path.join(dir, v)])),
  ) as SherpaModel;
  for (const [k, v] of Object.entries(resolved)) {
    if (k === 'kind') continue;
    const size = (() => {
      try {
        return statSync(v).size;
      } catch {
        return -1;
      }
    })();
    if (size <= 0) throw new Error(`speech model file ${v} is ${size < 0 ? 'missing' : 'empty'}`);
  }
  return resolved;
}

// sherpa-onnx-node ships no type declarations: the part used here
type OnlineStream = {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
};
type OnlineRecognizer = {
  createStream(): OnlineStream;
  isReady(s: OnlineStream): boolean;
  decode(s: OnlineStream): void;
  isEndpoint(s: OnlineStream): boolean;
  reset(s: OnlineStream): void;
  getResult(s: OnlineStream): { text: string };
};
type SherpaModule = { OnlineRecognizer: new (config: unknown) => OnlineRecognizer };

const SAMPLE_RATE = 16_000;
/** Silence fed at the end so the model sees past the last word (its right context). */
const TAIL_PADDING_SECONDS = 0.5;

function modelConfig(m: SherpaModel) {
  switch (m.kind) {
    case 'transducer':
      return { transducer: { encoder: m.encoder, decoder: m.decoder, joiner: m.joiner } };
    case 'paraformer':
      return { paraformer: { encoder: m.encoder, decoder: m.decoder } };
    case 'zipformer2-ctc':
      return { zipformer2Ctc: { model: m.model } };
  }
}

export const createEngine: CreateEngine = async (settings, log) => {
  if (!settings.modelDir) throw new Error('SPEECH_MODEL_DIR is not set');
  const model = resolveSherpaModel(settings.modelDir);
  log(`loading sherpa-onnx ${model.kind} model from ${settings.modelDir}`);
  const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaModule;
  const recognizer = new sherpa.OnlineRecognizer({
    featConfig: { sampleRate: SAMPLE_RATE, featureDim: 80 },
    modelConfig: {
      ...modelConfig(model),
      tokens: model.tokens,
      numThreads: settings.threads,
      provider: 'cpu',
      debug: 0,
    },
    decodingMethod: 'greedy_search',
    enableEndpoint: 1,
    // a pause ends a segment: 2.4 s before anything was said, 0.8 s after words; a 20 s segment ends anyway
    rule1MinTrailingSilence: 2.4,
    rule2MinTrailingSilence: 0.8,
    rule3MinUtteranceLength: 20,
  });

  return {
    open(_id, emit): EngineStream {
      const stream = recognizer.createStream();
      let shown = '';
      const decode = () => {
        while (recognizer.isReady(stream)) recognizer.decode(stream);
      };
      const text = () => recognizer.getResult(stream).text.trim();
      return {
        accept(pcm) {
          const samples = new Float32Array(pcm.length);
          for (let i = 0; i < pcm.length; i++) samples[i] = (pcm[i] as number) / 32768;
          stream.acceptWaveform({ samples, sampleRate: SAMPLE_RATE });
          decode();
          let now = text();
          if (recognizer.isEndpoint(stream)) {
            if (model.kind === 'paraformer') {
              // the streaming paraformer needs silence after the last word to emit it (sherpa-onnx's own examples)
              stream.acceptWaveform({ samples: new Float32Array(SAMPLE_RATE * 0.4), sampleRate: SAMPLE_RATE });
              decode();
              now = text();
            }
            if (now) emit({ type: 'final', text: now });
            recognizer.reset(stream);
            shown = '';
          } else if (now !== shown) {
            shown = now;
            emit({ type: 'partial', text: now });
          }
        },
        finish() {
          stream.acceptWaveform({
            samples: new Float32Array(SAMPLE_RATE * TAIL_PADDING_SECONDS),
            sampleRate: SAMPLE_RATE,
          });
          stream.inputFinished();
          decode();
          const last = text();
          if (last) emit({ type: 'final', text: last });
        },
        close() {
          // the native stream is freed with its JavaScript object
        },
      };
    },
  };
};
