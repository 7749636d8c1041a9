import type { TStaffMe } from '@zhengna/contracts';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/api-error.ts';
import { fetchStaffMe, logoutStaff } from './staff-api.ts';

export type StaffSession =
  | { status: 'loading' }
  /** `notice`: why the last session ended (forced logout, account disabled), shown above the login form. */
  | { status: 'anonymous'; notice?: string }
  | { status: 'error'; message: string }
  | { status: 'authenticated'; me: TStaffMe };

/** Who is logged in to the workspace / admin console (cookie session). */
export function useStaffSession() {
  const [session, setSession] = useState<StaffSession>({ status: 'loading' });

  const load = useCallback(() => {
    setSession({ status: 'loading' });
    fetchStaffMe().then(
      // an expired password or a second factor still to set up: the login form walks through it again
      (me) =>
        setSession(
          me.mustChangePassword || me.mustEnrolTotp ? { status: 'anonymous' } : { status: 'authenticated', me },
        ),
      (error: unknown) =>
        setSession(
          error instanceof ApiError && error.isUnauthenticated
            ? { status: 'anonymous' }
            : { status: 'error', message: errorMessage(error) },
        ),
    );
  }, []);

  useEffect(load, [load]);

  const signedIn = useCallback((me: TStaffMe) => setSession({ status: 'authenticated', me }), []);
  const signOut = useCallback(async () => {
    await logoutStaff().catch(() => undefined);
    setSession({ status: 'anonymous' });
  }, []);
  /** The session ended elsewhere (expired, logged out in another tab, ended by an administrator). */
  const expired = useCallback(
    (notice?: string) => setSession(notice ? { status: 'anonymous', notice } : { status: 'anonymous' }),
    [],
  );

  return { session, reload: load, signedIn, signOut, expired };
}
