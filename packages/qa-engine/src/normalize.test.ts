import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.ts';
import { detectSmalltalk } from './smalltalk.ts';

describe('normalizeText', () => {
  it('folds width and case, fixes typos, writes rates as %', () => {
    expect(normalizeText('ＵＫｅｙ还要吗？')).toBe('ukey还要吗');
    expect(normalizeText('登陆不了')).toBe('登录不了');
    expect(normalizeText('百分之三还是1个点')).toBe('3%还是1%');
  });
});

describe('detectSmalltalk', () => {
  it('only when nothing else is said', () => {
    expect(detectSmalltalk(normalizeText('好的 谢谢啦'))?.kind).toBe('thanks');
    expect(detectSmalltalk(normalizeText('谢谢，再问个发票的事'))).toBeNull();
  });
});
