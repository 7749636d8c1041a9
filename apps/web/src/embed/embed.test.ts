// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { portalPageOf } from './portal-page.ts';

const CHAT_ORIGIN = 'https://chat.example.gov.cn';

/**
 * Keeps iframes from navigating (happy-dom would try to fetch the widget page): on created iframes, `src`
 * is recorded in `data-requested-src` and the frame itself stays on about:blank.
 */
function stubIframeNavigation() {
  const create = document.createElement.bind(document);
  vi.spyOn(document, 'createElement').mockImplementation((tagName: string, options?: ElementCreationOptions) => {
    const element = create(tagName, options);
    if (tagName.toLowerCase() === 'iframe') {
      Object.defineProperty(element, 'src', {
        get: () => 'about:blank',
        set: (value: string) => element.setAttribute('data-requested-src', value),
        configurable: true,
      });
    }
    return element;
  });
}

async function loadEmbed(tokenStatus = 200, unread?: { status: number; body?: unknown } | 'network-error') {
  vi.resetModules();
  stubIframeNavigation();
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  delete (window as { __zhengnaEmbed?: boolean }).__zhengnaEmbed;
  const script = document.createElement('script');
  script.src = `${CHAT_ORIGIN}/embed.js`;
  script.dataset.tokenEndpoint = '/api/portal/chat-token';
  if (unread) script.dataset.unreadEndpoint = '/api/portal/chat-unread';
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });

  let issued = 0;
  const fetchMock = vi.fn(async (url: string, _init?: RequestInit) => {
    if (url === '/api/portal/chat-unread' && unread) {
      if (unread === 'network-error') throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(unread.body ?? {}), { status: unread.status });
    }
    issued += 1;
    return new Response(JSON.stringify({ token: `sso-${issued}`, expiresInSeconds: 60 }), { status: tokenStatus });
  });
  vi.stubGlobal('fetch', fetchMock);
  await import('./embed.ts');
  Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  const button = document.querySelector<HTMLButtonElement>('button[data-testid="zn-embed-button"]');
  if (!button) throw new Error('button missing');
  return { button, fetchMock };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function iframe(): HTMLIFrameElement | null {
  return document.querySelector('iframe[title="征纳互动"]');
}

function fromIframe(data: unknown, origin = CHAT_ORIGIN, source: unknown = iframe()?.contentWindow) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
}

