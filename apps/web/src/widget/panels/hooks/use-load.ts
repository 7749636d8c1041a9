import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/api-error.ts';

export type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/** Loads something for a panel and keeps it; `set` replaces it after a change, `reload` asks again. */
export function useLoad<T>(load: () => Promise<T>, fallbackError: string) {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger; `load` is read once per attempt.
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    load().then(
      (data) => !cancelled && setState({ status: 'ready', data }),
      (error: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(error, fallbackError) }),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, set, reload };
}
