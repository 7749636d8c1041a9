/**
 * The one interface every speech-recognition driver implements (sherpa-onnx on the bureau's own machines, a cloud
 * ASR API, the test recogniser). The speech service owns limits, isolation and normalisation; a driver only turns
 * 16 kHz mono 16-bit PCM into raw text.
 */

/**
 * What a driver reports for one stream. Text is raw (the service normalises it). `audioMs`, where a driver knows it, is
 * how much of the stream's audio (from its start) the engine had taken when it produced the result; the service uses
 * it to time results against the arrival of that audio (the latency metric).
 */
export type RecognizerEvent =
  /** The current guess for the words being spoken; replaces the previous partial. */
  | { type: 'partial'; text: string; audioMs?: number }
  /** The words up to a pause, settled; the next partial starts a new segment. */
  | { type: 'final'; text: string; audioMs?: number }
  /** The stream cannot go on (engine crashed, cloud refused); no more events follow. */
  | { type: 'error'; message: string };

export interface RecognitionStream {
  /**
   * Queues 16 kHz mono PCM. Resolves once the driver has taken it; it resolves late while the driver is behind
   * (back-pressure), so the caller waits before taking more audio from the client.
   */
  push(pcm: Int16Array): Promise<void>;
  /** No more audio: resolves after the last events (a `final` for any words still pending) have been emitted. */
  finish(): Promise<void>;
  /** Drops the stream at once; no further events. */
  abort(): void;
}

export interface SpeechRecognizer {
  /** `sherpa-onnx`, `tencent`, `test` … (told to the client in speech:start's ack). */
  readonly driver: string;
  /**
   * Opens a stream. `id` names it in logs and (test recogniser only) its capture file. Rejects when the driver cannot
   * take another stream.
   */
  open(id: string, onEvent: (event: RecognizerEvent) => void): Promise<RecognitionStream>;
  /** Whether the driver can serve (model loaded, engine processes up); /readyz may report it. */
  ready(): boolean;
  close(): Promise<void>;
}
