/**
 * The microphone for voice input: getUserMedia with the browser's voice processing off (the recogniser wants the raw
 * signal) → an AudioContext at 16 kHz where the browser allows it (otherwise its own rate, and the worklet resamples)
 * → the PCM worklet, which posts 100 ms frames. The reasons a browser refuses become Chinese a taxpayer can act on.
 */
import { SPEECH_AUDIO } from '@zhengna/contracts';
import workletUrl from './pcm-capture.worklet.ts?worker&url';
import type { PcmFrame } from './pcm-framer.ts';

/** Why the microphone could not be used; `message` is the Chinese text to show. */
export class VoiceCaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceCaptureError';
  }
}

export const CAPTURE_MESSAGES = {
  denied:
    '无法使用麦克风：麦克风权限被拒绝。请在浏览器地址栏左侧的网站设置中允许使用麦克风，然后重试；也可以直接输入文字。',
  missing: '没有检测到麦克风，请连接麦克风后重试，或直接输入文字。',
  busy: '麦克风正被其他程序占用，请关闭占用麦克风的程序后重试。',
  insecure: '当前页面无法使用麦克风（需要通过 HTTPS 访问），请直接输入文字。',
  timeout: '麦克风没有响应，请检查麦克风连接和浏览器的麦克风权限后重试，或直接输入文字。',
  audio: '无法启动录音，请刷新页面后重试，或直接输入文字。',
} as const;

/** A running capture. `stop` releases the microphone at once and resolves once the last frame has been delivered. */
export interface AudioCapture {
  stop(): Promise<void>;
}

export type StartCapture = (onFrame: (frame: PcmFrame) => void, onLost: () => void) => Promise<AudioCapture>;

/** getUserMedia can wait forever when no device answers; a permission prompt is given this long. */
const OPEN_TIMEOUT_MS = 30_000;
/** The worklet's last frame comes within a render quantum or two; this bounds a context that no longer runs. */
const FLUSH_TIMEOUT_MS = 300;

export function captureError(err: unknown): VoiceCaptureError {
  if (err instanceof VoiceCaptureError) return err;
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new VoiceCaptureError(CAPTURE_MESSAGES.denied);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new VoiceCaptureError(CAPTURE_MESSAGES.missing);
    case 'NotReadableError':
    case 'AbortError':
      return new VoiceCaptureError(CAPTURE_MESSAGES.busy);
    default:
      return new VoiceCaptureError(CAPTURE_MESSAGES.audio);
  }
}

async function openMicrophone(): Promise<MediaStream> {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices?.getUserMedia) throw new VoiceCaptureError(CAPTURE_MESSAGES.insecure);
  const opening = devices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VoiceCaptureError(CAPTURE_MESSAGES.timeout)), OPEN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([opening, timeout]);
  } catch (err) {
    // a microphone that answers after the timeout must not stay open
    opening.then(stopTracks, () => {});
    throw captureError(err);
  } finally {
    clearTimeout(timer);
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

type Graph = { context: AudioContext; node: AudioWorkletNode; source: MediaStreamAudioSourceNode };

/** The context and its nodes at `sampleRate` (undefined: the device's own rate). */
async function connect(stream: MediaStream, sampleRate: number | undefined): Promise<Graph> {
  const context = sampleRate ? new AudioContext({ sampleRate }) : new AudioContext();
  try {
    await context.audioWorklet.addModule(workletUrl);
    // Firefox cannot connect a microphone to a context at another rate: this throws, and the caller falls back
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'zn-pcm-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions: { targetRate: SPEECH_AUDIO.sampleRate, frameSamples: SPEECH_AUDIO.frameSamples },
    });
    source.connect(node);
    // the worklet writes nothing to its output; being connected keeps it rendered in every browser
    node.connect(context.destination);
    // created after an await, a context may start suspended; the press of 语音 allows it to run
    if (context.state !== 'running') await Promise.race([context.resume(), new Promise((r) => setTimeout(r, 1000))]);
    return { context, node, source };
  } catch (err) {
    void context.close().catch(() => {});
    throw err;
  }
}

/** Opens the microphone and starts delivering frames; throws a {@link VoiceCaptureError}. */
export const startCapture: StartCapture = async (onFrame, onLost) => {
  const stream = await openMicrophone();
  let graph: Graph;
  try {
    graph = await connect(stream, SPEECH_AUDIO.sampleRate).catch(() => connect(stream, undefined));
  } catch (err) {
    stopTracks(stream);
    throw captureError(err);
  }
  const { context, node, source } = graph;
  let flushed: (() => void) | null = null;
  let stopped = false;
  node.port.onmessage = (event: MessageEvent<PcmFrame | { last: true }>) => {
    const data = event.data;
    if ('pcm' in data) onFrame(data);
    else if (data.last) flushed?.();
  };
  const track = stream.getAudioTracks()[0];
  // unplugged, or taken away by the system
  track?.addEventListener('ended', () => {
    if (!stopped) onLost();
  });

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // the microphone goes first: the taxpayer sees the browser's recording indicator go out at once
      stopTracks(stream);
      source.disconnect();
      await new Promise<void>((resolve) => {
        flushed = resolve;
        setTimeout(resolve, FLUSH_TIMEOUT_MS);
        node.port.postMessage('flush');
      });
      node.port.onmessage = null;
      node.disconnect();
      await context.close().catch(() => {});
    },
  };
};
