import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { containedPicture, fromPictureFraction, nudge, pointerFraction, throttle } from './screen-geometry.ts';

describe('pointer on the shared screen', () => {
  it('maps a 16:9 screen in a wider element past the side bars', () => {
    // 1000×450 element, 1920×1080 picture → 800×450 picture with 100 px bars left and right
    const picture = containedPicture({ width: 1000, height: 450 }, { width: 1920, height: 1080 });
    expect(picture).toEqual({ left: 100, top: 0, width: 800, height: 450 });
    const rect = { left: 20, top: 50, width: 1000, height: 450 };
    expect(pointerFraction({ clientX: 20 + 100, clientY: 50 }, rect, { width: 1920, height: 1080 })).toEqual({
      x: 0,
      y: 0,
    });
    expect(pointerFraction({ clientX: 20 + 500, clientY: 50 + 225 }, rect, { width: 1920, height: 1080 })).toEqual({
      x: 0.5,
      y: 0.5,
    });
    expect(pointerFraction({ clientX: 20 + 900, clientY: 50 + 450 }, rect, { width: 1920, height: 1080 })).toEqual({
      x: 1,
      y: 1,
    });
  });

  it('maps a 4:3 screen in a wide element and a 16:9 one in a tall element (bars above and below)', () => {
    const tall = { left: 0, top: 0, width: 400, height: 600 };
    // 1600×900 in 400×600 → 400×225 picture, 187.5 px bars above and below
    expect(pointerFraction({ clientX: 100, clientY: 187.5 + 45 }, tall, { width: 1600, height: 900 })).toEqual({
      x: 0.25,
      y: 0.2,
    });
  });

  it('ignores the bars, where the taxpayer’s screen has no point', () => {
    const rect = { left: 0, top: 0, width: 1000, height: 450 };
    expect(pointerFraction({ clientX: 50, clientY: 200 }, rect, { width: 1920, height: 1080 })).toBeNull();
    expect(pointerFraction({ clientX: 950, clientY: 200 }, rect, { width: 1920, height: 1080 })).toBeNull();
    expect(pointerFraction({ clientX: 500, clientY: -1 }, rect, { width: 1920, height: 1080 })).toBeNull();
  });

  it('uses the whole element at original size, or before the picture’s size is known', () => {
    const rect = { left: 10, top: 10, width: 1280, height: 720 };
    expect(pointerFraction({ clientX: 10 + 320, clientY: 10 + 180 }, rect, { width: 1280, height: 720 })).toEqual({
      x: 0.25,
      y: 0.25,
    });
    expect(pointerFraction({ clientX: 10 + 640, clientY: 10 + 72 }, rect, null)).toEqual({ x: 0.5, y: 0.1 });
  });

  it('rounds to four decimals and draws a mark back at the same place', () => {
    const picture = containedPicture({ width: 1000, height: 450 }, { width: 1920, height: 1080 });
    const rect = { left: 0, top: 0, width: 1000, height: 450 };
    const f = pointerFraction({ clientX: 333.3, clientY: 123 }, rect, { width: 1920, height: 1080 });
    expect(f).toEqual({ x: 0.2916, y: 0.2733 });
    const at = fromPictureFraction({ x: 0.5, y: 0.5 }, picture);
    expect(at).toEqual({ left: 500, top: 225 });
  });

  it('keeps the keyboard pointer on the picture', () => {
    expect(nudge({ x: 0.99, y: 0.01 }, 0.05, -0.05)).toEqual({ x: 1, y: 0 });
    expect(nudge({ x: 0.5, y: 0.5 }, -0.02, 0.02)).toEqual({ x: 0.48, y: 0.52 });
  });
});

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at most one pointer per 50 ms and ends where the mouse stopped', () => {
    const sent: number[] = [];
    const send = throttle((n: number) => sent.push(n), 50);
    for (let i = 0; i < 100; i++) {
      send(i);
      vi.advanceTimersByTime(5); // 200 moves a second
    }
    vi.advanceTimersByTime(100);
    // 500 ms of movement → at most 11 messages (the first at once, then one per 50 ms), the last one the last move
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent[0]).toBe(0);
    expect(sent.at(-1)).toBe(99);
  });

  it('drops a waiting move when cancelled', () => {
    const sent: number[] = [];
    const send = throttle((n: number) => sent.push(n), 50);
    send(1);
    send(2);
    send.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1]);
  });
});
