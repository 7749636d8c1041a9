import { ApiError, errorMessage } from '../../shared/api/api-error.ts';

/** The Chinese message to show; a lost session sends the user back to the login form instead. */
export function adminErrorMessage(error: unknown, fallback: string, onSessionExpired: () => void): string {
  if (error instanceof ApiError && error.isUnauthenticated) onSessionExpired();
  return errorMessage(error, fallback);
}
