/**
 * 征纳互动 embed loader. A host page includes
 *   <script src="https://<chat-origin>/embed.js" data-token-endpoint="/api/portal/chat-token" defer></script>
 * and gets a floating button bottom-right. Nothing else loads until the first click; then the loader asks the
 * host's token endpoint for a short-lived single sign-on token, opens the chat in an iframe from the script's
 * own origin and hands the token over by postMessage with an exact target origin (never '*').
 *
 * An optional `data-unread-endpoint` (e.g. /api/portal/chat-unread, answering {unread}) puts the 我的消息 count on the
 * button before the chat is ever opened; any failure (a 401 on a logged-out page) leaves the button as it is.
 *
 * Messages (all prefixed `zn:`): iframe → host `zn:ready`, `zn:close`, `zn:token-expired`, `zn:unread` {count}
 * (badge on the button), `zn:navigate` {url} (a 快捷入口 opening in this page: same-origin paths only);
 * host → iframe `zn:auth` {token}. The iframe URL tells the chat which portal page it is on (`page=`).
 *
 * Kept framework-free and tiny (budget 5 KB gzip): it runs on every portal page. On a phone, or a page zoomed so far
 * that the panel would be squeezed (200 % on a laptop), the chat takes the whole window.
 */

import { portalPageOf } from './portal-page.ts';

