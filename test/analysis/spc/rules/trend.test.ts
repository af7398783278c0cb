import { describe, expect, it } from 'vitest';
import { trend } from '../../../../src/analysis/spc/rules/trend.js';
import { column, sides, starts } from '../columns.js';

function trends(values: (number | null)[], ...rebaseAt: number[]): string[] {
  return sides(trend(column(values), starts(values.length, ...rebaseAt)), 'up', 'down');
}

describe('trend(values, starts)', () => {
  it('flags nothing in a series with no run', () => {
    expect(trends([3, 1, 4, 1, 5, 9, 2, 6])).toEqual(Array(8).fill('-'));
  });

  it('flags exactly seven rising points as increasing', () => {
    expect(trends([1, 2, 3, 4, 5, 6, 7])).toEqual(Array(7).fill('up'));
  });

  it('does not fire on six rising points', () => {
    expect(trends([9, 1, 2, 3, 4, 5, 6, 0])).toEqual(Array(8).fill('-'));
  });

  it('flags a falling run as decreasing, and all of a longer run', () => {
    expect(trends([0, 9, 8, 7, 6, 5, 4, 3, 2])).toEqual(['-', ...Array(8).fill('down')]);
  });

  it('lets a tie break a trend (no "ignore ties")', () => {
    expect(trends([1, 2, 3, 4, 4, 5, 6, 7, 8])).toEqual(Array(9).fill('-'));
  });

  it('gives a shared peak the direction of the trend on its right', () => {
    expect(trends([0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1])).toEqual([
      ...Array(7).fill('up'),
      ...Array(7).fill('down'),
    ]);
  });

  it('labels the first of two equal values where two trends meet as decreasing (parity quirk)', () => {
    expect(trends([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1])).toEqual([
      ...Array(6).fill('up'),
      'down',
      ...Array(7).fill('down'),
    ]);
  });

  it('treats a window with a missing value as not firing (the reference crashes here)', () => {
    expect(trends([1, 2, 3, null, 5, 6, 7, 8, 9, 10])).toEqual(Array(10).fill('-'));
    expect(trends([1, 2, 3, 4, 5, 6, 7, null])).toEqual([...Array(7).fill('up'), '-']);
  });

  it('never reaches across a rebase', () => {
    expect(trends([1, 2, 3, 4, 5, 6, 7, 8], 4)).toEqual(Array(8).fill('-'));
  });

  it('gives the last point of a segment its own trend\'s direction, not the next segment\'s', () => {
    const rising = [1, 2, 3, 4, 5, 6, 7];
    const falling = [10, 9, 8, 7, 6, 5, 4];
    expect(trends([...rising, ...falling], 7)).toEqual([...Array(7).fill('up'), ...Array(7).fill('down')]);
  });

  it('returns an empty column for empty input', () => {
    expect(trends([])).toEqual([]);
  });
});
