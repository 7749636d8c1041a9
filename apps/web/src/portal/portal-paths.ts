export const PORTAL_PATHS = {
  home: '/',
  login: '/portal/login.html',
  account: '/portal/account.html',
  invoice: '/portal/invoice.html',
} as const;

export type PortalPageKey = Exclude<keyof typeof PORTAL_PATHS, 'login'>;

/** Where to go after login: only a same-origin path (never "//evil.example" or a full URL). */
export function safeNextPath(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return PORTAL_PATHS.account;
  return raw;
}

export function loginUrlFor(path: string): string {
  return `${PORTAL_PATHS.login}?next=${encodeURIComponent(path)}`;
}

/** 国家税务总局 + province; the demo bureau is Shandong (taxpayer numbers 9137…). */
export const BUREAU_NAME = '国家税务总局山东省电子税务局';
