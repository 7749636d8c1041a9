// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readHostOrigin } from './host-bridge.ts';

describe('readHostOrigin', () => {
  it('accepts an exact origin', () => {
    expect(readHostOrigin(`?host=${encodeURIComponent('https://etax.example.gov.cn')}`)).toBe(
      'https://etax.example.gov.cn',
    );
    expect(readHostOrigin(`?host=${encodeURIComponent('http://localhost:3000')}`)).toBe('http://localhost:3000');
  });
  it('rejects anything that is not just an origin', () => {
    expect(readHostOrigin('')).toBeNull();
    expect(readHostOrigin('?host=*')).toBeNull();
    expect(readHostOrigin(`?host=${encodeURIComponent('https://etax.example.gov.cn/path')}`)).toBeNull();
    expect(readHostOrigin(`?host=${encodeURIComponent('javascript:alert(1)')}`)).toBeNull();
  });
});
