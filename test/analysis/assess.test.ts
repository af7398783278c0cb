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

  it('says the baseline month is not held when no publication of it is, and that its figure is missing when one is', () => {
    const relative: TargetSpec = { id: 'r', comparator: 'improve_vs_baseline', improvement: 5, baseline_period: '2025-01', period: { month: '2025-04' } };
    const gap = monthly.map((point) => (point.period === '2025-01' ? { ...point, value: null, numerator: null, denominator: null, held: false } : point));
    expect(assess(gap, relative, '2025-04').note).toContain('baseline month 2025-01 not held');
    const blank = monthly.map((point) => (point.period === '2025-01' ? { ...point, value: null, numerator: null, denominator: null } : point));
    expect(assess(blank, relative, '2025-04').note).toContain('no figure for the baseline month 2025-01');
    expect(assess(monthly.filter((point) => point.period > '2025-01'), relative, '2025-04').note).toContain('baseline month 2025-01 not held');
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

describe('the Medium Term Planning Framework kinds of target (issue 12)', () => {
  it('sets a lower-is-better relative threshold: the lower of the floor and baseline minus the improvement', () => {
    expect(relativeThreshold({ improvement: 3, floor: 20 }, 30, 'decrease')).toBe(20);
    expect(relativeThreshold({ improvement: 3, floor: 20 }, 18, 'decrease')).toBe(15);
  });

  it('reads a relative improvement as percent of the baseline when told to', () => {
    expect(relativeThreshold({ improvement: 7, improvement_unit: 'percent', floor: 65 }, 62)).toBeCloseTo(66.34, 9);
    expect(relativeThreshold({ improvement: 7, improvement_unit: 'points', floor: 65 }, 62)).toBe(69);
  });

  it('judges a lower-is-better relative target with <=', () => {
    const target: TargetSpec = { id: 'd', comparator: 'improve_vs_baseline', improvement: 3, floor: 20, baseline_period: '2026-03', period: { month: '2027-03' } };
    const series = [point('2026-03', 25), point('2027-03', 19.5)];
    expect(assess(series, target, '2027-03', 100, 'decrease')).toMatchObject({ threshold: 20, comparator: '<=', met: true });
  });

  it('compares a whole year with the year before, and a part year with the same months a year earlier', () => {
    const months = (start: number, values: number[]) => values.map((v, i) => {
      const m = ((i + 3) % 12) + 1;
      return point(`${m >= 4 ? start : start + 1}-${String(m).padStart(2, '0')}`, v, v, 100);
    });
    const previous = months(2025, [5, 5, 5, 5, 5, 5, 9, 9, 9, 5, 5, 5]);
    const current = months(2026, [4, 4, 4, 4, 4, 4, 8, 8, 8, 4, 4, 4]);
    const target: TargetSpec = { id: 'y', comparator: 'improve_on_previous_year', period: { financial_year: '2026/27' } };
    const whole = assess([...previous, ...current], target, '2027-03', 100, 'decrease');
    expect(whole).toMatchObject({ comparator: '<', final: true, met: true });
    expect(whole.threshold).toBeCloseTo(6, 9);
    // Six months in: last year's same six months (5%), not its winter-heavy whole year (6%).
    const partYear = assess([...previous, ...current], target, '2026-09', 100, 'decrease');
    expect(partYear).toMatchObject({ final: false, met: true });
    expect(partYear.threshold).toBeCloseTo(5, 9);
  });

  it('averages the months when a whole-year target says mean_of_months', () => {
    const year = Array.from({ length: 12 }, (_, i) => {
      const m = ((i + 3) % 12) + 1;
      return point(`${m >= 4 ? 2028 : 2029}-${String(m).padStart(2, '0')}`, i === 0 ? 50 : 90, i === 0 ? 500 : 90, i === 0 ? 1000 : 100);
    });
    const pooled: TargetSpec = { id: 'p', comparator: '>=', threshold: 85, period: { financial_year: '2028/29' } };
    expect(assess(year, pooled, '2029-03', 100).value).toBeCloseTo((100 * (500 + 11 * 90)) / (1000 + 1100), 9);
    expect(assess(year, { ...pooled, period: { financial_year: '2028/29', average: 'mean_of_months' } }, '2029-03', 100).value).toBeCloseTo((50 + 11 * 90) / 12, 9);
  });

  it('never reads a month after the as-of month', () => {
    const series = [point('2024-10', 70), point('2024-11', 71), point('2025-03', 90)];
    const march: TargetSpec = { id: 'm', comparator: '>=', threshold: 78, period: { month: '2025-03' } };
    expect(assess(series, march, '2024-10')).toMatchObject({ assessedPeriod: '2024-10', value: 70, lastMet: null });
  });
});
