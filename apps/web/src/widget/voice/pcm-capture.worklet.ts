/**
 * The AudioWorklet of voice input (loaded by voice-capture.ts through Vite's `?worker&url`, so it is built as its
 * own same-origin file: the CSP's script-src 'self' covers it). It takes the first input channel at the context's
 * rate and posts 16 kHz Int16 frames `{ pcm, level }` (the ArrayBuffer transferred) to the main thread. A message
 * 'flush' posts what is left of the last frame, then `{ last: true }`.
 *
 * AudioWorkletGlobalScope has no `self` or `window`; TypeScript has no lib for it, hence the declarations below.
 */
import { PcmFramer } from './pcm-framer.ts';

declare const sampleRate: number;
declare function registerProcessor(name: string, processor: new (options: ProcessorOptions) => unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
type ProcessorOptions = { processorOptions?: { targetRate?: number; frameSamples?: number } };

/** The name voice-capture.ts creates the node with. */
const NAME = 'zn-pcm-capture';

class PcmCaptureProcessor extends AudioWorkletProcessor {
  private readonly framer: PcmFramer;

  constructor(options: ProcessorOptions) {
    super();
    const { targetRate = 16_000, frameSamples = 1_600 } = options.processorOptions ?? {};
    this.framer = new PcmFramer(sampleRate, targetRate, frameSamples);
    this.port.onmessage = (event: MessageEvent) => {
      if (event.data !== 'flush') return;
      const rest = this.framer.flush();
      if (rest) this.port.postMessage(rest, [rest.pcm]);
      this.port.postMessage({ last: true });
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel && channel.length > 0)
      for (const frame of this.framer.push(channel)) this.port.postMessage(frame, [frame.pcm]);
    return true;
  }
}

registerProcessor(NAME, PcmCaptureProcessor);
