import { useCallback, useState } from 'react';

const SIZES = [14, 16, 18, 20] as const;

/** Conversation text size, remembered per taxpayer on this device. */
export function useFontSize(taxpayerId: string) {
  const key = `zn:font-size:${taxpayerId}`;
  const [index, setIndex] = useState(() => {
    const stored = Number(safeGet(key));
    return Math.max(0, SIZES.indexOf(stored as (typeof SIZES)[number]));
  });

  const change = useCallback(
    (delta: 1 | -1) =>
      setIndex((current) => {
        const next = Math.min(SIZES.length - 1, Math.max(0, current + delta));
        safeSet(key, String(SIZES[next]));
        return next;
      }),
    [key],
  );

  return {
    fontSize: SIZES[index] ?? SIZES[0],
    canGrow: index < SIZES.length - 1,
    canShrink: index > 0,
    grow: () => change(1),
    shrink: () => change(-1),
  };
}

// Storage may be blocked inside a third-party iframe; the setting then just lasts for the visit.
function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // ignore
  }
}
