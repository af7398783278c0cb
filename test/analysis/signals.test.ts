import { describe, expect, it } from 'vitest';
import { RECORD_MIN_HISTORY, detectAgainstTrend, detectRecord, detectSpecialCause, detectTargetChange } from '../../src/analysis/signals.js';
import { addMonths } from '../../src/measures/periods.js';

/** A made-up monthly series from 2020-01, one value per month. */
const series = (values: (number | null)[], first = '2020-01') => values.map((value, i) => ({ period: addMonths(first, i), value }));
const flat = (n: number, value = 50) => Array.from({ length: n }, (_, i) => value + (i % 2));

describe('detectRecord(org, metric, series, period)', () => {
  it('finds a new record high, naming the previous one', () => {
    const s = series([...flat(RECORD_MIN_HISTORY), 60]);
    const last = s.at(-1)!.period;
    expect(detectRecord('ENG', 'ae_dta_12hr', s, last)).toMatchObject({ kind: 'record_high', value: 60, previous: { value: 51 } });
  });
  it('finds a record low, and nothing for a figure inside the range', () => {
    const s = series([...flat(RECORD_MIN_HISTORY), 40, 50.5]);
    expect(detectRecord('ENG', 'm', s, s.at(-2)!.period)?.kind).toBe('record_low');
    expect(detectRecord('ENG', 'm', s, s.at(-1)!.period)).toBeUndefined();
  });
  it('needs two years of earlier figures before calling anything a record', () => {
    const s = series([...flat(RECORD_MIN_HISTORY - 1), 99]);
    expect(detectRecord('ENG', 'm', s, s.at(-1)!.period)).toBeUndefined();
  });
  it('says nothing for a month without a figure', () => {
    const s = series([...flat(RECORD_MIN_HISTORY), null]);
    expect(detectRecord('ENG', 'm', s, s.at(-1)!.period)).toBeUndefined();
  });
});

describe('detectSpecialCause(org, metric, series, period, direction)', () => {
  it('signals the month a point goes beyond the limits, once', () => {
    const s = series([...flat(30), 90, 91]);
    expect(detectSpecialCause('RAA', 'ae_4hr', s, s.at(-2)!.period, 'increase')).toMatchObject({ kind: 'special_cause', pointType: 'special_cause_improvement' });
    // The next month continues the same signal: not new.
    expect(detectSpecialCause('RAA', 'ae_4hr', s, s.at(-1)!.period, 'increase')).toBeUndefined();
  });
  it('calls a high point concern when lower is better', () => {
    const s = series([...flat(30), 90]);
    expect(detectSpecialCause('RAA', 'ae_dta_12hr', s, s.at(-1)!.period, 'decrease')?.pointType).toBe('special_cause_concern');
  });
  it('says nothing for common cause variation', () => {
    const s = series(flat(30));
    expect(detectSpecialCause('RAA', 'ae_4hr', s, s.at(-1)!.period, 'increase')).toBeUndefined();
  });
});

describe('detectTargetChange(org, metric, series, period, comparator, threshold)', () => {
  it('finds a target newly met and newly missed, and nothing when unchanged', () => {
    const s = series([70, 80, 75, 74]);
    expect(detectTargetChange('ENG', 'cwt_fds', s, s[1]!.period, '>=', 77)).toMatchObject({ kind: 'target_met', previous: { value: 70 } });
    expect(detectTargetChange('ENG', 'cwt_fds', s, s[2]!.period, '>=', 77)?.kind).toBe('target_missed');
    expect(detectTargetChange('ENG', 'cwt_fds', s, s[3]!.period, '>=', 77)).toBeUndefined();
  });
});

describe('detectAgainstTrend(org, dta12, fourHour, england, period, yearEarlier)', () => {
  const england = series([1000, ...flat(11), 800]);
  it('finds a trust with more 12-hour waits while England had fewer and its 4-hour performance improved', () => {
    const signal = detectAgainstTrend('RAA', series([10, ...flat(11), 30]), series([70, ...flat(11), 74]), england, '2021-01', '2020-01');
    expect(signal).toMatchObject({ kind: 'against_trend', value: 30, changes: { own: 20, england: -200, fourHour: 4 } });
  });
  it('says nothing when the trust moved with England, or its 4-hour performance fell', () => {
    expect(detectAgainstTrend('RAA', series([30, ...flat(11), 10]), series([70, ...flat(11), 74]), england, '2021-01', '2020-01')).toBeUndefined();
    expect(detectAgainstTrend('RAA', series([10, ...flat(11), 30]), series([74, ...flat(11), 70]), england, '2021-01', '2020-01')).toBeUndefined();
  });
});
