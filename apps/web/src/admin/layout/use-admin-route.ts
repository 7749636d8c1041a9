import { useCallback, useEffect, useState } from 'react';

function readHash(): string {
  return decodeURIComponent(window.location.hash.replace(/^#\/?/, ''));
}

/** The open admin page, kept in the URL hash so a page can be bookmarked and reloaded. */
export function useAdminRoute(fallback: string) {
  const [key, setKey] = useState(() => readHash() || fallback);

  useEffect(() => {
    const onHashChange = () => setKey(readHash() || fallback);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [fallback]);

  const navigate = useCallback((next: string) => {
    setKey(next);
    if (readHash() !== next) window.location.hash = next;
  }, []);

  return [key, navigate] as const;
}
