/**
 * Positions on the taxpayer's shared screen. The picture is drawn with `object-fit: contain`, so a video element wider
 * or taller than the picture has bars; the agent's pointer is sent as fractions of the picture itself (what the
 * taxpayer sees), never of the element.
 */

export type Size = { width: number; height: number };
export type Box = { left: number; top: number; width: number; height: number };
export type Fraction = { x: number; y: number };

/** The picture's box inside an element of `element` size showing a `video` of intrinsic size (object-fit: contain). */
export function containedPicture(element: Size, video: Size | null): Box {
  if (!video || video.width <= 0 || video.height <= 0 || element.width <= 0 || element.height <= 0)
    return { left: 0, top: 0, width: element.width, height: element.height };
  const scale = Math.min(element.width / video.width, element.height / video.height);
  const width = video.width * scale;
  const height = video.height * scale;
  return { left: (element.width - width) / 2, top: (element.height - height) / 2, width, height };
}

// four decimals: a tenth of a pixel on a 4K screen, and short messages on the data channel
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * A point given in the element's coordinates → fractions of the picture; null over the bars or outside, where the
 * taxpayer's screen has no such point.
 */
export function toPictureFraction(point: { x: number; y: number }, picture: Box): Fraction | null {
  if (picture.width <= 0 || picture.height <= 0) return null;
  const x = (point.x - picture.left) / picture.width;
  const y = (point.y - picture.top) / picture.height;
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return null;
  return { x: round(x), y: round(y) };
}

/** A mouse position (clientX/clientY) over a video element → fractions of its picture. */
export function pointerFraction(
  client: { clientX: number; clientY: number },
  rect: { left: number; top: number; width: number; height: number },
  video: Size | null,
): Fraction | null {
  const picture = containedPicture({ width: rect.width, height: rect.height }, video);
  return toPictureFraction({ x: client.clientX - rect.left, y: client.clientY - rect.top }, picture);
}

/** Fractions of the picture → a position in the element's coordinates (to draw a mark). */
export function fromPictureFraction(f: Fraction, picture: Box): { left: number; top: number } {
  return { left: picture.left + f.x * picture.width, top: picture.top + f.y * picture.height };
}

/** Moves a keyboard pointer by a step, staying on the picture. */
export function nudge(f: Fraction, dx: number, dy: number): Fraction {
  const clamp = (n: number) => round(Math.min(1, Math.max(0, n)));
  return { x: clamp(f.x + dx), y: clamp(f.y + dy) };
}

export type Throttled<T> = ((value: T) => void) & { cancel: () => void };

/**
 * At most one call per `intervalMs`: the first at once, the latest of a burst at the end of the interval (so the
 * pointer rests where the mouse stopped).
 */
export function throttle<T>(fn: (value: T) => void, intervalMs: number): Throttled<T> {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | null = null;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = Date.now();
    fn(value);
  };
  const throttled = (value: T) => {
    const wait = last + intervalMs - Date.now();
    if (wait <= 0 && timer === undefined) {
      last = Date.now();
      fn(value);
      return;
    }
    pending = { value };
    timer ??= setTimeout(flush, Math.max(0, wait));
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = null;
  };
  return throttled;
}
