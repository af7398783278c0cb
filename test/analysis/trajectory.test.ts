import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { addMonths, backtest, indexPeers, needed, peerImprovement, peerImprovementIn, project, projectYear, verdict, type TrajectoryPoint } from '../../src/analysis/trajectory.js';

/** A synthetic monthly series from `start`: value(i) for the i-th month. */
function synthetic(start: string, length: number, value: (i: number, month: number) => number | null): TrajectoryPoint[] {
  return Array.from({ length }, (_, i) => {
    const period = addMonths(start, i);
    return { period, value: value(i, Number(period.slice(5))) };
  });
}

// A winter dip like A&E's 4-hour figure: lowest in December and January.
const season = (month: number) => 4 * Math.cos(((month - 7) / 12) * 2 * Math.PI);

/** Deterministic pseudo-random numbers (mulberry32), so the coverage check cannot be flaky. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

describe('project(series, target, asOf) on synthetic series', () => {
  it('recovers a noiseless seasonal series with a steady trend exactly (synthetic-seasonal-trend)', () => {
    const series = synthetic('2021-04', 43, (i, month) => 70 + 0.1 * i + season(month));
    const projection = project(series, '2025-03', '2024-10')!;
    const truth = 70 + 0.1 * 47 + season(3);
    expect(projection.method).toBe('seasonal');
    expect(projection.calibration).toBe('empirical');
    expect(projection.horizon).toBe(5);
    expect(projection.value).toBeCloseTo(truth, 9);
    expect(projection.high - projection.low).toBeCloseTo(0, 9);
  });

  it('keeps the season: March projected from October is not October carried forward (synthetic-seasonal-flat)', () => {
    const series = synthetic('2022-04', 31, (_, month) => 75 + season(month));
    expect(project(series, '2025-01', '2024-10')!.value).toBeCloseTo(75 + season(1), 9);
  });

  it('uses the recent level when there is under a year of history (synthetic-short)', () => {
    const series = synthetic('2024-08', 3, (i) => [20, 22, 24][i]!);
    const projection = project(series, '2025-03', '2024-10')!;
    expect(projection).toMatchObject({ method: 'level', calibration: 'model', value: 22 });
    expect(projection.low).toBeLessThan(22);
    expect(projection.high).toBeGreaterThan(22);
  });

  it('starts again after a rebase (a merger): earlier figures are another organisation (synthetic-rebase)', () => {
    const series = synthetic('2022-04', 31, (i) => (i < 24 ? 50 : 80));
    expect(project(series, '2025-03', '2024-10', { rebase: ['2024-04'] })).toMatchObject({ method: 'level', value: 80 });
  });

  it('skips gaps: a missing anchor month falls back to two years earlier with two years of drift (synthetic-gap)', () => {
    const series = synthetic('2021-04', 43, (i, month) => (i === 35 ? null : 60 + 0.2 * i + season(month)));
    const projection = project(series, '2025-03', '2024-10')!;
    expect(projection.method).toBe('seasonal');
    expect(projection.value).toBeCloseTo(60 + 0.2 * 47 + season(3), 9);
  });

  it('gives nothing without a figure, or for a month already in hand', () => {
    expect(project([], '2025-03', '2024-10')).toBeNull();
    expect(project(synthetic('2024-01', 10, () => 5), '2024-06', '2024-10')).toBeNull();
  });

  it('clamps percentages into 0–100', () => {
    const series = synthetic('2021-04', 43, (i) => 90 + 0.5 * i);
    const projection = project(series, '2026-03', '2024-10', { bounds: [0, 100] })!;
    expect(projection.value).toBe(100);
    expect(projection.high).toBe(100);
  });

  it('covers about 80% of held-out months on noisy synthetic seasonal series (synthetic-coverage)', () => {
    const next = random(12);
    let covered = 0;
    let total = 0;
    for (let s = 0; s < 200; s++) {
      const slope = (next() - 0.5) * 0.4;
      let noise = 0;
      const series = synthetic('2019-04', 72, (i, month) => {
        noise = 0.5 * noise + 1.5 * normal(next);
        return 70 + slope * i + season(month) + noise;
      });
      const asOf = '2024-10';
      const projection = project(series, '2025-03', asOf)!;
      const actual = series.find((p) => p.period === '2025-03')!.value!;
      total++;
      if (actual >= projection.low && actual <= projection.high) covered++;
    }
    expect(covered / total).toBeGreaterThan(0.68);
    expect(covered / total).toBeLessThan(0.92);
  });

  property.prop([
    fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null, freq: 8 }), { minLength: 1, maxLength: 60 }),
    fc.integer({ min: 1, max: 30 }),
    fc.integer({ min: 0, max: 59 }),
  ])('low ≤ value ≤ high, inside the bounds, whatever the series (property)', (values, ahead, cut) => {
    const series = values.map((value, i) => ({ period: addMonths('2020-01', i), value: value === null ? null : value / 10 }));
    const asOf = addMonths('2020-01', Math.min(cut, values.length - 1));
    const projection = project(series, addMonths(asOf, ahead), asOf, { bounds: [0, 100] });
    if (projection === null) return;
    expect(projection.low).toBeLessThanOrEqual(projection.value);
    expect(projection.value).toBeLessThanOrEqual(projection.high);
    expect(projection.low).toBeGreaterThanOrEqual(0);
    expect(projection.high).toBeLessThanOrEqual(100);
  });

  property.prop([fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 30, maxLength: 60 }), fc.integer({ min: -500, max: 500 })])(
    'never reads a month after as-of: changing later figures changes nothing (property)', (values, shift) => {
      const series = values.map((value, i) => ({ period: addMonths('2020-01', i), value }));
      const asOf = addMonths('2020-01', 24);
      const changed = series.map((point) => (point.period > asOf ? { ...point, value: point.value + shift } : point));
      expect(project(changed, addMonths(asOf, 6), asOf)).toEqual(project(series, addMonths(asOf, 6), asOf));
    });
});

describe('verdict(projection, comparator, threshold)', () => {
  it('is on track only when the whole interval meets the threshold, off track when none of it does', () => {
    expect(verdict({ value: 80, low: 78.5, high: 82 }, '>=', 78)).toBe('on_track');
    expect(verdict({ value: 79, low: 76, high: 82 }, '>=', 78)).toBe('at_risk');
    expect(verdict({ value: 74, low: 72, high: 77.9 }, '>=', 78)).toBe('off_track');
    expect(verdict({ value: 12, low: 10, high: 13.5 }, '<=', 14)).toBe('on_track');
  });
});

describe('projectYear(series, financialYear, asOf)', () => {
  it('pools the months in hand with the projected ones, weighted by volume (synthetic-year)', () => {
    const series = synthetic('2021-04', 43, (_, month) => 80 + season(month)).map((p) => ({ ...p, weight: 1000 }));
    const year = projectYear(series, '2024/25', '2024-10')!;
    expect(year).toMatchObject({ knownMonths: 7, projectedMonths: 5 });
    const mean = Array.from({ length: 12 }, (_, i) => 80 + season(((i + 3) % 12) + 1)).reduce((a, b) => a + b) / 12;
    expect(year.value).toBeCloseTo(mean, 9);
  });
});

describe('needed(latest, from, threshold, deadline, unit, denominator)', () => {
  it('gives the steady monthly change in points and in patients', () => {
    expect(needed(75, '2025-10', 78, '2026-03', 'percent', 2_000_000)).toEqual({ perMonth: 0.6, patientsPerMonth: 12_000, months: 5 });
    expect(needed(1900, '2025-10', 1500, '2027-03', 'seconds', null)).toMatchObject({ patientsPerMonth: null, months: 17 });
  });
});

describe('peerImprovement(seriesByOrg, from, deadline, better, asOf)', () => {
  it('takes the median and 90th percentile of what peers achieved over the same months of earlier years (synthetic-peers)', () => {
    const peers = new Map(Array.from({ length: 10 }, (_, k) => [`P${k}`, synthetic('2020-10', 50, (i) => 60 + (k + 1) * 0.1 * i)] as const));
    const result = peerImprovement(peers, '2024-10', '2025-03', 'increase', '2024-10')!;
    expect(result.observations).toBe(40);
    expect(result.median).toBeCloseTo(0.55, 9);
    expect(result.p90).toBeCloseTo(0.91, 9);
  });
});

describe('peerImprovementIn(index, from, deadline, better)', () => {
  /** The definition written out plainly (string months, one map per peer per question), to check the index against. */
  function plainly(peers: ReadonlyMap<string, readonly TrajectoryPoint[]>, from: string, deadline: string, better: 'increase' | 'decrease', asOf: string) {
    const span = (Number(deadline.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(deadline.slice(5)) - Number(from.slice(5));
    if (span <= 0) return null;
    const sign = better === 'decrease' ? -1 : 1;
    const rates: number[] = [];
    for (const series of peers.values()) {
      const values = new Map(series.filter((point) => point.value !== null && point.period <= asOf).map((point) => [point.period, point.value!]));
      for (const [month, value] of values) {
        const end = addMonths(month, span);
        if (end > asOf || (span <= 12 && month.slice(5) !== from.slice(5))) continue;
        const later = values.get(end);
        if (later !== undefined) rates.push((sign * (later - value)) / span);
      }
    }
    if (rates.length < 5) return null;
    rates.sort((a, b) => a - b);
    const at = (q: number) => {
      const position = (rates.length - 1) * q;
      const low = Math.floor(position);
      return rates[low]! + (rates[Math.ceil(position)]! - rates[low]!) * (position - low);
    };
    return { median: sign * at(0.5), p90: sign * at(0.9), observations: rates.length };
  }

  property.prop([
    fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), { minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 12 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 20 }),
    fc.constantFrom('increase' as const, 'decrease' as const),
  ])('answers every question of one index as the definition does, gaps and all (synthetic-peers)', (figures, questions, better) => {
    // Peers start in different months; one repeats a month, whose last figure counts.
    const peers = new Map(figures.map((values, k) => [`P${k}`, [...synthetic(addMonths('2019-01', k), values.length, (i) => values[i]!), ...(k === 0 && values.length > 0 ? [{ period: '2019-01', value: 7 }] : [])]] as const));
    const asOf = '2021-06';
    const index = indexPeers(peers, asOf);
    for (const [start, span] of questions) {
      const from = addMonths('2019-01', start);
      const deadline = addMonths(from, span);
      expect(peerImprovementIn(index, from, deadline, better)).toEqual(plainly(peers, from, deadline, better, asOf));
    }
  });
});

