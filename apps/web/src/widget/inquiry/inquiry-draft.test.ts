import { describe, expect, it } from 'vitest';
import { clearDraft, type DraftStorage, draftKey, loadDraft, newClientKey, saveDraft } from './inquiry-draft.ts';

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const FILE = { id: '0b8e6c1e-4c53-4c1f-9d0e-0c5b7b0f0a11', fileName: '发票.png', mime: 'image/png', size: 2048 };

describe('留言 draft', () => {
  it('survives a reload with its clientKey, values and uploaded files, per taxpayer', () => {
    const storage = memoryStorage();
    const clientKey = newClientKey();
    saveDraft(storage, 'tp-1', { clientKey, values: { content: '发票开错了怎么办', receiveBy: 'sms' }, files: [FILE] });

    expect(loadDraft(storage, 'tp-1')).toEqual({
      clientKey,
      values: { content: '发票开错了怎么办', receiveBy: 'sms' },
      files: [FILE],
    });
    // another enterprise on the same browser does not see it
    expect(loadDraft(storage, 'tp-2')).toBeNull();
  });

  it('is gone after a successful submit', () => {
    const storage = memoryStorage();
    saveDraft(storage, 'tp-1', { clientKey: newClientKey(), values: { content: '你好你好你好' }, files: [] });
    clearDraft(storage, 'tp-1');
    expect(loadDraft(storage, 'tp-1')).toBeNull();
  });

  it('ignores a broken or foreign value instead of failing the form', () => {
    const storage = memoryStorage();
    storage.setItem(draftKey('tp-1'), '{not json');
    expect(loadDraft(storage, 'tp-1')).toBeNull();
    storage.setItem(draftKey('tp-1'), JSON.stringify({ clientKey: 'x', values: {}, files: [] }));
    expect(loadDraft(storage, 'tp-1')).toBeNull();
    storage.setItem(
      draftKey('tp-1'),
      JSON.stringify({ clientKey: newClientKey(), values: { receiveBy: 'fax' }, files: [] }),
    );
    expect(loadDraft(storage, 'tp-1')).toBeNull();
  });

  it('keeps working when storage is blocked or full', () => {
    const blocked: DraftStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => saveDraft(blocked, 'tp-1', { clientKey: newClientKey(), values: {}, files: [] })).not.toThrow();
    expect(loadDraft(blocked, 'tp-1')).toBeNull();
    expect(() => clearDraft(blocked, 'tp-1')).not.toThrow();
    expect(loadDraft(null, 'tp-1')).toBeNull();
  });

  it('makes a new clientKey for each draft, valid for the server', () => {
    const a = newClientKey();
    expect(a).not.toBe(newClientKey());
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(a.length).toBeLessThanOrEqual(64);
  });
});
