import { describe, expect, it } from 'vitest';
import { officeTree } from './office-tree.ts';

describe('office tree', () => {
  it('nests offices under their parent, keeping the list order', () => {
    const tree = officeTree([
      { id: 'p', name: '山东省税务局', parentId: null },
      { id: 'jn', name: '济南市税务局', parentId: 'p' },
      { id: 'lx', name: '历下区税务局', parentId: 'jn' },
      { id: 'qd', name: '青岛市税务局', parentId: 'p' },
    ]);
    expect(tree).toEqual([
      {
        value: 'p',
        title: '山东省税务局',
        children: [
          { value: 'jn', title: '济南市税务局', children: [{ value: 'lx', title: '历下区税务局' }] },
          { value: 'qd', title: '青岛市税务局' },
        ],
      },
    ]);
  });

  it('keeps orphans and offices in a parent cycle as roots, each once', () => {
    const tree = officeTree([
      { id: 'a', name: 'A', parentId: 'b' },
      { id: 'b', name: 'B', parentId: 'a' },
      { id: 'c', name: 'C', parentId: 'gone' },
    ]);
    expect(tree.map((n) => n.value)).toEqual(['c', 'a']);
    expect(JSON.stringify(tree).match(/"value"/g)).toHaveLength(3);
  });
});
