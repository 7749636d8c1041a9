import { useCallback } from 'react';

/**
 * A ref callback that plays `stream` in an <audio>/<video> element. The stream object stays the same while tracks are
 * added to it (the element picks them up), so it is bound once per element.
 */
export function useStreamRef<T extends HTMLMediaElement>(stream: MediaStream | null): (el: T | null) => void {
  return useCallback(
    (el: T | null) => {
      if (!el || el.srcObject === stream) return;
      el.srcObject = stream;
      // autoplay covers most cases; play() again for browsers that paused on a srcObject change
      if (stream) el.play?.()?.catch(() => {});
    },
    [stream],
  );
}
