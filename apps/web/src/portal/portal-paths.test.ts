import { describe, expect, it } from 'vitest';
import { safeNextPath } from './portal-paths.ts';

describe('safeNextPath', () => {
  it('keeps same-origin paths', () => {
    expect(safeNextPath('/portal/invoice.html')).toBe('/portal/invoice.html');
  });
  it('falls back to the account page for anything else', () => {
    expect(safeNextPath(null)).toBe('/portal/account.html');
    expect(safeNextPath('https://evil.example')).toBe('/portal/account.html');
    expect(safeNextPath('//evil.example/x')).toBe('/portal/account.html');
    expect(safeNextPath('/\\evil.example')).toBe('/portal/account.html');
  });
});
