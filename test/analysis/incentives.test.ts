import { describe, expect, it } from 'vitest';
import { rankScheme, type MonthFigure, type SchemeRule } from '../../src/analysis/incentives.js';

const figures = (entries: [string, number, number][]) => new Map<string, MonthFigure>(entries.map(([period, numerator, denominator]) => [period, { period, numerator, denominator }]));

describe('rankScheme(rule, byOrg) on synthetic trusts', () => {
  const trusts = new Map([
    ['RAA', figures([['2024-01', 700, 1000], ['2024-02', 800, 1000], ['2024-03', 900, 1000]])],
    ['RBB', figures([['2024-01', 780, 1000], ['2024-02', 790, 1000], ['2024-03', 800, 1000]])],
    ['RCC', figures([['2024-01', 850, 1000], ['2024-03', 700, 1000]])],
  ]);

  it('pools the quarter (80% across January–March) and marks who qualifies; a missing month leaves a trust unranked', () => {
    const rule: SchemeRule = { id: 'q', title: 'q', kind: 'pooled', months: ['2024-01', '2024-02', '2024-03'], better: 'increase', qualifies: 80, source: 's' };
    const rows = rankScheme(rule, trusts);
    expect(rows.map((r) => [r.org, r.rank, r.rewarded])).toEqual([['RAA', 1, true], ['RBB', 2, false], ['RCC', null, false]]);
    expect(rows[0]!.value).toBeCloseTo(80, 9);
    expect(rows[2]!.missing).toEqual(['2024-02']);
  });

  it('ranks the change in points from January to March, most improved first, rewarding the places', () => {
    const rule: SchemeRule = { id: 'c', title: 'c', kind: 'change', months: ['2024-01', '2024-03'], from: '2024-01', to: '2024-03', better: 'increase', places: 2, source: 's' };
    const rows = rankScheme(rule, trusts);
    expect(rows.map((r) => [r.org, r.rank, r.rewarded])).toEqual([['RAA', 1, true], ['RBB', 2, true], ['RCC', 3, false]]);
    expect(rows[0]!.value).toBeCloseTo(20, 9);
    expect(rows[2]!.value).toBeCloseTo(-15, 9);
  });
});
