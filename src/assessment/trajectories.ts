import type { Assessment } from '../analysis/assess.js';
import { comparatorOf, yearValue } from '../analysis/assess.js';
import { addMonths, monthsFrom, needed, peerImprovement, project, projectYear, verdict, type Needed, type Verdict } from '../analysis/trajectory.js';
import type { MeasureDefinition } from '../measures/index.js';
import type { MeasureValue } from '../measures/query.js';
import type { LoadedTarget } from '../targets/load.js';

/**
 * The road to a deadline for one organisation and target: the projection with its interval and
 * verdict, what it would take, and what peers achieved. Composed from the pure analysis; the
 * caller passes the series (and peers' series) already cut at the as-of month.
 */
export interface TargetProjection {
  /** The month (or financial year) projected. */
  period: string;
  value: number;
  low: number;
  high: number;
  verdict: Verdict;
  /** The threshold judged against (relative targets: the organisation's own). */
  threshold: number;
  method: 'seasonal' | 'level';
  calibration: 'empirical' | 'model';
}

export interface TargetNeeded extends Needed {
  /** What peers at the same level achieved over the same span: median and 90th percentile a month. */
  peers: { median: number; p90: number; observations: number } | null;
}

/** What peers achieved from a month to a deadline, as peerImprovement gives it: stored at ingest (peer-stats.ts). */
export type PeerStats = { median: number; p90: number; observations: number } | null;
export type PeerStatsLookup = (from: string, deadline: string) => PeerStats;

export interface Road {
  projection: TargetProjection | null;
  needed: TargetNeeded | null;
}

export function dueOf(target: LoadedTarget): string | null {
  if ('month' in target.period) return target.period.month;
  if ('financial_year' in target.period) return `${Number(target.period.financial_year.slice(0, 4)) + 1}-03`;
  return null;
}

/**
 * For a target not yet due: the projection at its deadline and, when the latest figure does not
 * meet it, the steady monthly change needed. Standing standards and targets already due get none.
 */
export function roadTo(
  target: LoadedTarget,
  measure: MeasureDefinition,
  assessment: Pick<Assessment, 'threshold' | 'final'>,
  series: readonly MeasureValue[],
  asOf: string,
  peers?: ReadonlyMap<string, readonly MeasureValue[]> | PeerStatsLookup,
): Road {
  const due = dueOf(target);
  if (!due || due <= asOf || assessment.final) return { projection: null, needed: null };
  const known = series.filter((point) => point.period <= asOf);
  const latest = known.filter((point) => point.value !== null).at(-1);
  if (!latest) return { projection: null, needed: null };
  const comparator = comparatorOf(target, measure.direction);
  // Percentages lie in 0–100; counts and times are never negative.
  const options = { bounds: (measure.unit === 'percent' ? [0, 100] : [0, Infinity]) as [number, number] };
  const scale = measure.unit === 'percent' ? 100 : 1;

  let threshold = assessment.threshold;
  let projection: TargetProjection | null = null;
  if ('financial_year' in target.period) {
    const year = target.period.financial_year;
    const average = target.period.average ?? 'pooled';
    const weighted = known.map((point) => ({ period: point.period, value: point.value, weight: point.denominator }));
    if (target.comparator === 'improve_on_previous_year') {
      // The whole previous year, projected where it is not yet in.
      const start = Number(year.slice(0, 4));
      const previousYear = `${start - 1}/${String(start % 100).padStart(2, '0')}`;
      const previous = known.filter((point) => point.period >= `${start - 1}-04` && point.period <= `${start}-03`);
      threshold = previous.length === 12 ? yearValue(previous, scale, average) : (projectYear(weighted, previousYear, asOf, { ...options, average })?.value ?? null);
    }
    const projected = projectYear(weighted, year, asOf, { ...options, average });
    if (projected && threshold !== null) {
      projection = { period: year, value: projected.value, low: projected.low, high: projected.high, verdict: verdict(projected, comparator, threshold), threshold, method: projected.method, calibration: projected.calibration };
    }
  } else {
    if (target.comparator === 'improve_on_previous_year') {
      threshold = known.find((point) => point.period === `${Number(due.slice(0, 4)) - 1}${due.slice(4)}`)?.value ?? null;
    }
    const projected = project(known, due, asOf, options);
    if (projected && threshold !== null) {
      projection = { period: due, value: projected.value, low: projected.low, high: projected.high, verdict: verdict(projected, comparator, threshold), threshold, method: projected.method, calibration: projected.calibration };
    }
  }
  if (threshold === null) return { projection, needed: null };

  const latestMeets = comparator === '>=' || comparator === '>' ? latest.value! >= threshold : latest.value! <= threshold;
  if (latestMeets) return { projection, needed: null };
  let steady = needed(latest.value!, latest.period, threshold, due, measure.unit, latest.denominator);
  if (steady && 'financial_year' in target.period) {
    // A whole-year target: the months still to come must average what the year still needs. A
    // steady change of s a month from the latest figure puts month j months ahead at latest + s·j,
    // so s = (still needed − latest) ÷ the mean of those j.
    const start = `${target.period.financial_year.slice(0, 4)}-04`;
    const yearMonths = Array.from({ length: 12 }, (_, i) => addMonths(start, i));
    const inYear = known.filter((point) => point.period >= start && yearMonths.includes(point.period) && point.value !== null);
    const toCome = yearMonths.filter((month) => month > latest.period);
    if (toCome.length === 0) steady = null;
    else {
      const stillNeeded = (threshold * 12 - inYear.reduce((sum, point) => sum + point.value!, 0)) / toCome.length;
      const meanAhead = toCome.reduce((sum, month) => sum + monthsFrom(latest.period, month), 0) / toCome.length;
      const perMonth = (stillNeeded - latest.value!) / meanAhead;
      steady = { ...steady, perMonth, patientsPerMonth: measure.unit === 'percent' && latest.denominator !== null ? (perMonth / 100) * latest.denominator : measure.unit === 'count' ? perMonth : null };
    }
  }
  if (!steady) return { projection, needed: null };
  const peerStats = !peers ? null : typeof peers === 'function' ? peers(latest.period, due) : peerImprovement(peers, latest.period, due, measure.direction, asOf);
  return { projection, needed: { ...steady, peers: peerStats } };
}

/** Months from the as-of month to a deadline, for wording ("in 5 months"). */
export function monthsTo(asOf: string, due: string): number {
  return monthsFrom(asOf, due);
}
