import { describe, expect, it } from 'vitest';
import {
  closeToLimits,
  limits,
  relativeToMean,
  segmentStarts,
} from '../../../src/analysis/spc/limits.js';
import { astronomical } from '../../../src/analysis/spc/rules/astronomical.js';
import { column, fixedLimits, sides, starts } from './columns.js';

const EXAMPLE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]; // spec §12

function first(values: (number | null)[], options = {}, ...rebaseAt: number[]) {
  const columns = limits(column(values), starts(values.length, ...rebaseAt), options);
  return { columns, at: (i: number) => ({ mean: columns.mean[i]!, lpl: columns.lpl[i]!, upl: columns.upl[i]!, nlpl: columns.nlpl[i]!, nupl: columns.nupl[i]! }) };
}

describe('segmentStarts(length, offsets, rebase)', () => {
  it('starts a segment at every series and at every rebase flag', () => {
    const rebase = Uint8Array.from([0, 0, 1, 0, 0, 0]);
    expect(Array.from(segmentStarts(6, [0, 4, 6], rebase))).toEqual([1, 0, 1, 0, 1, 0]);
  });
});

describe('limits(values, starts, options)', () => {
  it('screens the large moving ranges of the spec §12 example', () => {
    const { at } = first(EXAMPLE);
    expect(at(0).mean).toBeCloseTo(1.9444, 4);
    expect(at(0).upl).toBeCloseTo(4.6044, 4);
    expect(at(0).lpl).toBeCloseTo(-0.7156, 4);
    expect(at(17)).toEqual(at(0));
  });

  it('keeps every moving range when screening is off', () => {
    const { at } = first(EXAMPLE, { screen: false });
    expect(at(0).upl).toBeCloseTo(6.9515, 4);
    expect(at(0).lpl).toBeCloseTo(-3.0626, 4);
  });

  it('puts the 2σ lines two thirds of the way to the limits', () => {
    const { at } = first(EXAMPLE);
    const { mean, upl, lpl, nupl, nlpl } = at(0);
    expect(nupl - mean).toBeCloseTo((2 / 3) * (upl - mean), 12);
    expect(mean - nlpl).toBeCloseTo((2 / 3) * (mean - lpl), 12);
  });

  it('gives a constant baseline undefined limits when screening (no range passes < 3.267 × 0)', () => {
    const { at } = first(Array(15).fill(7));
    expect(at(0).mean).toBe(7);
    expect(at(0).upl).toBeNaN();
    expect(at(0).lpl).toBeNaN();
  });

  it('gives a constant baseline zero-width limits without screening', () => {
    const { at } = first(Array(15).fill(7), { screen: false });
    expect([at(0).lpl, at(0).mean, at(0).upl]).toEqual([7, 7, 7]);
  });

  it('screens the one step of a near-constant baseline away, leaving zero width (fourteen 5s then a 6)', () => {
    const { at } = first([...Array(14).fill(5), 6]);
    expect(at(0).mean).toBeCloseTo(76 / 15, 12);
    expect(at(0).upl).toBe(at(0).mean);
    expect(at(0).lpl).toBe(at(0).mean);
  });

  it('leaves out missing values and never bridges them with a moving range', () => {
    // Ranges 1 and 3 (AMR 2); bridging the gap would add |10 − 2| = 8 and make AMR 4.
    const { at } = first([1, 2, null, 10, 13, null]);
    expect(at(0).mean).toBeCloseTo(6.5, 12);
    expect(at(0).upl - at(0).mean).toBeCloseTo(2.66 * 2, 12);
  });

  it('has undefined limits for a single point', () => {
    const { at } = first([4]);
    expect(at(0).mean).toBe(4);
    expect(at(0).upl).toBeNaN();
  });

  it('fixes the limits on the first N points, counting missing rows, and carries them on', () => {
    const values = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, null, 2, 50, 60, 70];
    const { at } = first(values, { fixAfter: 12 });
    expect(at(0).mean).toBeCloseTo(17 / 11, 12);
    expect(at(14)).toEqual(at(0));
  });

  it('treats a fractional fixAfter as its floor', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i * 7) % 5);
    expect(first(values, { fixAfter: 12.5 }).columns).toEqual(first(values, { fixAfter: 12 }).columns);
  });

  it('gives each segment its own limits when rebased twice', () => {
    const values = [...Array(13).fill(0).map((_, i) => i % 2), ...Array(13).fill(0).map((_, i) => 10 + (i % 3)), 20, 22, 21];
    const { at, columns } = first(values, {}, 13, 26);
    expect(at(0).mean).toBeCloseTo(6 / 13, 12);
    expect(at(13).mean).toBeCloseTo(142 / 13, 12);
    expect(at(26).mean).toBe(21);
    expect(at(26).upl - at(26).mean).toBeCloseTo(2.66 * 1.5, 12);
    expect(Array.from(columns.trial.subarray(0, 26))).toEqual(Array(26).fill(0));
    expect(Array.from(columns.trial.subarray(26))).toEqual([1, 1, 1]);
  });

  it('applies a frozen baseline inside each segment after a rebase', () => {
    const first12 = Array.from({ length: 12 }, (_, i) => i % 2);
    const values = [...first12, 100, 100, 100, ...first12.map((v) => v + 50), -100];
    const { at } = first(values, { fixAfter: 12 }, 15);
    expect(at(14).mean).toBeCloseTo(0.5, 12);
    expect(at(14).upl).toBeCloseTo(0.5 + 2.66, 12);
    expect(at(27).mean).toBeCloseTo(50.5, 12);
    expect(at(27).upl).toBeCloseTo(50.5 + 2.66, 12);
  });

  it('marks segments of fewer than 13 points as trial limits', () => {
    expect(Array.from(first(Array(12).fill(1)).columns.trial)).toEqual(Array(12).fill(1));
    expect(Array.from(first(Array(13).fill(1)).columns.trial)).toEqual(Array(13).fill(0));
  });
});

