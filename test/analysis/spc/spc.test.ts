import { describe, expect, it } from 'vitest';
import { ASSURANCES, POINT_TYPES, spc, spcBatch, VARIATIONS, type SpcOptions } from '../../../src/analysis/spc/index.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { month, monthly } from './columns.js';

const increase: SpcOptions = { direction: 'increase' };

describe('spc(points, options): the spec §12 worked examples', () => {
  const example = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];

  it('screens out the two large moving ranges and flags only the 10', () => {
    const result = spc(monthly(example), increase);
    const [point] = result.points;
    expect(point!.mean).toBeCloseTo(1.9444, 4);
    expect(point!.upl).toBeCloseTo(4.6044, 4);
    expect(point!.lpl).toBeCloseTo(-0.7156, 4);
    const special = result.points.filter((p) => p.pointType !== 'common_cause');
    expect(special.map((p) => [p.value, p.pointType, p.rules])).toEqual([
      [10, 'special_cause_improvement', { beyond: true, trend: false, twoOfThree: false, shift: false }],
    ]);
  });

  it('still flags the 10 with screening off, against wider limits', () => {
    const result = spc(monthly(example), { ...increase, screen: false });
    expect(result.points[0]!.upl).toBeCloseTo(6.9515, 4);
    expect(result.points[0]!.lpl).toBeCloseTo(-3.0626, 4);
    expect(result.points.filter((p) => p.rules.beyond).map((p) => p.value)).toEqual([10]);
  });

  it('flags all of 0,1,…,7,6,…,1 with the types of spec §6, and shows concern (low)', () => {
    const result = spc(monthly([0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]), increase);
    expect(result.points[0]).toMatchObject({ mean: 3.5 });
    expect(result.points[0]!.upl).toBeCloseTo(6.16, 10);
    expect(result.points[0]!.lpl).toBeCloseTo(0.84, 10);
    expect(result.points.map((p) => p.pointType)).toEqual([
      'special_cause_concern', // 0 is below the lower limit
      ...Array(7).fill('special_cause_improvement'), // rising trend; the 7 is also above the upper limit
      ...Array(6).fill('special_cause_concern'), // falling trend
    ]);
    expect(result.variation).toBe('concern_low');
  });

  it('lets a point on the mean break a shift (eleven, eleven, eleven, ten, … about a mean of 10)', () => {
    const values = [10, 9, 10, 9, 10, 9, 11, 11, 11, 10, 11, 11, 11, 9, 10, 9, 10, 9];
    const result = spc(monthly(values), increase);
    expect(result.points[0]!.mean).toBe(10);
    expect(result.points.some((p) => p.rules.shift)).toBe(false);
  });
});

