import { type ClientToServerEvents, PROTOCOL_VERSION, type ServerToClientEvents } from '@zhengna/contracts';
import { io, type Socket } from 'socket.io-client';

export type ZhengnaSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectSocketOptions {
  /** Fetches a fresh short-lived realtime token; called before every (re)connect. */
  fetchToken: () => Promise<string>;
  /** Called when the token cannot be fetched because the session is gone (HTTP 401). */
  onUnauthenticated?: () => void;
  isUnauthenticated?: (error: unknown) => boolean;
}

/**
 * Opens the Socket.IO connection (same origin, websocket only). `auth` is a function so every reconnect
 * presents a new token — the old one may have expired while the network was down.
 */
export function connectSocket({
  fetchToken,
  onUnauthenticated,
  isUnauthenticated,
}: ConnectSocketOptions): ZhengnaSocket {
  let unauthenticated = false;
  const socket: ZhengnaSocket = io({
    transports: ['websocket'],
    auth: (cb) => {
      fetchToken().then(
        (token) => {
          unauthenticated = false;
          cb({ token, protocolVersion: PROTOCOL_VERSION });
        },
        (error: unknown) => {
          unauthenticated = isUnauthenticated?.(error) ?? false;
          if (unauthenticated) onUnauthenticated?.();
          // Let the handshake fail; the server rejects an empty token and we retry below.
          cb({ token: '', protocolVersion: PROTOCOL_VERSION });
        },
      );
    },
  });

  // Socket.IO does not retry a handshake the server refused (e.g. an expired token) by itself.
  let attempt = 0;
  socket.on('connect', () => {
    attempt = 0;
  });
  socket.on('connect_error', () => {
    if (socket.active || unauthenticated) return;
    attempt += 1;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() * 0.5);
    setTimeout(() => {
      if (!socket.connected && !unauthenticated) socket.connect();
    }, delay);
  });
  return socket;
}