interface TokenResponse {
  token: string;
  expiresInSeconds: number;
}

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || (window as { __zhengnaEmbed?: boolean }).__zhengnaEmbed) return;
  (window as { __zhengnaEmbed?: boolean }).__zhengnaEmbed = true;

  // Captured now: document.currentScript is null once this first run is over.
  const scriptOrigin = new URL(script.src, location.href).origin;
  const tokenEndpoint = script.dataset.tokenEndpoint || '/api/portal/chat-token';
  const loginUrl = script.dataset.loginUrl;
  const unreadEndpoint = script.dataset.unreadEndpoint;
  const page = portalPageOf(location.pathname, script.dataset.page);

  const PREFIX = 'zn-embed';
  const css = `
.${PREFIX}-btn{position:fixed;right:24px;bottom:24px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;
background:#1456c7;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;display:flex;align-items:center;
justify-content:center;padding:0}
.${PREFIX}-btn:hover{background:#0f47a8}
.${PREFIX}-btn:focus{outline:none}
.${PREFIX}-btn:focus-visible{outline:3px solid #ffb400;outline-offset:3px}
.${PREFIX}-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;
border-radius:10px;background:#d4380d;color:#fff;font:600 12px/20px sans-serif;text-align:center;border:2px solid #fff}
.${PREFIX}-badge[hidden]{display:none}
.${PREFIX}-panel{position:fixed;right:24px;bottom:92px;z-index:2147483001;width:400px;height:640px;
max-height:calc(100vh - 116px);border-radius:12px;overflow:hidden;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.28)}
.${PREFIX}-panel[hidden]{display:none}
.${PREFIX}-panel iframe{width:100%;height:100%;border:0;display:block}
.${PREFIX}-note{position:fixed;right:24px;bottom:92px;z-index:2147483001;max-width:280px;padding:10px 14px;border-radius:8px;
background:#fff;color:#333;font:14px/1.5 sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)}
@media (max-width:479.98px),(max-height:559.98px){.${PREFIX}-panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0}
.${PREFIX}-open .${PREFIX}-btn{display:none}}`;

  let button: HTMLButtonElement;
  let badge: HTMLSpanElement;
  let panel: HTMLDivElement | undefined;
  let iframe: HTMLIFrameElement | undefined;
  let note: HTMLDivElement | undefined;
  let noteTimer: number | undefined;
  /** A token fetched by the click, used by the first zn:ready if it is still fresh. */
  let spare: { token: string; until: number } | undefined;
  let busy = false;

  const requestToken = async (): Promise<string | null> => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      credentials: 'include',
      headers: { Accept: 'application/json' },
    });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error(String(response.status));
    const body = (await response.json()) as TokenResponse;
    return body.token;
  };

  const showNote = (text: string) => {
    if (!note) {
      note = document.createElement('div');
      note.className = `${PREFIX}-note`;
      note.setAttribute('role', 'status');
      document.body.appendChild(note);
    }
    note.textContent = text;
    note.hidden = false;
    clearTimeout(noteTimer);
    noteTimer = window.setTimeout(() => {
      if (note) note.hidden = true;
    }, 6000);
  };

  const notLoggedIn = () => {
    if (loginUrl) {
      location.assign(`${loginUrl}${loginUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(location.pathname)}`);
    } else {
      showNote('请先登录电子税务局，再使用征纳互动。');
    }
  };

  const sendAuth = async () => {
    if (!iframe?.contentWindow) return;
    let token = spare && spare.until > Date.now() ? spare.token : null;
    spare = undefined;
    try {
      token = token ?? (await requestToken());
    } catch {
      showNote('征纳互动暂时无法连接，请稍后再试。');
      return;
    }
    if (!token) {
      setOpen(false);
      notLoggedIn();
      return;
    }
    iframe.contentWindow.postMessage({ type: 'zn:auth', token }, scriptOrigin);
  };

  const setOpen = (open: boolean) => {
    if (!panel) return;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    document.documentElement.classList.toggle(`${PREFIX}-open`, open);
    if (open) iframe?.focus();
    else button.focus();
  };

  const createPanel = () => {
    panel = document.createElement('div');
    panel.id = `${PREFIX}-panel`;
    panel.className = `${PREFIX}-panel`;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', '征纳互动');
    iframe = document.createElement('iframe');
    iframe.title = '征纳互动';
    iframe.allow = 'microphone; camera; display-capture; clipboard-write';
    iframe.src = `${scriptOrigin}/widget/?host=${encodeURIComponent(location.origin)}&page=${page}`;
    panel.appendChild(iframe);
    document.body.appendChild(panel);
    button.setAttribute('aria-controls', panel.id);
  };

  const onClick = async () => {
    if (panel) {
      setOpen(panel.hidden);
      return;
    }
    if (busy) return;
    busy = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const token = await requestToken();
      if (!token) {
        notLoggedIn();
        return;
      }
      // Keep it for the iframe's zn:ready; SSO tokens are short-lived, so stay well inside a minute.
      spare = { token, until: Date.now() + 30_000 };
      if (note) note.hidden = true;
      createPanel();
      setOpen(true);
    } catch {
      showNote('征纳互动暂时无法连接，请稍后再试。');
    } finally {
      busy = false;
      button.removeAttribute('aria-busy');
    }
  };

  const onMessage = (event: MessageEvent) => {
    // Only our own iframe, from the chat's origin, may talk to the loader.
    if (!iframe || event.origin !== scriptOrigin || event.source !== iframe.contentWindow) return;
    const type = (event.data as { type?: unknown } | null)?.type;
    if (type === 'zn:ready' || type === 'zn:token-expired') void sendAuth();
    else if (type === 'zn:close') setOpen(false);
    else if (type === 'zn:unread') setUnread((event.data as { count?: unknown }).count);
    else if (type === 'zn:navigate') navigate((event.data as { url?: unknown }).url);
  };

  /** The number on the button; the button's name says it too ("征纳互动，3 条未读消息"). */
  const setUnread = (count: unknown) => {
    const n = typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    const label = n > 0 ? `征纳互动，${n} 条未读消息` : '征纳互动';
    button.setAttribute('aria-label', label);
    button.title = label;
  };

  /** Only a path on this very portal: the chat must not be able to send the page anywhere else. */
  const navigate = (url: unknown) => {
    if (typeof url !== 'string') return;
    try {
      const target = new URL(url, location.href);
      if (target.origin === location.origin) location.assign(target.href);
    } catch {
      // not a URL: ignored
    }
  };

  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && panel && !panel.hidden) setOpen(false);
  };

  const init = () => {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.appendChild(style);

    button = document.createElement('button');
    button.type = 'button';
    button.className = `${PREFIX}-btn`;
    button.setAttribute('aria-label', '征纳互动');
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('data-testid', 'zn-embed-button');
    button.title = '征纳互动';
    // A speech-bubble icon; decorative, the name comes from aria-label.
    button.innerHTML =
      '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 3C6.5 3 2 6.6 2 11c0 2.5 1.4 4.7 3.7 6.2L5 21l4.1-2.3c.9.2 1.9.3 2.9.3 5.5 0 10-3.6 10-8s-4.5-8-10-8zm-4 9.3a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6zm4 0a1.3 1.3 0 110-2.6 1.3 1.3 0 010 2.6z"/></svg>';
    badge = document.createElement('span');
    badge.className = `${PREFIX}-badge`;
    badge.setAttribute('aria-hidden', 'true');
    badge.setAttribute('data-testid', 'zn-embed-unread');
    badge.hidden = true;
    button.appendChild(badge);
    button.addEventListener('click', () => void onClick());
    document.body.appendChild(button);
    window.addEventListener('message', onMessage);
    document.addEventListener('keydown', onKeydown);
    if (unreadEndpoint)
      fetch(unreadEndpoint, { credentials: 'include', headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        // once the chat is open it reports the count itself (zn:unread)
        .then((body: { unread?: unknown } | null) => body && !iframe && setUnread(body.unread))
        .catch(() => {});
  };

  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
})();
