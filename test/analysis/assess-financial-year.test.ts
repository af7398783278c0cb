import { describe, expect, it } from 'vitest';
import { assess, type SeriesPoint } from '../../src/analysis/assess.js';

const month = (period: string, seconds: number, incidents: number): SeriesPoint => ({ period, numerator: seconds, denominator: incidents, value: seconds / incidents });

describe('assess(series, financial-year target)', () => {
  const target = { id: 'c2-year', comparator: '<=' as const, threshold: 1800, period: { financial_year: '2024/25' } };
  // Eleven quiet months at 20 minutes and one busy month at 60 minutes.
  const series = [
    ...['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2025-01', '2025-02', '2025-03'].map((p) => month(p, 1200 * 100, 100)),
    month('2024-12', 3600 * 1000, 1000),
  ].sort((a, b) => a.period.localeCompare(b.period));

  it('divides the year\'s summed seconds by its summed incidents, not the mean of monthly means', () => {
    const result = assess(series, target, '2025-03');
    const expected = (11 * 1200 * 100 + 3600 * 1000) / (11 * 100 + 1000);
    expect(result.value).toBeCloseTo(expected, 9);
    // The average of monthly means would be 1400 s and would wrongly meet the 1800 s target.
    expect(result).toMatchObject({ assessedPeriod: '2024/25', final: true, met: false });
  });

  it('reports a position so far before the year is out', () => {
    const result = assess(series, target, '2024-12');
    expect(result.final).toBe(false);
    expect(result.note).toContain('9 of 12 months');
  });
});
