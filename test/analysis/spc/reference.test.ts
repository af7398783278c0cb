import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { month, monthly } from './columns.js';
import { disagreements, runReference, type ReferenceCase } from './reference.js';

/**
 * spc() against the independent Python reference (reference_spc.py, written from the spec) on
 * synthetic series built to hit the edge cases: ties, plateaus, missing values, rebases, frozen
 * baselines, short segments. The real-data version is spc.real.test.ts.
 */

describe('reference_spc.py (the independent reference itself)', () => {
  it('reproduces the spec §12 worked examples', () => {
    const [screened, unscreened, vee] = runReference([
      { id: 'a', points: monthly([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]), options: { direction: 'increase' } },
      { id: 'b', points: monthly([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]), options: { direction: 'increase', screen: false } },
      { id: 'c', points: monthly([0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]), options: { direction: 'increase' } },
    ]);
    expect(screened!.points[0]!.upl).toBeCloseTo(4.6044, 4);
    expect(screened!.points[0]!.lpl).toBeCloseTo(-0.7156, 4);
    expect(screened!.points.filter((p) => p.pointType !== 'common_cause').map((p) => p.value)).toEqual([10]);
    expect(unscreened!.points[0]!.upl).toBeCloseTo(6.9515, 4);
    expect(vee!.points.every((p) => p.pointType !== 'common_cause')).toBe(true);
    expect(vee!.variation).toBe('concern_low');
  });
});

describe('spc(points, options) against reference_spc.py', () => {
  it('agrees on 400 generated series with ties, plateaus, gaps, rebases and frozen baselines', () => {
    // Small integer steps make ties, plateaus and runs common, and ramps of 5–9 steps one way make
    // trends (some broken by a tie, some meeting another at equal values). A fixed seed keeps the
    // cases stable.
    const step = fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -15, max: 15 }));
    const ramp = fc
      .tuple(fc.constantFrom(1, -1), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 9 }))
      .map(([sign, sizes]) => sizes.map((size) => sign * size));
    const block = fc.oneof(fc.array(step, { minLength: 1, maxLength: 12 }), ramp, fc.constant([0]));
    const caseArbitrary = fc.record({
      steps: fc.array(block, { minLength: 1, maxLength: 8 }).map((blocks) => blocks.flat().slice(0, 60)),
      gaps: fc.array(fc.nat(59), { maxLength: 3 }),
      rebase: fc.array(fc.nat(59), { maxLength: 2 }),
      direction: fc.constantFrom('increase' as const, 'decrease' as const, 'neutral' as const),
      target: fc.option(fc.integer({ min: 20, max: 80 }), { nil: undefined }),
      screen: fc.boolean(),
      fixAfter: fc.option(fc.integer({ min: 12, max: 24 }), { nil: undefined }),
    });
    const generated = fc.sample(caseArbitrary, { numRuns: 400, seed: 20240603 });
    const cases: ReferenceCase[] = generated.map((g, k) => {
      let level = 50;
      const values: (number | null)[] = g.steps.map((s) => (level += s));
      for (const gap of g.gaps) if (gap < values.length) values[gap] = null;
      return {
        id: `case ${k}`,
        points: monthly(values),
        options: { direction: g.direction, target: g.target, screen: g.screen, fixAfter: g.fixAfter, rebase: g.rebase.map((i) => month(i)) },
      };
    });
    const { mismatches, ours } = disagreements(cases);
    expect(mismatches).toEqual([]);
    // The comparison means something only if every rule fired somewhere.
    const fired = (rule: 'beyond' | 'trend' | 'twoOfThree' | 'shift') => ours.some((r) => r.points.some((p) => p.rules[rule]));
    expect([fired('beyond'), fired('trend'), fired('twoOfThree'), fired('shift')]).toEqual([true, true, true, true]);
  });
});
