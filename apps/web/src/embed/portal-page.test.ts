import { describe, expect, it } from 'vitest';
import { portalPageOf } from './portal-page.ts';

describe('portalPageOf', () => {
  it('reads the page from the path', () => {
    expect(portalPageOf('/portal/invoice.html')).toBe('invoice');
    expect(portalPageOf('/portal/account.html')).toBe('account');
    expect(portalPageOf('/')).toBe('home');
    expect(portalPageOf('/index.html')).toBe('home');
    expect(portalPageOf('/portal/declare.html')).toBe('other');
  });
  it('prefers a valid data-page attribute and ignores an invalid one', () => {
    expect(portalPageOf('/portal/invoice.html', 'account')).toBe('account');
    expect(portalPageOf('/portal/invoice.html', 'admin')).toBe('invoice');
  });
});
