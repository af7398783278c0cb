import type { LimitColumns } from '../../../src/analysis/spc/limits.js';

/** Test shorthands for the columnar functions: plain arrays in, readable words out. */

export function column(values: readonly (number | null)[]): Float64Array {
  return Float64Array.from(values, (value) => value ?? NaN);
}

/** Segment starts for `length` points: the first point, plus the given positions. */
export function starts(length: number, ...at: number[]): Uint8Array {
  const flags = new Uint8Array(length);
  if (length > 0) flags[0] = 1;
  for (const position of at) flags[position] = 1;
  return flags;
}

export function sides(flags: Int8Array, high = 'above', low = 'below'): string[] {
  return Array.from(flags, (flag) => (flag > 0 ? high : flag < 0 ? low : '-'));
}

/** Constant limits for `length` points around `mean`, `sigma` apart (so 3σ = limits, 2σ = near lines). */
export function fixedLimits(length: number, mean: number, sigma: number): LimitColumns {
  const fill = (value: number): Float64Array => new Float64Array(length).fill(value);
  return {
    mean: fill(mean),
    lpl: fill(mean - 3 * sigma),
    upl: fill(mean + 3 * sigma),
    nlpl: fill(mean - 2 * sigma),
    nupl: fill(mean + 2 * sigma),
    trial: new Uint8Array(length),
  };
}

/** Monthly periods from January 2020, for spc() inputs. */
export function monthly(values: readonly (number | null)[], firstYear = 2020): { period: string; value: number | null }[] {
  return values.map((value, i) => ({ period: month(i, firstYear), value }));
}

export function month(index: number, firstYear = 2020): string {
  return `${firstYear + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
