import { describe, expect, it } from 'vitest';
import { astronomical } from '../../../../src/analysis/spc/rules/astronomical.js';
import { column, fixedLimits, sides } from '../columns.js';

function beyond(values: (number | null)[], mean = 0, sigma = 1): string[] {
  const { lpl, upl } = fixedLimits(values.length, mean, sigma);
  return sides(astronomical(column(values), lpl, upl));
}

describe('astronomical(values, lpl, upl)', () => {
  it('flags nothing inside the limits', () => {
    expect(beyond([0, 1, -2, 2.9, -2.9])).toEqual(['-', '-', '-', '-', '-']);
  });

  it('flags a point above the upper limit and one below the lower limit', () => {
    expect(beyond([0, 3.1, -3.1, 0])).toEqual(['-', 'above', 'below', '-']);
  });

  it('treats a point exactly on a limit as inside', () => {
    expect(beyond([3, -3])).toEqual(['-', '-']);
  });

  it('never flags a missing value', () => {
    expect(beyond([null, 10, null])).toEqual(['-', 'above', '-']);
  });

  it('never fires when the limits are undefined (a constant, screened baseline)', () => {
    const nan = new Float64Array(3).fill(NaN);
    expect(sides(astronomical(column([100, -100, 5]), nan, nan))).toEqual(['-', '-', '-']);
  });

  it('flags every point off a zero-width band, but not one on it', () => {
    expect(beyond([5, 6, 4], 5, 0)).toEqual(['-', 'above', 'below']);
  });

  it('returns an empty column for empty input', () => {
    expect(beyond([])).toEqual([]);
  });
});
