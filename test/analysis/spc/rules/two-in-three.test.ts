import { describe, expect, it } from 'vitest';
import { closeToLimits, relativeToMean } from '../../../../src/analysis/spc/limits.js';
import { twoInThree } from '../../../../src/analysis/spc/rules/two-in-three.js';
import { column, fixedLimits, sides, starts } from '../columns.js';

/** Mean 0, σ 1: the 2σ lines are ±2 and the process limits ±3. */
function twoOfThree(values: (number | null)[], ...rebaseAt: number[]): string[] {
  const series = column(values);
  const limits = fixedLimits(values.length, 0, 1);
  const close = closeToLimits(series, limits);
  const relative = relativeToMean(series, limits.mean);
  return sides(twoInThree(close, relative, starts(values.length, ...rebaseAt)));
}

describe('twoInThree(close, relative, starts)', () => {
  it('flags nothing inside the 2σ lines', () => {
    expect(twoOfThree([0, 1.9, -1.9, 1, 1.5])).toEqual(Array(5).fill('-'));
  });

  it('flags two of three beyond 2σ on one side, but not the third point', () => {
    expect(twoOfThree([0, 2.5, 1, 2.5, 0])).toEqual(['-', 'above', '-', 'above', '-']);
    expect(twoOfThree([-2.5, -2.5, -1])).toEqual(['below', 'below', '-']);
  });

  it('does not fire on one close point', () => {
    expect(twoOfThree([1, 2.5, 1, 1, 1])).toEqual(Array(5).fill('-'));
  });

  it('does not fire across the mean', () => {
    expect(twoOfThree([2.5, -2.5, 2.5, -2.5])).toEqual(Array(4).fill('-'));
    expect(twoOfThree([2.5, 2.5, -1])).toEqual(['-', '-', '-']);
  });

  it('does not fire when the third point sits exactly on the mean', () => {
    expect(twoOfThree([0, 2.5, 2.5, 0])).toEqual(['-', '-', '-', '-']);
    expect(twoOfThree([2.5, 0, 2.5])).toEqual(['-', '-', '-']);
  });

  it('does not count a point beyond 3σ as one of the two', () => {
    expect(twoOfThree([2.5, 3.5, 1])).toEqual(['-', '-', '-']);
  });

  it('lets a point beyond 3σ be the third, same-side point', () => {
    expect(twoOfThree([2.5, 3.5, 2.5])).toEqual(['above', '-', 'above']);
    expect(twoOfThree([2.5, 2.5, 3.5])).toEqual(['above', 'above', '-']);
  });

  it('counts a point exactly on a process limit as beyond 2σ', () => {
    expect(twoOfThree([3, 3, 1])).toEqual(['above', 'above', '-']);
  });

  it('never looks across a rebase', () => {
    expect(twoOfThree([2.5, 2.5, 1], 1)).toEqual(['-', '-', '-']);
  });

  it('lets a missing value break the pattern', () => {
    expect(twoOfThree([2.5, null, 2.5])).toEqual(['-', '-', '-']);
  });

  it('never fires when the limits are undefined', () => {
    const series = column([5, 5, 5]);
    const nan = new Float64Array(3).fill(NaN);
    const limits = { mean: new Float64Array(3), lpl: nan, upl: nan, nlpl: nan, nupl: nan, trial: new Uint8Array(3) };
    const close = closeToLimits(series, limits);
    expect(sides(twoInThree(close, relativeToMean(series, limits.mean), starts(3)))).toEqual(['-', '-', '-']);
  });
});
