import { describe, expect, it } from 'vitest';
import { assess, relativeThreshold, type SeriesPoint, type TargetSpec } from '../../src/analysis/assess.js';

const point = (period: string, value: number | null, numerator: number | null = value, denominator: number | null = null): SeriesPoint => ({ period, value, numerator, denominator });

describe('assess(series, target, asOf)', () => {
  const monthly: SeriesPoint[] = [point('2025-01', 74), point('2025-02', 79), point('2025-03', 77), point('2025-04', 80)];
  const march: TargetSpec = { id: 'm', comparator: '>=', threshold: 78, period: { month: '2025-03' } };

  it('judges a single-month target on that month once it has passed', () => {
    expect(assess(monthly, march, '2025-04')).toMatchObject({ assessedPeriod: '2025-03', value: 77, met: false, gap: -1, final: true, lastMet: '2025-02' });
  });

  it('shows the position so far before the month is due', () => {
    expect(assess(monthly, march, '2025-02')).toMatchObject({ assessedPeriod: '2025-02', value: 79, met: true, final: false, lastMet: '2025-02' });
  });

  it('assesses a standing standard every month', () => {
    const standing: TargetSpec = { id: 's', comparator: '>=', threshold: 95, period: { every_month: true } };
    expect(assess(monthly, standing, '2025-04')).toMatchObject({ assessedPeriod: '2025-04', met: false, lastMet: null });
  });

  it('computes a whole-year figure from summed numerators and denominators, not by averaging months', () => {
    const year: SeriesPoint[] = Array.from({ length: 12 }, (_, i) => {
      const month = `${i < 9 ? 2024 : 2025}-${String(((i + 3) % 12) + 1).padStart(2, '0')}`;
      const count = i === 0 ? 1000 : 10;
      const seconds = i === 0 ? 1000 * 1500 : 10 * 3000;
      return point(month, seconds / count, seconds, count);
    });
    const target: TargetSpec = { id: 'y', comparator: '<=', threshold: 1800, period: { financial_year: '2024/25' } };
    const result = assess(year, target, '2025-03');
    expect(result.value).toBeCloseTo((1000 * 1500 + 11 * 10 * 3000) / (1000 + 110), 9);
    expect(result).toMatchObject({ assessedPeriod: '2024/25', met: true, final: true });
    const meanOfMonths = year.reduce((s, p) => s + p.value!, 0) / 12;
    expect(meanOfMonths).toBeGreaterThan(1800);
  });

  it('sets a relative target from the organisation\'s own baseline, with a floor', () => {
    const relative: TargetSpec = { id: 'r', comparator: 'improve_vs_baseline', improvement: 5, floor: 60, baseline_period: '2025-01', period: { month: '2025-04' } };
    expect(assess(monthly, relative, '2025-04')).toMatchObject({ threshold: 79, met: true, gap: 1 });
    const low = [point('2025-01', 40), point('2025-04', 59)];
    expect(assess(low, relative, '2025-04')).toMatchObject({ threshold: 60, met: false });
  });

  it('cannot judge a relative target without its baseline month', () => {
    const relative: TargetSpec = { id: 'r', comparator: 'improve_vs_baseline', improvement: 5, baseline_period: '2024-11', period: { month: '2025-04' } };
    expect(assess(monthly, relative, '2025-04')).toMatchObject({ threshold: null, met: null });
  });
});

// The 2025/26 trust-level RTT target: +5 points on the trust's own November 2024 figure, never
// below 60%. The league uses this for each organisation's own threshold.
describe('relativeThreshold(target, baseline)', () => {
  const uplift = { improvement: 5, floor: 60 };

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
