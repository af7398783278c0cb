import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { spc, spcBatch, POINT_TYPES, type SpcOptions, type SpcPoint, type SpcResult } from '../../../src/analysis/spc/index.js';
import { monthly } from './columns.js';

/**
 * What must hold for every series (STYLE.md §4). Values are integers so that a point cannot sit
 * a rounding error away from a line; where a property moves the values, it checks that no point
 * lies within a hair of a line first, since on a line the answer is decided by the last bit.
 */

const value = fc.option(fc.integer({ min: -60, max: 60 }), { freq: 12, nil: null });
const series = fc.array(value, { minLength: 0, maxLength: 45 });
const options = fc.record({
  direction: fc.constantFrom('increase' as const, 'decrease' as const, 'neutral' as const),
  screen: fc.boolean(),
  fixAfter: fc.option(fc.integer({ min: 12, max: 20 }), { nil: undefined }),
  target: fc.option(fc.integer({ min: -70, max: 70 }), { nil: undefined }),
});

const flags = (result: SpcResult) => result.points.map((p) => [p.rules, p.pointType]);
const swapped: Record<string, string> = {
  special_cause_improvement: 'special_cause_concern',
  special_cause_concern: 'special_cause_improvement',
  improvement_high: 'concern_high',
  improvement_low: 'concern_low',
  concern_high: 'improvement_high',
  concern_low: 'improvement_low',
  consistent_pass: 'consistent_fail',
  consistent_fail: 'consistent_pass',
};

function linesOf(point: SpcPoint): number[] {
  if (point.mean === null) return [];
  if (point.upl === null || point.lpl === null) return [point.mean];
  const near = (2 / 3) * (point.upl - point.mean);
  return [point.mean, point.lpl, point.upl, point.mean - near, point.mean + near];
}

