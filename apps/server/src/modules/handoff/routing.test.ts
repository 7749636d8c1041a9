import { describe, expect, it } from 'vitest';
import { businessOf, chooseGroup, type GroupRow } from './routing.ts';

const groups: GroupRow[] = [
  { id: 'general', business: 'general', taxOfficeId: null, fallbackGroupId: null },
  { id: 'invoice', business: 'invoice', taxOfficeId: null, fallbackGroupId: 'general' },
  { id: 'invoice-jinan', business: 'invoice', taxOfficeId: 'JN', fallbackGroupId: 'invoice' },
  { id: 'filing', business: 'filing', taxOfficeId: null, fallbackGroupId: 'general' },
];

describe('routing a conversation to a skill group', () => {
  it('prefers the business at the nearest office above the taxpayer', () => {
    expect(chooseGroup(groups, ['JN-LX', 'JN', 'SD'], 'invoice')?.id).toBe('invoice-jinan');
  });
  it('falls back to the province-wide desk of that business, then to general consulting', () => {
    expect(chooseGroup(groups, ['QD-SN', 'QD', 'SD'], 'invoice')?.id).toBe('invoice');
    expect(chooseGroup(groups, ['QD'], 'registration')?.id).toBe('general');
  });
  it('reads the business from the topic asked about, or the portal page', () => {
    expect(businessOf('T02')).toBe('invoice');
    expect(businessOf('T09')).toBe('filing');
    expect(businessOf(null, 'invoice')).toBe('invoice');
    expect(businessOf('T20')).toBe('general');
  });
});
