import { describe, expect, it } from 'vitest';
import { relativeToMean } from '../../../../src/analysis/spc/limits.js';
import { shift } from '../../../../src/analysis/spc/rules/shift.js';
import { column, sides, starts } from '../columns.js';

function shifts(values: (number | null)[], mean: number | number[], ...rebaseAt: number[]): string[] {
  const means = typeof mean === 'number' ? new Float64Array(values.length).fill(mean) : Float64Array.from(mean);
  return sides(shift(relativeToMean(column(values), means), starts(values.length, ...rebaseAt)));
}

describe('shift(relative, starts)', () => {
  it('flags nothing when points alternate about the mean', () => {
    expect(shifts([1, -1, 1, -1, 1, -1, 1, -1], 0)).toEqual(Array(8).fill('-'));
  });

  it('flags exactly seven points above the mean', () => {
    expect(shifts([1, 2, 1, 3, 1, 2, 1], 0)).toEqual(Array(7).fill('above'));
  });

  it('does not fire on six points', () => {
    expect(shifts([-1, 1, 2, 1, 3, 1, 2, -1], 0)).toEqual(Array(8).fill('-'));
  });

  it('flags every point of a longer run below the mean', () => {
    expect(shifts([1, -1, -2, -1, -3, -1, -2, -1, -5], 0)).toEqual(['-', ...Array(8).fill('below')]);
  });

  it('resets after an interruption', () => {
    expect(shifts([1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1], 0)).toEqual(Array(13).fill('-'));
  });

  it('lets a point exactly on the mean break the run (spec §12: 11,11,11,10,11,11,11 about 10)', () => {
    expect(shifts([11, 11, 11, 10, 11, 11, 11], 10)).toEqual(Array(7).fill('-'));
  });

  it('lets a missing value break the run', () => {
    expect(shifts([1, 1, 1, null, 1, 1, 1, 1], 0)).toEqual(Array(8).fill('-'));
  });

  it('follows a varying centre line', () => {
    expect(shifts([5, 5, 5, 5, 5, 5, 5], [4, 4, 4, 4, 6, 6, 6])).toEqual(Array(7).fill('-'));
    expect(shifts([5, 5, 5, 5, 5, 5, 5], [4, 3, 2, 1, 0, 1, 2])).toEqual(Array(7).fill('above'));
  });

  it('never runs across a rebase', () => {
    expect(shifts([1, 1, 1, 1, 1, 1, 1, 1], 0, 4)).toEqual(Array(8).fill('-'));
  });

  it('returns an empty column for empty input', () => {
    expect(shifts([], 0)).toEqual([]);
  });
});
