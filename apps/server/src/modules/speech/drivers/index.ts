/**
 * The recogniser the configuration asks for: none (voice input off), sherpa-onnx on this machine, Tencent Cloud ASR,
 * or the test recogniser. The engines run in child processes (engine-pool.ts); the cloud driver talks to its API.
 */
import type { Logger } from 'pino';
import type { Config } from '../../../config.ts';
import { createEnginePool } from '../engine-pool.ts';
import type { SpeechRecognizer } from '../speech.types.ts';
import { createTencentAsrRecognizer } from './tencent-asr.ts';

type SpeechConfig = Pick<
  Config,
  | 'SPEECH_DRIVER'
  | 'SPEECH_MODEL_DIR'
  | 'SPEECH_WORKERS'
  | 'SPEECH_THREADS'
  | 'SPEECH_TEST_CAPTURE_DIR'
  | 'SPEECH_TEST_DELAY_MS'
  | 'SPEECH_TENCENT_APP_ID'
  | 'SPEECH_TENCENT_SECRET_ID'
  | 'SPEECH_TENCENT_SECRET_KEY'
  | 'SPEECH_TENCENT_ENGINE'
  | 'SPEECH_TENCENT_ENDPOINT'
>;

export function createSpeechRecognizer(config: SpeechConfig, deps: { logger: Logger }): SpeechRecognizer | null {
  switch (config.SPEECH_DRIVER) {
    case 'none':
      return null;
    case 'tencent':
      return createTencentAsrRecognizer(
        {
          appId: config.SPEECH_TENCENT_APP_ID,
          secretId: config.SPEECH_TENCENT_SECRET_ID,
          secretKey: config.SPEECH_TENCENT_SECRET_KEY,
          engineModelType: config.SPEECH_TENCENT_ENGINE,
          endpoint: config.SPEECH_TENCENT_ENDPOINT,
        },
        deps,
      );
    case 'test':
    case 'sherpa-onnx':
      if (config.SPEECH_DRIVER === 'test') {
        deps.logger.warn(
          'SPEECH_DRIVER=test: voice input uses the TEST recogniser, which is not speech recognition (tests only)',
        );
      }
      return createEnginePool({
        engine: config.SPEECH_DRIVER,
        workers: config.SPEECH_WORKERS,
        logger: deps.logger,
        settings: {
          modelDir: config.SPEECH_MODEL_DIR,
          threads: config.SPEECH_THREADS,
          captureDir: config.SPEECH_DRIVER === 'test' ? config.SPEECH_TEST_CAPTURE_DIR : undefined,
          delayMs: config.SPEECH_DRIVER === 'test' ? config.SPEECH_TEST_DELAY_MS : 0,
        },
      });
  }
}
