/** Which files of a released sherpa-onnx model folder the engine loads, and the checks before onnxruntime sees them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSherpaModel, resolveSherpaModel } from './sherpa-onnx.engine.ts';

// the folders as their release archives unpack (sherpa-onnx asr-models)
const RELEASED = {
  'sherpa-onnx-streaming-zipformer-zh-14M-2023-02-23': [
    'README.md',
    'decoder-epoch-99-avg-1.int8.onnx',
    'decoder-epoch-99-avg-1.onnx',
    'encoder-epoch-99-avg-1.int8.onnx',
    'encoder-epoch-99-avg-1.onnx',
    'joiner-epoch-99-avg-1.int8.onnx',
    'joiner-epoch-99-avg-1.onnx',
    'test_wavs',
    'tokens.txt',
  ],
  'sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20': [
    'README.md',
    'bpe.model',
    'decoder-epoch-99-avg-1.int8.onnx',
    'decoder-epoch-99-avg-1.onnx',
    'encoder-epoch-99-avg-1.int8.onnx',
    'encoder-epoch-99-avg-1.onnx',
    'joiner-epoch-99-avg-1.int8.onnx',
    'joiner-epoch-99-avg-1.onnx',
    'test_wavs',
    'tokens.txt',
  ],
  'sherpa-onnx-streaming-paraformer-bilingual-zh-en': [
    'README.md',
    'decoder.int8.onnx',
    'decoder.onnx',
    'encoder.int8.onnx',
    'encoder.onnx',
    'test_wavs',
    'tokens.txt',
  ],
  'sherpa-onnx-streaming-zipformer-ctc-zh-int8-2025-06-30': ['README.md', 'model.int8.onnx', 'test_wavs', 'tokens.txt'],
  'sherpa-onnx-streaming-zipformer-ctc-multi-zh-hans-2023-12-13': [
    'README.md',
    'bpe.model',
    'ctc-epoch-20-avg-1-chunk-16-left-128.int8.onnx',
    'ctc-epoch-20-avg-1-chunk-16-left-128.onnx',
    'test_wavs',
    'tokens.txt',
  ],
};

describe('findSherpaModel', () => {
  it('zipformer transducers: int8 encoder and joiner, the fp32 decoder', () => {
    for (const name of [
      'sherpa-onnx-streaming-zipformer-zh-14M-2023-02-23',
      'sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20',
    ] as const) {
      expect(findSherpaModel(RELEASED[name])).toEqual({
        kind: 'transducer',
        encoder: 'encoder-epoch-99-avg-1.int8.onnx',
        decoder: 'decoder-epoch-99-avg-1.onnx',
        joiner: 'joiner-epoch-99-avg-1.int8.onnx',
        tokens: 'tokens.txt',
      });
    }
  });

  it('a folder trimmed to the int8 files (as many deployments ship it) still loads', () => {
    expect(
      findSherpaModel([
        'encoder-epoch-99-avg-1.int8.onnx',
        'decoder-epoch-99-avg-1.int8.onnx',
        'joiner-epoch-99-avg-1.int8.onnx',
        'tokens.txt',
      ]),
    ).toMatchObject({ kind: 'transducer', decoder: 'decoder-epoch-99-avg-1.int8.onnx' });
  });

  it('the streaming paraformer: int8 encoder and decoder', () => {
    expect(findSherpaModel(RELEASED['sherpa-onnx-streaming-paraformer-bilingual-zh-en'])).toEqual({
      kind: 'paraformer',
      encoder: 'encoder.int8.onnx',
      decoder: 'decoder.int8.onnx',
      tokens: 'tokens.txt',
    });
  });

  it('zipformer2 CTC: the one model file, int8 when there is one', () => {
    expect(findSherpaModel(RELEASED['sherpa-onnx-streaming-zipformer-ctc-zh-int8-2025-06-30'])).toEqual({
      kind: 'zipformer2-ctc',
      model: 'model.int8.onnx',
      tokens: 'tokens.txt',
    });
    expect(findSherpaModel(RELEASED['sherpa-onnx-streaming-zipformer-ctc-multi-zh-hans-2023-12-13'])).toEqual({
      kind: 'zipformer2-ctc',
      model: 'ctc-epoch-20-avg-1-chunk-16-left-128.int8.onnx',
      tokens: 'tokens.txt',
    });
  });

  it('several exports in one folder: the parts of the same export go together', () => {
    expect(
      findSherpaModel([
        'encoder-chunk-16.onnx',
        'encoder-chunk-32.int8.onnx',
        'decoder-chunk-32.onnx',
        'joiner-chunk-32.int8.onnx',
        'tokens.txt',
      ]),
    ).toEqual({
      kind: 'transducer',
      encoder: 'encoder-chunk-32.int8.onnx',
      decoder: 'decoder-chunk-32.onnx',
      joiner: 'joiner-chunk-32.int8.onnx',
      tokens: 'tokens.txt',
    });
  });

  it('says what is missing', () => {
    expect(() => findSherpaModel(['encoder.onnx', 'decoder.onnx'])).toThrow(/no tokens\.txt/);
    expect(() => findSherpaModel(['encoder.onnx', 'tokens.txt'])).toThrow(/no decoder/);
    expect(() => findSherpaModel(['README.md', 'tokens.txt'])).toThrow(/no \*\.onnx model/);
    expect(() => findSherpaModel([])).toThrow(/found: nothing/);
  });
});

describe('resolveSherpaModel', () => {
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zn-model-'));
    for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
    return dir;
  };

  it('absolute paths of files that exist and are not empty', () => {
    const dir = folder({ 'model.int8.onnx': 'x', 'tokens.txt': 'a 0\n' });
    expect(resolveSherpaModel(dir)).toEqual({
      kind: 'zipformer2-ctc',
      model: path.join(dir, 'model.int8.onnx'),
      tokens: path.join(dir, 'tokens.txt'),
    });
  });

  it('an empty file (an interrupted download) is refused before onnxruntime sees it', () => {
    const dir = folder({ 'model.int8.onnx': '', 'tokens.txt': 'a 0\n' });
    expect(() => resolveSherpaModel(dir)).toThrow(/model\.int8\.onnx is empty/);
  });

  it('a missing folder is named', () => {
    expect(() => resolveSherpaModel('/nonexistent/model')).toThrow(
      /SPEECH_MODEL_DIR \/nonexistent\/model cannot be read/,
    );
  });
});
