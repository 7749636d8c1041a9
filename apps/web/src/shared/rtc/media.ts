/**
 * The devices a call needs, with the reasons a browser refuses them turned into what a person can act on. The chat
 * always goes on: a failure here only stops the call.
 */
import type { TCallFailureReason } from '@zhengna/contracts';

/** Why the microphone, camera or screen could not be used; `message` is the Chinese text to show. */
export class MediaAccessError extends Error {
  constructor(
    readonly reason: TCallFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'MediaAccessError';
  }
}

export type CallMedia = {
  stream: MediaStream;
  /** Set when the call goes on with less than asked for (no camera: voice only). */
  notice: string | null;
};

const UNSUPPORTED = '当前浏览器不支持音视频通话，请使用新版 Chrome、Edge 或 Firefox 浏览器。';

function deviceError(err: unknown, wantsVideo: boolean): MediaAccessError {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const devices = wantsVideo ? '麦克风和摄像头' : '麦克风';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MediaAccessError(
        'device_denied',
        `您未允许使用${devices}。请点击浏览器地址栏左侧的权限图标，允许后重试；您也可以继续文字咨询。`,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaAccessError('device_missing', `未检测到${devices}，请连接设备后重试；您也可以继续文字咨询。`);
    case 'NotReadableError':
    case 'AbortError':
      return new MediaAccessError('other', `${devices}正被其他程序占用，请关闭占用的程序后重试。`);
    default:
      return new MediaAccessError('other', `无法打开${devices}，请稍后重试；您也可以继续文字咨询。`);
  }
}

/**
 * Microphone (and camera for `video`). A video call without a usable camera goes on as a voice call, with a notice;
 * no microphone at all is an error.
 */
export async function getCallMedia(kind: 'audio' | 'video'): Promise<CallMedia> {
  if (!navigator.mediaDevices?.getUserMedia) throw new MediaAccessError('device_missing', UNSUPPORTED);
  const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  if (kind === 'video') {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio,
        video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } },
      });
      return { stream, notice: null };
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      // a camera that is missing or busy should not cost the taxpayer the call: try the microphone alone
      if (name !== 'NotFoundError' && name !== 'NotReadableError' && name !== 'OverconstrainedError')
        throw deviceError(err, true);
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      return { stream, notice: '未能打开摄像头，本次将以语音方式通话。' };
    } catch (err) {
      throw deviceError(err, false);
    }
  }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio }), notice: null };
  } catch (err) {
    throw deviceError(err, false);
  }
}

/**
 * The screen, window or tab the taxpayer picks. Call it first thing in the click handler (browsers require a user
 * gesture). The picker may never come back (no picker in some environments), so it is bounded by `timeoutMs`.
 */
export function getScreenMedia(timeoutMs = 120_000): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getDisplayMedia)
    return Promise.reject(
      new MediaAccessError('screen_denied', '当前浏览器不支持屏幕共享，请使用新版 Chrome、Edge 或 Firefox 浏览器。'),
    );
  const picked = navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { ideal: 15, max: 30 } },
    audio: false,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MediaAccessError('screen_denied', '未能打开屏幕选择窗口，请刷新页面后重试。')),
      timeoutMs,
    );
  });
  return Promise.race([picked, timeout])
    .catch((err: unknown) => {
      // a late stream after the timeout must not keep the screen captured
      picked.then((s) => stopStream(s)).catch(() => {});
      if (err instanceof MediaAccessError) throw err;
      const name = err instanceof Error ? err.name : '';
      if (name === 'NotAllowedError' || name === 'AbortError')
        throw new MediaAccessError('screen_denied', '您没有选择要共享的屏幕，远程协助未开始。');
      throw new MediaAccessError('screen_denied', '无法共享屏幕，请稍后重试。');
    })
    .finally(() => clearTimeout(timer));
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
