/**
 * Which portal page hosts the chat, for 热点推荐 (开票 → invoicing questions …). A `data-page` attribute on the
 * script tag wins; otherwise the path decides.
 */
export type PortalPage = 'home' | 'account' | 'invoice' | 'other';

export function portalPageOf(pathname: string, declared?: string): PortalPage {
  if (declared === 'home' || declared === 'account' || declared === 'invoice' || declared === 'other') return declared;
  const path = pathname.toLowerCase();
  if (path.includes('invoice')) return 'invoice';
  if (path.includes('account')) return 'account';
  if (path === '/' || path === '' || path.endsWith('/index.html')) return 'home';
  return 'other';
}
