/**
 * What an engine process runs: one loaded model serving many streams. Engines live only inside engine-host.ts (a child
 * process), so a native crash takes down that process and its streams, never the chat server.
 */
import type { RecognizerEvent } from '../speech.types.ts';

/** The settings an engine process receives (from the server's config, through its environment). */
export type EngineSettings = {
  modelDir: string | undefined;
  threads: number;
  /** Test recogniser only. */
  captureDir: string | undefined;
  /** Test recogniser only: milliseconds of work per 100 ms of audio. */
  delayMs: number;
};

export interface EngineStream {
  /** 16 kHz mono PCM; events for it are emitted before this returns (or resolves). */
  accept(pcm: Int16Array): void | Promise<void>;
  /** No more audio: emit a final for any words still pending. */
  finish(): void | Promise<void>;
  /** Releases the stream's native resources. */
  close(): void;
}

export interface Engine {
  open(id: string, emit: (event: RecognizerEvent) => void): EngineStream;
}

export type EngineName = 'sherpa-onnx' | 'test';
export type CreateEngine = (settings: EngineSettings, log: (message: string) => void) => Promise<Engine>;
