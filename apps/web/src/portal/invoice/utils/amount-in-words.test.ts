import { describe, expect, it } from 'vitest';
import { amountInWords } from './amount-in-words.ts';

describe('amountInWords', () => {
  it.each([
    [0, '零元整'],
    [1, '壹元整'],
    [10, '壹拾元整'],
    [1005.3, '壹仟零伍元叁角'],
    [100_000, '壹拾万元整'],
    [10_010_000, '壹仟零壹万元整'],
    [100_000_001, '壹亿零壹元整'],
    [1_130, '壹仟壹佰叁拾元整'],
    [12.05, '壹拾贰元零伍分'],
    [0.45, '肆角伍分'],
    [20_300.07, '贰万零叁佰元零柒分'],
  ])('%d → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });
});
