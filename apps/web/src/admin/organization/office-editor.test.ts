import { describe, expect, it } from 'vitest';
import type { TTaxOfficeRecord } from './api/accounts-api.ts';
import { officeTreeItems, parentChoices, parentIdOf, parentLabel, subtreeIds, TOP_LEVEL } from './office-editor.ts';

const office = (id: string, name: string, parentId: string | null): TTaxOfficeRecord => ({
  id,
  name,
  parentId,
  version: 1,
});
const OFFICES = [
  office('sd', '省局', null),
  office('jn', '济南市局', 'sd'),
  office('jn-lx', '历下区局', 'jn'),
  office('qd', '青岛市局', 'sd'),
];

describe('税务机关 editor helpers', () => {
  it('nests offices for the tree by key', () => {
    expect(officeTreeItems(OFFICES)).toEqual([
      {
        key: 'sd',
        title: '省局',
        children: [
          { key: 'jn', title: '济南市局', children: [{ key: 'jn-lx', title: '历下区局' }] },
          { key: 'qd', title: '青岛市局' },
        ],
      },
    ]);
  });

  it('offers no parent that would make a cycle', () => {
    expect([...subtreeIds(OFFICES, 'jn')].sort()).toEqual(['jn', 'jn-lx']);
    const choices = parentChoices(OFFICES, 'jn');
    expect(choices[0]).toEqual({ value: TOP_LEVEL, title: '无（作为顶级机关）' });
    expect(JSON.stringify(choices)).not.toContain('"jn"');
    expect(JSON.stringify(choices)).not.toContain('jn-lx');
    expect(JSON.stringify(choices)).toContain('"qd"');
    // a new office may go anywhere
    expect(JSON.stringify(parentChoices(OFFICES, null))).toContain('jn-lx');
  });

  it('maps 顶级 back to null and names the parent', () => {
    expect(parentIdOf(TOP_LEVEL)).toBeNull();
    expect(parentIdOf(undefined)).toBeNull();
    expect(parentIdOf('qd')).toBe('qd');
    expect(parentLabel(OFFICES, office('sd', '省局', null))).toBe('无（顶级机关）');
    expect(parentLabel(OFFICES, office('x', 'x', 'jn'))).toBe('济南市局');
  });
});
