import type { TPortalMe } from '@zhengna/contracts';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../shared/api/api-error.ts';
import { fetchPortalMe } from '../api/portal-api.ts';
import { loginUrlFor } from '../portal-paths.ts';

export type PortalMeState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; me: TPortalMe };

/** The logged-in taxpayer; not logged in → the login page, coming back here afterwards. */
export function usePortalMe() {
  const [state, setState] = useState<PortalMeState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    fetchPortalMe().then(
      (me) => !cancelled && setState({ status: 'ready', me }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.isUnauthenticated) {
          location.replace(loginUrlFor(location.pathname + location.search));
          return;
        }
        setState({ status: 'error', message: errorMessage(error, '页面加载失败，请刷新重试。') });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return { state, setMe: (me: TPortalMe) => setState({ status: 'ready', me }) };
}
