import { describe, expect, it } from 'vitest';
import { rank } from '../../src/analysis/rank.js';

describe('rank(items, direction)', () => {
  const items = [{ org: 'B', value: 70 }, { org: 'A', value: 80 }, { org: 'C', value: null }, { org: 'D', value: 70 }];

  it('puts the best first for the measure\'s direction, ties sharing a rank', () => {
    expect(rank(items, 'increase').map((r) => [r.item.org, r.rank])).toEqual([['A', 1], ['B', 2], ['D', 2], ['C', null]]);
    expect(rank(items, 'decrease').map((r) => [r.item.org, r.rank])).toEqual([['B', 1], ['D', 1], ['A', 3], ['C', null]]);
  });

  it('ranks nothing when nothing is reported', () => {
    expect(rank([{ org: 'X', value: null }], 'increase')).toEqual([{ item: { org: 'X', value: null }, rank: null }]);
  });
});