describe('spc(points, options): output', () => {
  it('has exactly the published JSON shape for every point', () => {
    const result = spc(monthly([1, 2, 3]), { direction: 'increase', target: 2 });
    expect(Object.keys(result)).toEqual(['points', 'variation', 'assurance', 'segments']);
    expect(Object.keys(result.points[0]!)).toEqual(['period', 'value', 'mean', 'lpl', 'upl', 'rules', 'pointType']);
    expect(Object.keys(result.points[0]!.rules)).toEqual(['beyond', 'trend', 'twoOfThree', 'shift']);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('shows undefined limits as null (a constant, screened baseline) and calls every point common cause', () => {
    const result = spc(monthly(Array(15).fill(50)), { direction: 'increase', target: 60 });
    expect(result.points.every((p) => p.lpl === null && p.upl === null && p.mean === 50)).toBe(true);
    expect(result.points.every((p) => p.pointType === 'common_cause')).toBe(true);
    expect(result.assurance).toBe('hit_and_miss');
  });

  it('puts every other point of a near-constant baseline outside its zero-width limits', () => {
    const result = spc(monthly([...Array(14).fill(5), 6]), increase);
    expect(result.points[0]!.lpl).toBe(result.points[0]!.upl);
    expect(result.points.map((p) => p.pointType)).toEqual([
      ...Array(14).fill('special_cause_concern'),
      'special_cause_improvement',
    ]);
  });

  it('keeps a missing value as null and common cause', () => {
    const result = spc(monthly([1, 2, null, 2, 1]), increase);
    expect(result.points[2]).toMatchObject({ value: null, pointType: 'common_cause' });
    expect(result.points[2]!.mean).toBeCloseTo(1.5, 12);
  });

  it('flags segments of fewer than 13 points as trial limits', () => {
    expect(spc(monthly(Array.from({ length: 12 }, (_, i) => i % 3)), increase).segments).toEqual([
      expect.objectContaining({ from: '2020-01', to: '2020-12', points: 12, trial: true }),
    ]);
    expect(spc(monthly(Array.from({ length: 13 }, (_, i) => i % 3)), increase).segments[0]!.trial).toBe(false);
  });

  it('sorts points by period and returns them in that order', () => {
    const result = spc([{ period: '2021-03', value: 3 }, { period: '2021-01', value: 1 }, { period: '2021-02-15', value: 2 }], increase);
    expect(result.points.map((p) => p.period)).toEqual(['2021-01', '2021-02-15', '2021-03']);
  });

  it('takes the variation icon from the latest point and the assurance icon from its limits', () => {
    const values = [...Array.from({ length: 20 }, (_, i) => 50 + (i % 3)), 80];
    expect(spc(monthly(values), { direction: 'decrease', target: 40 })).toMatchObject({ variation: 'concern_high', assurance: 'consistent_fail' });
    expect(spc(monthly(values), { direction: 'increase', target: 40 })).toMatchObject({ variation: 'improvement_high', assurance: 'consistent_pass' });
    expect(spc(monthly(values), { direction: 'neutral', target: 40 })).toMatchObject({ variation: 'neutral_high', assurance: null });
    expect(spc(monthly(values), { direction: 'increase' }).assurance).toBeNull();
  });

  it('gives an empty series no points, common cause and no assurance', () => {
    expect(spc([], { direction: 'increase', target: 1 })).toEqual({ points: [], variation: 'common_cause', assurance: null, segments: [] });
  });
});

describe('spc(points, options): rebase and fixAfter', () => {
  const noisy = (length: number, level: number) => Array.from({ length }, (_, i) => level + ((i * 7) % 5));

  it('starts new limits at each rebase period, twice', () => {
    const values = [...noisy(13, 10), ...noisy(13, 30), ...noisy(13, 50)];
    const result = spc(monthly(values), { ...increase, rebase: [month(13), month(26)] });
    expect(result.segments.map((s) => [s.from, s.points, s.mean])).toEqual([
      ['2020-01', 13, 12],
      ['2021-02', 13, 32],
      ['2022-03', 13, 52],
    ]);
    // Each segment's shift is judged against its own mean, so the steps are not special cause.
    expect(result.points.some((p) => p.rules.shift || p.rules.beyond)).toBe(false);
    const whole = spc(monthly(values), increase);
    expect(whole.points.filter((p) => p.pointType !== 'common_cause').length).toBeGreaterThan(20);
  });

  it('ignores rebase periods that match no point, and matches YYYY-MM to YYYY-MM-01', () => {
    const points = noisy(20, 0).map((value, i) => ({ period: `${month(i)}-01`, value }));
    const result = spc(points, { ...increase, rebase: ['1999-01', month(10)] });
    expect(result.segments.map((s) => s.from)).toEqual(['2020-01-01', '2020-11-01']);
  });

  it('freezes each segment\'s baseline after a rebase (spec §9: shift below a constant baseline)', () => {
    const values = [...noisy(20, 0), ...Array(12).fill(40), 39, 39, 39, 39, 39, 39, 39];
    const result = spc(monthly(values), { ...increase, rebase: [month(20)], fixAfter: 12 });
    const last = result.points.slice(20);
    expect(last.every((p) => p.mean === 40 && p.lpl === null && p.upl === null)).toBe(true);
    expect(last.slice(12).map((p) => p.pointType)).toEqual(Array(7).fill('special_cause_concern'));
    expect(last.slice(12).every((p) => p.rules.shift && !p.rules.beyond)).toBe(true);
    expect(result.variation).toBe('concern_low');
  });
});

describe('spc(points, options): rejects misuse', () => {
  const points = monthly(Array.from({ length: 15 }, (_, i) => i % 4));

  it('rejects fixAfter below 12', async () => {
    await expectPlanwatchError(() => spc(points, { ...increase, fixAfter: 11 }), 'E_USAGE');
    await expectPlanwatchError(() => spc(points, { ...increase, fixAfter: NaN }), 'E_USAGE');
  });

  it('rejects a period given twice, also as YYYY-MM and YYYY-MM-01', async () => {
    const error = await expectPlanwatchError(() => spc([...points, { period: '2020-03', value: 1 }], increase), 'E_USAGE');
    expect(error.message).toMatch(/2020-03.*more than once/);
    await expectPlanwatchError(() => spc([{ period: '2020-03', value: 1 }, { period: '2020-03-01', value: 2 }], increase), 'E_USAGE');
  });

  it('rejects malformed periods, values, directions and targets', async () => {
    await expectPlanwatchError(() => spc([{ period: '2020-13', value: 1 }], increase), 'E_USAGE');
    await expectPlanwatchError(() => spc([{ period: '2021-02-29', value: 1 }], increase), 'E_USAGE');
    await expectPlanwatchError(() => spc([{ period: 'March 2020', value: 1 }], increase), 'E_USAGE');
    await expectPlanwatchError(() => spc([{ period: '2020-01', value: Infinity }], increase), 'E_USAGE');
    await expectPlanwatchError(() => spc(points, { direction: 'up' as 'increase' }), 'E_USAGE');
    await expectPlanwatchError(() => spc(points, { ...increase, target: Number.NaN }), 'E_USAGE');
    await expectPlanwatchError(() => spc(points, { ...increase, rebase: ['2020/03'] }), 'E_USAGE');
  });

  it('accepts a leap day', () => {
    expect(spc([{ period: '2024-02-29', value: 1 }], increase).points).toHaveLength(1);
  });
});

describe('spcBatch(input)', () => {
  it('gives each series of a batch the same answers as spc() alone', () => {
    const a = [5, 6, 5, 7, 6, 5, 9, 10, 11, 12, 13, 14, 15, 5];
    const b = [30, 31, 29, 30, 28, 27, 26, 25, 24, 30, 31, 30, 32, 33, 40];
    const values = Float64Array.from([...a, ...b]);
    const batch = spcBatch({ values, offsets: [0, a.length, a.length + b.length], direction: ['increase', 'decrease'], target: Float64Array.from([20, NaN]) });
    const alone = [spc(monthly(a), { direction: 'increase', target: 20 }), spc(monthly(b), { direction: 'decrease' })];
    const fromBatch = (s: number, from: number, to: number) => ({
      pointTypes: Array.from(batch.pointType.subarray(from, to), (code) => POINT_TYPES[code]),
      means: Array.from(batch.mean.subarray(from, to)),
      variation: VARIATIONS[batch.variation[s]!],
      assurance: ASSURANCES[batch.assurance[s]!],
    });
    const fromAlone = (s: number) => ({
      pointTypes: alone[s]!.points.map((p) => p.pointType),
      means: alone[s]!.points.map((p) => p.mean),
      variation: alone[s]!.variation,
      assurance: alone[s]!.assurance,
    });
    expect(fromBatch(0, 0, a.length)).toEqual(fromAlone(0));
    expect(fromBatch(1, a.length, a.length + b.length)).toEqual(fromAlone(1));
  });

  it('handles an empty series among others', () => {
    const batch = spcBatch({ values: Float64Array.from([1, 2, 3]), offsets: [0, 0, 3], direction: 'increase', target: 2 });
    expect(Array.from(batch.assurance)).toEqual([0, ASSURANCES.indexOf('hit_and_miss')]);
  });

  it('rejects offsets that do not cover the values, and mismatched per-series options', async () => {
    const values = Float64Array.from([1, 2, 3]);
    await expectPlanwatchError(() => spcBatch({ values, offsets: [0, 2], direction: 'increase' }), 'E_USAGE');
    await expectPlanwatchError(() => spcBatch({ values, offsets: [0, 2, 1, 3], direction: 'increase' }), 'E_USAGE');
    await expectPlanwatchError(() => spcBatch({ values, offsets: [0, 3], direction: ['increase', 'decrease'] }), 'E_USAGE');
    await expectPlanwatchError(() => spcBatch({ values, offsets: [0, 3], direction: 'increase', rebase: new Uint8Array(2) }), 'E_USAGE');
  });
});
