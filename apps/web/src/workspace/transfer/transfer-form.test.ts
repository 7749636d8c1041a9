import { describe, expect, it } from 'vitest';
import { validateTransfer } from './transfer-form.ts';

const STAFF = '00000000-0000-4000-8000-000000000001';

describe('transfer dialog validation', () => {
  it('needs a colleague when transferring to an agent', () => {
    const r = validateTransfer({ target: 'agent', staffId: null, groupId: 'invoice', note: '' });
    expect(r).toEqual({ ok: false, errors: { target: '请选择要转接的坐席' } });
  });
  it('needs a group when transferring to a group', () => {
    const r = validateTransfer({ target: 'group', staffId: STAFF, groupId: null, note: '' });
    expect(r).toEqual({ ok: false, errors: { target: '请选择要转接的技能组' } });
  });
  it('refuses a note over 500 characters', () => {
    const r = validateTransfer({ target: 'agent', staffId: STAFF, groupId: null, note: '税'.repeat(501) });
    expect(r).toEqual({ ok: false, errors: { note: '转接说明不超过 500 字' } });
  });
  it('sends only the chosen target and the trimmed note', () => {
    expect(validateTransfer({ target: 'agent', staffId: STAFF, groupId: 'invoice', note: ' 发票红冲 ' })).toEqual({
      ok: true,
      input: { toStaffId: STAFF, note: '发票红冲' },
    });
    expect(validateTransfer({ target: 'group', staffId: STAFF, groupId: 'invoice', note: '税'.repeat(500) })).toEqual({
      ok: true,
      input: { toGroupId: 'invoice', note: '税'.repeat(500) },
    });
  });
});
