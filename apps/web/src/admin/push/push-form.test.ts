import { ZPushDraft } from '@zhengna/contracts';
import { describe, expect, it } from 'vitest';
import { draftOf, formFieldOf, newPushValues, parseTaxpayerList } from './push-form.ts';

describe('精准推送 form', () => {
  it('reads a pasted list in any common separator, upper-cased and without repeats', () => {
    expect(parseTaxpayerList('91370100ma3c000001\n91370100MA3C000002, 91370100MA3C000001；370102199003074512')).toEqual(
      ['91370100MA3C000001', '91370100MA3C000002', '370102199003074512'],
    );
  });

  it('makes a draft the contract accepts, with the time only when sending later', () => {
    const v = { ...newPushValues(), title: '提醒', content: '内容', regions: ['济南市历下区'] };
    expect(ZPushDraft.safeParse(draftOf(v)).success).toBe(true);
    expect(draftOf(v)).not.toHaveProperty('scheduledAt');
    const later = draftOf({ ...v, when: 'later', scheduledAt: '2030-01-01T01:00:00.000Z' });
    expect(later.scheduledAt).toBe('2030-01-01T01:00:00.000Z');
    expect(draftOf({ ...v, mode: 'list', listText: 'abc' }).audience).toEqual({ kind: 'list', taxpayerNos: ['ABC'] });
  });

  it('shows server errors beside the field they are about', () => {
    expect(formFieldOf('audience.taxpayerNos.4')).toBe('listText');
    expect(formFieldOf('link')).toBe('link');
    expect(formFieldOf('audience.regions')).toBe('regions');
    expect(formFieldOf('audience')).toBeNull();
  });
});
