import { afterEach, describe, expect, it, vi } from 'vitest';
import { spcBatch, type SpcBatchInput, type SpcBatchResult } from '../../../src/analysis/spc/index.js';

/**
 * spcBatch's result buffer is not zeroed (src/analysis/spc/batch.ts), so every cell must be
 * written. Here the buffer comes filled with a pattern instead, and every column must come out
 * as it does from a zeroed one.
 */
function columns(result: SpcBatchResult): Record<string, number[]> {
  return Object.fromEntries(Object.entries(result).map(([name, column]) => [name, Array.from(column as ArrayLike<number>)]));
}

describe('spcBatch(input) on a buffer it did not zero', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes every cell of every column: series empty, short, rebased, with missing values and runs', () => {
    // Synthetic: a series with a shift and a trend, a rebase and a missing value; an empty series;
    // a series of one point; a short series with two-of-three.
    const first = [5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 12, 12, 12, 12, 3, NaN, 4, 5, 4, 5];
    const last = [10, 10.5, 9.5, 10, 14, 14.2, 10, 9.8];
    const values = Float64Array.from([...first, 42, ...last]);
    const offsets = [0, first.length, first.length, first.length + 1, values.length];
    const rebase = new Uint8Array(values.length);
    rebase[14] = 1;
    const input: SpcBatchInput = { values, offsets, rebase, direction: ['increase', 'decrease', 'increase', 'decrease'], target: 10 };
    const allocate = vi.spyOn(Buffer, 'allocUnsafeSlow');
    allocate.mockImplementation((size: number) => Buffer.alloc(size, 0));
    const zeroed = columns(spcBatch(input));
    // The pattern is not any code a column uses, so a cell left unwritten shows.
    allocate.mockImplementation((size: number) => Buffer.alloc(size, 0xa5));
    const patterned = columns(spcBatch(input));
    expect(allocate).toHaveBeenCalledTimes(2);
    expect(patterned).toEqual(zeroed);
    // And the synthetic series exercise the rules whose cells are easiest to leave unwritten.
    expect(zeroed.trend!.some((side) => side !== 0)).toBe(true);
    expect(zeroed.shift!.some((side) => side !== 0)).toBe(true);
  });
});