describe('backtest(cases)', () => {
  it('scores held-out projections: coverage, mean absolute error, bias and verdicts borne out (synthetic-backtest)', () => {
    const exact = synthetic('2021-04', 48, (i, month) => 70 + 0.1 * i + season(month));
    const broken = synthetic('2021-04', 48, (i, month) => (i === 47 ? 50 : 70 + season(month)));
    const short = synthetic('2025-01', 3, () => 70);
    const summary = backtest([
      { org: 'A', series: exact, deadline: '2025-03', asOf: '2024-10', comparator: '>=', threshold: 70 },
      { org: 'B', series: broken, deadline: '2025-03', asOf: '2024-10', comparator: '>=', threshold: 70 },
      { org: 'C', series: short, deadline: '2025-03', asOf: '2024-10' },
    ]);
    expect(summary).toMatchObject({ n: 2, coverage: 0.5, notProjected: 1 });
    expect(summary.meanAbsoluteError).toBeCloseTo((0 + Math.abs(50 - (70 + season(3)))) / 2, 9);
    // A: projected and came in at 74.7 (on track, met); B: projected 68 (off track) and came in at 50.
    expect(summary.verdicts).toEqual({ onTrack: 1, onTrackMet: 1, atRisk: 0, atRiskMet: 0, offTrack: 1, offTrackMissed: 1 });
  });
});