describe('limits(values, starts, options, columns, sides)', () => {
  it('gives each point the sides relativeToMean, closeToLimits and astronomical give, segment by segment', () => {
    // Synthetic: the spec §12 example, a missing value, a point on the mean and a rebase.
    const values = column([...EXAMPLE, null, 5, 9, 1, 9, 1, 2, 3, 4, 5, 6, 7, 8, 40, 5, -30]);
    const flags = starts(values.length, 18);
    const fused = { relative: new Int8Array(values.length), close: new Int8Array(values.length), beyond: new Int8Array(values.length) };
    const columns = limits(values, flags, {}, undefined, fused);
    expect(sides(fused.relative)).toEqual(sides(relativeToMean(values, columns.mean)));
    expect(sides(fused.close)).toEqual(sides(closeToLimits(values, columns)));
    expect(sides(fused.beyond)).toEqual(sides(astronomical(values, columns.lpl, columns.upl)));
    // Every kind of side occurs, or the comparison would show little.
    expect(new Set(fused.beyond)).toEqual(new Set([-1, 0, 1]));
    expect(new Set(fused.relative)).toEqual(new Set([-1, 0, 1]));
  });
});

describe('relativeToMean(values, mean)', () => {
  it('is +1 above, −1 below, 0 on the mean or missing', () => {
    expect(sides(relativeToMean(column([2, 0, 1, null]), column([1, 1, 1, 1])))).toEqual(['above', 'below', '-', '-']);
  });
});

describe('closeToLimits(values, limits)', () => {
  it('marks the band between 2σ and 3σ, a process limit included', () => {
    const values = column([2, 2.5, 3, 3.5, -2.5, null]);
    expect(sides(closeToLimits(values, fixedLimits(6, 0, 1)))).toEqual(['-', 'above', 'above', '-', 'below', '-']);
  });
});
