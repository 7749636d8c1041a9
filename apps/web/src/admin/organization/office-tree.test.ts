import { describe, expect, it } from 'vitest';
import { buildOfficeTree, officeLabel, officeTreeData, PROVINCE } from './office-tree.ts';

const OFFICES = [
  { id: '13702000000', name: '国家税务总局青岛市税务局', parentId: '13700000000' },
  { id: '13700000000', name: '国家税务总局山东省税务局', parentId: null },
  { id: '13701020000', name: '国家税务总局济南市历下区税务局', parentId: '13701000000' },
  { id: '13701000000', name: '国家税务总局济南市税务局', parentId: '13700000000' },
  { id: '13702020000', name: '国家税务总局青岛市市南区税务局', parentId: '13702000000' },
];

describe('office tree', () => {
  it('nests offices by parentId, siblings ordered by id', () => {
    expect(buildOfficeTree(OFFICES)).toEqual([
      {
        value: '13700000000',
        title: '国家税务总局山东省税务局',
        children: [
          {
            value: '13701000000',
            title: '国家税务总局济南市税务局',
            children: [{ value: '13701020000', title: '国家税务总局济南市历下区税务局' }],
          },
          {
            value: '13702000000',
            title: '国家税务总局青岛市税务局',
            children: [{ value: '13702020000', title: '国家税务总局青岛市市南区税务局' }],
          },
        ],
      },
    ]);
  });

  it('keeps an office whose parent is missing as a root, and survives a parent cycle', () => {
    const tree = buildOfficeTree([
      { id: 'b', name: '乙', parentId: 'missing' },
      { id: 'x', name: '甲', parentId: 'y' },
      { id: 'y', name: '丙', parentId: 'x' },
      { id: 's', name: '自己', parentId: 's' },
    ]);
    expect(tree.map((n) => n.value)).toEqual(['b', 's', 'x']);
    expect(tree[2]?.children?.map((n) => n.value)).toEqual(['y']);
    expect(buildOfficeTree([])).toEqual([]);
  });

  it('offers 全省 first and labels offices by name', () => {
    expect(officeTreeData(OFFICES)[0]).toEqual({ value: PROVINCE, title: '全省' });
    expect(officeLabel(null, OFFICES)).toBe('全省');
    expect(officeLabel('13702000000', OFFICES)).toBe('国家税务总局青岛市税务局');
    expect(officeLabel('13799999999', OFFICES)).toBe('13799999999');
  });
});