function hasNearTie(result: SpcResult): boolean {
  return result.points.some(
    (p) => p.value !== null && linesOf(p).some((line) => line !== p.value && Math.abs(line - p.value!) < 1e-7),
  );
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('spc(points, options) properties', () => {
  test.prop([series, options])('places the limits symmetrically about the mean', (values, opts) => {
    for (const p of spc(monthly(values), opts).points) {
      if (p.upl === null || p.lpl === null || p.mean === null) continue;
      expect(close(p.upl - p.mean, p.mean - p.lpl)).toBe(true);
    }
  });

  test.prop([series, options, fc.integer({ min: -1000, max: 1000 })])(
    'moves mean and limits with a constant added, and changes no flag',
    (values, opts, shiftBy) => {
      const before = spc(monthly(values), opts);
      const moved = values.map((v) => (v === null ? null : v + shiftBy));
      const target = opts.target === undefined ? undefined : opts.target + shiftBy;
      const after = spc(monthly(moved), { ...opts, target });
      fc.pre(!hasNearTie(before) && !hasNearTie(after));
      expect(flags(after)).toEqual(flags(before));
      for (let i = 0; i < values.length; i++) {
        const [b, a] = [before.points[i]!, after.points[i]!];
        for (const key of ['mean', 'lpl', 'upl'] as const) {
          expect(close(a[key], b[key] === null ? null : b[key]! + shiftBy)).toBe(true);
        }
      }
      expect([after.variation, after.assurance]).toEqual([before.variation, before.assurance]);
    },
  );

  test.prop([series, options, fc.constantFrom(1, 2, 4, 8, 0.5)])(
    'scales mean and limits by k > 0 and changes no flag (powers of two scale exactly)',
    (values, opts, k) => {
      const before = spc(monthly(values), opts);
      const target = opts.target === undefined ? undefined : opts.target * k;
      const after = spc(monthly(values.map((v) => (v === null ? null : v * k))), { ...opts, target });
      expect(flags(after)).toEqual(flags(before));
      expect(after.points.map((p) => [p.mean, p.lpl, p.upl])).toEqual(
        before.points.map((p) => [p.mean, p.lpl, p.upl].map((x) => (x === null ? null : x * k))),
      );
      expect([after.variation, after.assurance]).toEqual([before.variation, before.assurance]);
    },
  );

  test.prop([fc.integer({ min: -50, max: 50 }), fc.integer({ min: 2, max: 40 }), options])(
    'shows no special cause in a constant series: undefined limits when screening, zero width when not',
    (level, length, opts) => {
      const result = spc(monthly(Array(length).fill(level)), opts);
      expect(result.points.every((p) => p.pointType === 'common_cause')).toBe(true);
      for (const p of result.points) {
        expect(p.mean).toBe(level);
        expect([p.lpl, p.upl]).toEqual(opts.screen ? [null, null] : [level, level]);
      }
    },
  );

  test.prop([series, options])('gives every point exactly one label, special exactly when a rule flags it', (values, opts) => {
    for (const p of spc(monthly(values), opts).points) {
      expect(POINT_TYPES).toContain(p.pointType);
      expect(p.pointType !== 'common_cause').toBe(Object.values(p.rules).some(Boolean));
    }
  });

  test.prop([series, options])('swaps improvement and concern when the direction flips, and nothing else', (values, opts) => {
    fc.pre(opts.direction !== 'neutral');
    const flipped = opts.direction === 'increase' ? 'decrease' : 'increase';
    const a = spc(monthly(values), opts);
    const b = spc(monthly(values), { ...opts, direction: flipped });
    expect(b.points.map((p) => p.rules)).toEqual(a.points.map((p) => p.rules));
    expect(b.points.map((p) => p.pointType)).toEqual(a.points.map((p) => swapped[p.pointType] ?? p.pointType));
    expect(b.variation).toBe(swapped[a.variation] ?? a.variation);
    expect(b.assurance).toBe(a.assurance === null ? null : (swapped[a.assurance] ?? a.assurance));
  });

  test.prop([series, series, options])('treats a rebase as a fresh start: nothing crosses it', (first, second, opts) => {
    fc.pre(first.length > 0 && second.length > 0);
    const points = monthly([...first, ...second]);
    const joined = spc(points, { ...opts, rebase: [points[first.length]!.period] });
    const alone = [spc(points.slice(0, first.length), opts), spc(points.slice(first.length), opts)];
    expect(joined.points).toEqual([...alone[0]!.points, ...alone[1]!.points]);
    expect([joined.variation, joined.assurance]).toEqual([alone[1]!.variation, alone[1]!.assurance]);
    expect(joined.segments).toEqual([...alone[0]!.segments, ...alone[1]!.segments]);
  });

  const longSeries = fc.array(value, { minLength: 21, maxLength: 45 });
  const baselineLength = fc.integer({ min: 12, max: 20 });
  test.prop([longSeries, options, baselineLength])('fixes the limits at those of the first N points alone', (values, opts, fixAfter) => {
    const frozen = spc(monthly(values), { ...opts, fixAfter }).points;
    const baseline = spc(monthly(values.slice(0, fixAfter)), { ...opts, fixAfter: undefined }).points[0]!;
    for (const p of frozen) expect([p.mean, p.lpl, p.upl]).toEqual([baseline.mean, baseline.lpl, baseline.upl]);
  });

  test.prop([fc.array(series, { maxLength: 8 }), options])('gives a batch the answers of spc() per series', (many, opts) => {
    const values = Float64Array.from(many.flat(), (v) => v ?? NaN);
    const offsets = [0];
    for (const one of many) offsets.push(offsets[offsets.length - 1]! + one.length);
    const batch = spcBatch({ values, offsets, ...opts });
    many.forEach((one, s) => {
      const alone = spc(monthly(one), opts as SpcOptions);
      const types = Array.from(batch.pointType.subarray(offsets[s]!, offsets[s + 1]!), (code) => POINT_TYPES[code]);
      expect(types).toEqual(alone.points.map((p) => p.pointType));
    });
  });
});
