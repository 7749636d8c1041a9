import type { TChatSession, TConversation, TMessagePage } from '@zhengna/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../shared/api/api-error.ts';
import { listenToHost, postToHost } from '../host/host-bridge.ts';
import { exchangeSession, fetchCurrentConversation } from './chat-api.ts';

export type ChatSessionState =
  | { status: 'waiting' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      session: TChatSession;
      conversation: TConversation;
      firstPage: TMessagePage;
    };

/** Ask the host for a new token a minute before the chat's bearer token runs out. */
const RENEW_BEFORE_MS = 60_000;
/** Don't ask the host again and again if something keeps failing. */
const REAUTH_MIN_INTERVAL_MS = 10_000;

/**
 * Single sign-on inside the iframe: announce zn:ready to the host, wait for zn:auth, trade the token for the
 * chat's bearer token (kept in memory only — no storage, no cookies) and load the open conversation.
 */
export function useChatSession(hostOrigin: string) {
  const [state, setState] = useState<ChatSessionState>({ status: 'waiting' });
  const accessTokenRef = useRef<string | null>(null);
  const taxpayerIdRef = useRef<string | null>(null);
  const lastReauthRef = useRef(0);

  const requestReauth = useCallback(() => {
    const now = Date.now();
    if (now - lastReauthRef.current < REAUTH_MIN_INTERVAL_MS) return;
    lastReauthRef.current = now;
    postToHost(hostOrigin, { type: 'zn:token-expired' });
  }, [hostOrigin]);

  const authenticate = useCallback(async (token: string) => {
    try {
      const session = await exchangeSession(token);
      accessTokenRef.current = session.accessToken;
      // A renewed token for the same taxpayer keeps the chat as it is (the socket picks the token up on
      // its next reconnect); anyone else gets a fresh load.
      if (taxpayerIdRef.current === session.profile.taxpayerId) {
        setState((prev) => (prev.status === 'ready' ? { ...prev, session } : prev));
        return;
      }
      const { conversation, page } = await fetchCurrentConversation(session.accessToken);
      taxpayerIdRef.current = session.profile.taxpayerId;
      setState({ status: 'ready', session, conversation, firstPage: page });
    } catch (error) {
      setState((prev) =>
        prev.status === 'ready'
          ? prev
          : { status: 'error', message: errorMessage(error, '征纳互动连接失败，请稍后再试。') },
      );
    }
  }, []);

  useEffect(() => {
    const stop = listenToHost(hostOrigin, (message) => void authenticate(message.token));
    postToHost(hostOrigin, { type: 'zn:ready' });
    return stop;
  }, [hostOrigin, authenticate]);

  // Renew shortly before the bearer token expires.
  const expiresAt = state.status === 'ready' ? state.session.expiresAt : null;
  useEffect(() => {
    if (!expiresAt) return;
    const delay = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - RENEW_BEFORE_MS);
    const timer = setTimeout(() => {
      lastReauthRef.current = 0;
      requestReauth();
    }, delay);
    return () => clearTimeout(timer);
  }, [expiresAt, requestReauth]);

  /** The current bearer token; throws like a 401 when there is none. */
  const getAccessToken = useCallback((): string => {
    const token = accessTokenRef.current;
    if (!token) throw new ApiError('UNAUTHENTICATED', '登录已失效，请重新打开征纳互动。', 401);
    return token;
  }, []);

  /** Wraps a chat API call: a 401 asks the host for a new single sign-on token. */
  const withAuth = useCallback(
    async <T>(call: (accessToken: string) => Promise<T>): Promise<T> => {
      try {
        return await call(getAccessToken());
      } catch (error) {
        if (error instanceof ApiError && error.isUnauthenticated) requestReauth();
        throw error;
      }
    },
    [getAccessToken, requestReauth],
  );

  const close = useCallback(() => postToHost(hostOrigin, { type: 'zn:close' }), [hostOrigin]);

  return { state, withAuth, requestReauth, close };
}