describe('embed loader', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('shows only a button until the first click', async () => {
    const { button, fetchMock } = await loadEmbed();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(iframe()).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('on click fetches a token from the host and opens the widget from the script origin', async () => {
    const { button, fetchMock } = await loadEmbed();
    button.click();
    await flush();
    await flush();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/portal/chat-token',
      expect.objectContaining({ method: 'POST', credentials: 'include' }),
    );
    const frame = iframe();
    expect(frame?.getAttribute('data-requested-src')).toBe(
      `${CHAT_ORIGIN}/widget/?host=${encodeURIComponent(location.origin)}&page=${portalPageOf(location.pathname)}`,
    );
    expect(button.getAttribute('aria-expanded')).toBe('true');
  });

  it('answers zn:ready with zn:auth to the exact chat origin and ignores strangers', async () => {
    const { button } = await loadEmbed();
    button.click();
    await flush();
    await flush();
    // Stand in for the widget's window (happy-dom does not load the iframe page here).
    const post = vi.fn();
    const frame = iframe();
    if (!frame) throw new Error('no iframe');
    Object.defineProperty(frame, 'contentWindow', { value: { postMessage: post }, configurable: true });

    fromIframe({ type: 'zn:ready' }, 'https://evil.example');
    fromIframe({ type: 'zn:ready' }, CHAT_ORIGIN, window);
    await flush();
    expect(post).not.toHaveBeenCalled();

    fromIframe({ type: 'zn:ready' });
    await flush();
    expect(post).toHaveBeenCalledWith({ type: 'zn:auth', token: 'sso-1' }, CHAT_ORIGIN);

    // An expired token gets a fresh one, again only to the chat origin.
    fromIframe({ type: 'zn:token-expired' });
    await flush();
    await flush();
    expect(post).toHaveBeenLastCalledWith({ type: 'zn:auth', token: 'sso-2' }, CHAT_ORIGIN);
    for (const call of post.mock.calls) expect(call[1]).not.toBe('*');
  });

  it('hides the panel on zn:close, on Escape and on a second click', async () => {
    const { button } = await loadEmbed();
    button.click();
    await flush();
    await flush();
    const panel = iframe()?.parentElement as HTMLElement;
    expect(panel.hidden).toBe(false);

    fromIframe({ type: 'zn:close' });
    expect(panel.hidden).toBe(true);

    button.click();
    expect(panel.hidden).toBe(false);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(panel.hidden).toBe(true);

    button.click();
    button.click();
    expect(panel.hidden).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('shows the unread count from the chat on the button, with an accessible label', async () => {
    const { button } = await loadEmbed();
    button.click();
    await flush();
    await flush();
    const badge = button.querySelector<HTMLElement>('[data-testid="zn-embed-unread"]');
    expect(badge?.hidden).toBe(true);
    fromIframe({ type: 'zn:unread', count: 3 });
    expect(badge?.hidden).toBe(false);
    expect(badge?.textContent).toBe('3');
    expect(button.getAttribute('aria-label')).toBe('征纳互动，3 条未读消息');
    fromIframe({ type: 'zn:unread', count: 7 }, 'https://evil.example');
    expect(badge?.textContent).toBe('3');
    fromIframe({ type: 'zn:unread', count: 0 });
    expect(badge?.hidden).toBe(true);
    expect(button.getAttribute('aria-label')).toBe('征纳互动');
  });

  it('with data-unread-endpoint shows the count before the chat is opened', async () => {
    const { button, fetchMock } = await loadEmbed(200, { status: 200, body: { unread: 2 } });
    await flush();
    await flush();
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/portal/chat-unread',
      expect.objectContaining({ credentials: 'include' }),
    );
    const badge = button.querySelector<HTMLElement>('[data-testid="zn-embed-unread"]');
    expect(badge?.hidden).toBe(false);
    expect(badge?.textContent).toBe('2');
    expect(button.getAttribute('aria-label')).toBe('征纳互动，2 条未读消息');
    expect(iframe()).toBeNull();

    // once open, the chat's own count wins
    button.click();
    await flush();
    await flush();
    fromIframe({ type: 'zn:unread', count: 1 });
    expect(badge?.textContent).toBe('1');
  });

  it.each([
    ['a 401 on a logged-out page', { status: 401, body: { code: 'UNAUTHENTICATED', message: '请先登录' } }],
    ['a network failure', 'network-error'],
  ] as const)('ignores a failing unread endpoint silently: %s', async (_name, failure) => {
    const { button } = await loadEmbed(200, failure);
    await flush();
    await flush();
    const badge = button.querySelector<HTMLElement>('[data-testid="zn-embed-unread"]');
    expect(badge?.hidden).toBe(true);
    expect(button.getAttribute('aria-label')).toBe('征纳互动');
    expect(document.querySelector('[role="status"]')).toBeNull();
  });

  it('follows zn:navigate only to a path on the same origin', async () => {
    const { button } = await loadEmbed();
    button.click();
    await flush();
    await flush();
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({
      ...window.location,
      href: 'https://etax.example/portal/account.html',
      origin: 'https://etax.example',
      pathname: '/portal/account.html',
      assign,
    } as Location);
    fromIframe({ type: 'zn:navigate', url: 'https://evil.example/phish' });
    fromIframe({ type: 'zn:navigate', url: 'javascript:alert(1)' });
    fromIframe({ type: 'zn:navigate', url: '//evil.example/x' });
    expect(assign).not.toHaveBeenCalled();
    fromIframe({ type: 'zn:navigate', url: '/portal/invoice.html' });
    expect(assign).toHaveBeenCalledWith('https://etax.example/portal/invoice.html');
  });

  it('tells a visitor who is not logged in to log in, without loading the chat', async () => {
    const { button } = await loadEmbed(401);
    button.click();
    await flush();
    await flush();
    expect(iframe()).toBeNull();
    expect(document.body.textContent).toContain('请先登录电子税务局');
  });
});
