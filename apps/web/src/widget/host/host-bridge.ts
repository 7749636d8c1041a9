/**
 * The widget's side of the postMessage protocol with the embed loader on the host page. The host origin
 * comes from the `host` query parameter the loader sets; messages go only to that exact origin and only
 * messages from it are accepted.
 */

export type HostToWidgetMessage = { type: 'zn:auth'; token: string };
export type WidgetToHostMessage =
  | { type: 'zn:ready' }
  | { type: 'zn:close' }
  | { type: 'zn:token-expired' }
  /** 我的消息 unread count, for the badge on the launcher icon. */
  | { type: 'zn:unread'; count: number }
  /** 快捷入口 that open in the portal page itself; the loader only follows same-origin paths. */
  | { type: 'zn:navigate'; url: string };

const PORTAL_PAGES = ['home', 'account', 'invoice', 'other'] as const;
export type PortalPage = (typeof PORTAL_PAGES)[number];

/** The portal page the chat was opened from (`page` query parameter set by the loader), for 热点推荐. */
export function readPortalPage(search: string = location.search): PortalPage {
  const page = new URLSearchParams(search).get('page');
  return PORTAL_PAGES.find((p) => p === page) ?? 'other';
}

/** The host page's origin, or null when the widget was not opened by the loader (or the value is not an origin). */
export function readHostOrigin(search: string = location.search): string | null {
  const host = new URLSearchParams(search).get('host');
  if (!host) return null;
  try {
    const url = new URL(host);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin === host ? host : null;
  } catch {
    return null;
  }
}

export function postToHost(hostOrigin: string, message: WidgetToHostMessage): void {
  if (window.parent === window) return;
  window.parent.postMessage(message, hostOrigin);
}

/** Listens for messages from the host page; returns the unsubscribe function. */
export function listenToHost(hostOrigin: string, onMessage: (message: HostToWidgetMessage) => void): () => void {
  const handler = (event: MessageEvent) => {
    if (event.origin !== hostOrigin || event.source !== window.parent) return;
    const data = event.data as { type?: unknown; token?: unknown } | null;
    if (data?.type === 'zn:auth' && typeof data.token === 'string' && data.token.length > 0) {
      onMessage({ type: 'zn:auth', token: data.token });
    }
  };
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}
