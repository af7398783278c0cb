import { describe, expect, it } from 'vitest';
import { assess, relativeThreshold, type SeriesPoint, type TargetSpec } from '../../src/analysis/assess.js';

const point = (period: string, value: number | null): SeriesPoint => ({ period, value, numerator: null, denominator: null });

// The 2025/26 trust-level RTT target: +5 points on the trust's own November 2024 figure,
// never below 60%, due March 2026.
const uplift: TargetSpec = {
  id: 'uplift', comparator: 'improve_vs_baseline', improvement: 5, baseline_period: '2024-11', floor: 60, period: { month: '2026-03' },
};

describe('relativeThreshold(target, baseline)', () => {
  it('adds the improvement to the baseline when that clears the floor', () => {
    expect(relativeThreshold(uplift, 58)).toBe(63);
  });

  it('holds to the floor when baseline plus improvement falls short of it', () => {
    expect(relativeThreshold(uplift, 50)).toBe(60);
  });

  it('has no floor unless the target sets one', () => {
    expect(relativeThreshold({ improvement: 5 }, 40)).toBe(45);
  });
});

describe('assess(series, improve_vs_baseline target, asOf)', () => {
  it('judges the due month against the organisation\'s own baseline plus improvement', () => {
    const result = assess([point('2024-11', 58), point('2026-03', 62)], uplift, '2026-03');
    expect(result).toMatchObject({ threshold: 63, comparator: '>=', value: 62, met: false, final: true });
    expect(result.gap).toBeCloseTo(-1, 12);
    expect(result.note).toContain('baseline 2024-11: 58');
  });

  it('uses the floor for an organisation far below it', () => {
    const result = assess([point('2024-11', 40), point('2026-03', 61)], uplift, '2026-03');
    expect(result).toMatchObject({ threshold: 60, met: true });
  });

  it('reports the position so far before the due month', () => {
    const result = assess([point('2024-11', 58), point('2025-06', 64)], uplift, '2025-06');
    expect(result).toMatchObject({ assessedPeriod: '2025-06', value: 64, threshold: 63, met: true, final: false, lastMet: '2025-06' });
  });

  it('cannot assess without a baseline figure, and says why', () => {
    const result = assess([point('2024-11', null), point('2026-03', 70)], uplift, '2026-03');
    expect(result).toMatchObject({ threshold: null, met: null, gap: null });
    expect(result.note).toContain('no figure for the baseline month 2024-11');
  });
});
