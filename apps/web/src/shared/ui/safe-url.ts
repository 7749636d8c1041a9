/**
 * URL rules for Markdown written by others (the knowledge base, later agents): links may only go to http(s) or stay
 * relative to our site; images are only loaded from our own origin.
 */

/** Whitespace and control characters a browser would ignore inside a scheme ("java\tscript:"). */
const IGNORED = /[\u0000-\u0020\u007f-\u009f]/g;
const SAFE_SCHEME = /^https?$/i;

/** The URL if it is http(s) or relative, otherwise '' (react-markdown's urlTransform contract). */
export function safeUrl(value: string): string {
  const url = value.trim();
  const compact = url.replace(IGNORED, '');
  const colon = compact.indexOf(':');
  if (colon === -1) return url;
  const slash = compact.indexOf('/');
  const questionMark = compact.indexOf('?');
  const numberSign = compact.indexOf('#');
  // A colon after the first "/", "?" or "#" belongs to the path or query, not a scheme: the URL is relative.
  if (
    (slash !== -1 && colon > slash) ||
    (questionMark !== -1 && colon > questionMark) ||
    (numberSign !== -1 && colon > numberSign)
  ) {
    return url;
  }
  return SAFE_SCHEME.test(compact.slice(0, colon)) ? url : '';
}

/** Whether a (safe) URL points at the page's own origin, e.g. "/api/files/x.png". */
export function isSameOrigin(value: string, origin: string = currentOrigin()): boolean {
  if (!value || !origin) return false;
  try {
    return new URL(value, origin).origin === origin;
  } catch {
    return false;
  }
}

/** Whether a safe URL may be shown as a link at all (http(s) or relative, not empty). */
export function isLinkable(value: string | undefined): value is string {
  return typeof value === 'string' && value !== '' && safeUrl(value) !== '';
}

function currentOrigin(): string {
  return typeof window === 'undefined' ? '' : window.location.origin;
}
