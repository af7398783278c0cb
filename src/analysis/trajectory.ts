/**
 * Trajectories: where an organisation's monthly series is likely to be at a deadline, with an
 * interval, and a verdict against the target's threshold. Pure: the caller passes the series and
 * the month it is known up to (as-of); nothing here reads the clock. See README.md in this folder
 * for the method and why it was chosen.
 */
import type { Better, Comparator } from './assess.js';
import { meets } from './assess.js';
import { addMonths, monthIndex, monthsFrom } from '../dimensions.js';

// Period arithmetic lives in src/dimensions.ts; re-exported for the callers of this module.
export { addMonths, monthsFrom };

export interface TrajectoryPoint {
  period: string;
  value: number | null;
}

export type Verdict = 'on_track' | 'at_risk' | 'off_track';

export interface Projection {
  /** The month projected ('YYYY-MM'). */
  period: string;
  value: number;
  /** The central 80% interval. */
  low: number;
  high: number;
  /** seasonal: same month a year earlier plus the recent year-on-year change; level: recent level (under 13 months of history). */
  method: 'seasonal' | 'level';
  /** empirical: quantiles of the series' own past errors at this horizon; model: a normal interval from its residual spread. */
  calibration: 'empirical' | 'model';
  /** Months from the last figure to the projected month. */
  horizon: number;
}

export interface TrajectoryOptions {
  /** Months where the series changes basis (mergers): only figures from the latest rebase on are used. */
  rebase?: readonly string[];
  /** Values are clamped into this range (0–100 for percentages). */
  bounds?: readonly [number, number];
}

/** Year-on-year changes averaged to estimate the current drift: three months, one season's worth. */
const DRIFT_MONTHS = 3;
/** Errors needed before the interval is taken from them rather than from a normal model. */
const MIN_ERRORS = 8;
/** The interval is the central 80%: 10th to 90th percentile. */
const LOWER = 0.1;
const UPPER = 0.9;
const Z80 = 1.2815515655446004;


/** The usable history: figures up to `asOf`, from the latest rebase on, as a month → value map. */
function history(series: readonly TrajectoryPoint[], asOf: string, rebase: readonly string[] = []): { values: Map<string, number>; last: string } | undefined {
  const start = [...rebase].filter((month) => month <= asOf).sort().at(-1) ?? '0000-01';
  const values = new Map<string, number>();
  for (const point of series) {
    if (point.value !== null && Number.isFinite(point.value) && point.period >= start && point.period <= asOf) values.set(point.period, point.value);
  }
  const last = [...values.keys()].sort().at(-1);
  return last ? { values, last } : undefined;
}

/** Point forecast of `target` from figures known up to `origin`, or null when the history is too short. */
function pointForecast(values: ReadonlyMap<string, number>, origin: string, target: string): { value: number; method: 'seasonal' | 'level' } | null {
  return forecastAt(byMonthIndex(values), monthIndex(origin), monthIndex(target));
}

// The figures by month number (dimensions.monthIndex), made once per series: pastErrors forecasts
// from every month of it, and stepping through months as strings was most of a status's time.
const indexed = new WeakMap<ReadonlyMap<string, number>, Map<number, number>>();

function byMonthIndex(values: ReadonlyMap<string, number>): Map<number, number> {
  let numbered = indexed.get(values);
  if (!numbered) {
    numbered = new Map();
    for (const [period, value] of values) numbered.set(monthIndex(period), value);
    indexed.set(values, numbered);
  }
  return numbered;
}

function forecastAt(values: ReadonlyMap<number, number>, origin: number, target: number): { value: number; method: 'seasonal' | 'level' } | null {
  // The recent year-on-year change: the mean over the last DRIFT_MONTHS months that have a figure
  // a year earlier too. It carries the trend (improving or worsening year on year) while the
  // same-month anchor carries the season (A&E's winter, cancer's August and December dips).
  const changes: number[] = [];
  for (let k = 0; k < 12 && changes.length < DRIFT_MONTHS; k++) {
    const month = origin - k;
    const now = values.get(month);
    const before = values.get(month - 12);
    if (now !== undefined && before !== undefined) changes.push(now - before);
  }
  if (changes.length > 0) {
    const drift = changes.reduce((sum, change) => sum + change, 0) / changes.length;
    // Anchor on the latest known same month: a year back, or two or three years when the
    // deadline is further off or a month is missing, carrying the drift once per year stepped.
    for (let years = 1; years <= 3; years++) {
      const anchorMonth = target - 12 * years;
      const anchor = anchorMonth <= origin ? values.get(anchorMonth) : undefined;
      if (anchor !== undefined) return { value: anchor + years * drift, method: 'seasonal' };
    }
  }
  // Under a year of history (or no same-month anchor): the mean of the last three figures, with no
  // trend — a straight line through a few months of a seasonal series misleads more than it tells.
  const recent: number[] = [];
  for (let k = 0; k < 6 && recent.length < 3; k++) {
    const value = values.get(origin - k);
    if (value !== undefined) recent.push(value);
  }
  if (recent.length === 0) return null;
  return { value: recent.reduce((sum, value) => sum + value, 0) / recent.length, method: 'level' };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * The split-conformal order statistic: with n past errors, the ⌈(n+1)q⌉-th smallest (⌊(n+1)q⌋-th
 * for the lower tail), so a short error history gives a wider interval rather than an
 * overconfident one. `sorted` is ascending.
 */
function conformal(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  const rank = q >= 0.5 ? Math.min(n, Math.ceil((n + 1) * q)) : Math.max(1, Math.floor((n + 1) * q));
  return sorted[rank - 1]!;
}

/**
 * The series' own errors at `horizon`: for every earlier month it could have been projected from,
 * the figure that came in minus what the method would have said then.
 */
export function pastErrors(values: ReadonlyMap<string, number>, last: string, horizon: number): number[] {
  const numbered = byMonthIndex(values);
  const months = [...numbered.keys()].sort((a, b) => a - b);
  const end = monthIndex(last);
  const errors: number[] = [];
  for (const origin of months) {
    const target = origin + horizon;
    if (target > end) break;
    const actual = numbered.get(target);
    if (actual === undefined) continue;
    const forecast = forecastAt(numbered, origin, target);
    if (forecast && forecast.method === 'seasonal') errors.push(actual - forecast.value);
  }
  return errors;
}

/**
 * Projects the series' value in month `target` as known at `asOf` (figures after it are ignored),
 * with a central 80% interval. Null when there is no figure to start from, or the target month
 * is not after the last figure.
 */
export function project(series: readonly TrajectoryPoint[], target: string, asOf: string, options: TrajectoryOptions = {}): Projection | null {
  const known = history(series, asOf, options.rebase);
  if (!known) return null;
  const { values, last } = known;
  const horizon = monthsFrom(last, target);
  if (horizon <= 0) return null;
  const forecast = pointForecast(values, last, target);
  if (!forecast) return null;
  let low: number;
  let high: number;
  let calibration: Projection['calibration'];
  const errors = forecast.method === 'seasonal' ? pastErrors(values, last, Math.min(horizon, 12)).sort((a, b) => a - b) : [];
  // Past errors exist only up to a year ahead in most series; beyond it the spread grows as the
  // square root of the years stepped (the drift is carried once per year).
  const years = Math.ceil(horizon / 12);
  const widen = horizon > 12 ? Math.sqrt(years) : 1;
  if (errors.length >= MIN_ERRORS) {
    low = forecast.value + widen * conformal(errors, LOWER);
    high = forecast.value + widen * conformal(errors, UPPER);
    calibration = 'empirical';
  } else {
    const spread = modelSpread(values, last, horizon, forecast.method);
    low = forecast.value - Z80 * spread;
    high = forecast.value + Z80 * spread;
    calibration = 'model';
  }
  const clamp = (value: number) => (options.bounds ? Math.min(options.bounds[1], Math.max(options.bounds[0], value)) : value);
  return { period: target, value: clamp(forecast.value), low: clamp(Math.min(low, forecast.value)), high: clamp(Math.max(high, forecast.value)), method: forecast.method, calibration, horizon };
}

/**
 * A normal model's standard deviation when the series has too few past errors: for the seasonal
 * method, the spread of its year-on-year changes (each projection rests on one such change, plus
 * the uncertainty of the drift); for the level method, a random walk's spread of month-to-month
 * changes growing with the square root of the horizon.
 */
function modelSpread(values: ReadonlyMap<string, number>, last: string, horizon: number, method: 'seasonal' | 'level'): number {
  const months = [...values.keys()].sort();
  const differences = (lag: number) => months
    .filter((month) => values.has(addMonths(month, -lag)))
    .map((month) => values.get(month)! - values.get(addMonths(month, -lag))!);
  const monthly = differences(1);
  const monthlySpread = standardDeviation(monthly) || Math.max(0, ...monthly.map(Math.abs));
  if (method === 'seasonal') {
    // A seasonal projection rests on one year-on-year change plus the drift's uncertainty. With
    // under six such changes their spread is not measured reliably (13 months give one): take the
    // month-to-month spread, which includes the season and so errs wide, when it is larger.
    const yearly = differences(12);
    const yearlySpread = yearly.length >= 6 ? standardDeviation(yearly) : Math.max(standardDeviation(yearly), monthlySpread);
    return yearlySpread * Math.sqrt(Math.ceil(horizon / 12)) * Math.sqrt(1 + 1 / DRIFT_MONTHS);
  }
  // A random walk: month-to-month spread growing with the square root of the horizon. With one
  // or two figures the largest move seen stands in for the spread.
  return monthlySpread * Math.sqrt(horizon);
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

/**
 * On track when the whole interval meets the threshold, off track when none of it does, at risk
 * when the threshold lies inside it: the verdict never claims more than the interval supports.
 */
export function verdict(projection: Pick<Projection, 'value' | 'low' | 'high'>, comparator: Comparator, threshold: number): Verdict {
  const lowMeets = meets(projection.low, comparator, threshold);
  const highMeets = meets(projection.high, comparator, threshold);
  if (lowMeets && highMeets) return 'on_track';
  if (!lowMeets && !highMeets && !meets(projection.value, comparator, threshold)) return 'off_track';
  return 'at_risk';
}

export interface YearProjection {
  value: number;
  low: number;
  high: number;
  /** Months of the year with a figure, and those projected. */
  knownMonths: number;
  projectedMonths: number;
  method: Projection['method'];
  calibration: Projection['calibration'];
}

export interface WeightedPoint extends TrajectoryPoint {
  /** The month's denominator (attendances, incidents), weighting it in a pooled year. */
  weight: number | null;
}

/**
 * A whole financial year's figure as known at `asOf`: the months in hand plus each remaining
 * month projected, pooled by weight (each projected month weighted like the same month a year
 * earlier, else the mean weight) or averaged. The interval takes the monthly errors as fully
 * correlated — they share one drift — so it is the weighted mean of the monthly bounds.
 */
export function projectYear(series: readonly WeightedPoint[], financialYear: string, asOf: string, options: TrajectoryOptions & { average?: 'pooled' | 'mean_of_months' } = {}): YearProjection | null {
  const start = Number(financialYear.slice(0, 4));
  const months = Array.from({ length: 12 }, (_, i) => addMonths(`${start}-04`, i));
  const byMonth = new Map(series.filter((point) => point.period <= asOf).map((point) => [point.period, point]));
  const weights = series.filter((point) => point.period <= asOf && point.weight !== null && point.weight > 0).map((point) => point.weight!);
  const meanWeight = weights.length > 0 ? weights.reduce((sum, weight) => sum + weight, 0) / weights.length : 1;
  let total = 0;
  let low = 0;
  let high = 0;
  let weightSum = 0;
  let knownMonths = 0;
  let projectedMonths = 0;
  let method: Projection['method'] = 'seasonal';
  let calibration: Projection['calibration'] = 'empirical';
  for (const month of months) {
    const known = byMonth.get(month);
    if (known && known.value !== null) {
      const weight = options.average === 'mean_of_months' ? 1 : (known.weight ?? meanWeight);
      total += weight * known.value;
      low += weight * known.value;
      high += weight * known.value;
      weightSum += weight;
      knownMonths++;
      continue;
    }
    if (month <= asOf) continue;
    const projection = project(series, month, asOf, options);
    if (!projection) return null;
    const weight = options.average === 'mean_of_months' ? 1 : (byMonth.get(addMonths(month, -12))?.weight ?? meanWeight);
    total += weight * projection.value;
    low += weight * projection.low;
    high += weight * projection.high;
    weightSum += weight;
    projectedMonths++;
    if (projection.method === 'level') method = 'level';
    if (projection.calibration === 'model') calibration = 'model';
  }
  if (weightSum === 0 || projectedMonths === 0) return null;
  return { value: total / weightSum, low: low / weightSum, high: high / weightSum, knownMonths, projectedMonths, method, calibration };
}

export interface Needed {
  /** Steady change a month, in the measure's unit, from the latest figure to the threshold at the deadline. */
  perMonth: number;
  /** The same in patients a month at the latest month's volume (percentages), or the count itself; null for times. */
  patientsPerMonth: number | null;
  /** Months from the latest figure to the deadline. */
  months: number;
}

/**
 * What it would take: the steady monthly change from `latest` (a value in `from`) to `threshold`
 * by `deadline`. For a percentage, `denominator` (the latest month's list or attendances) turns
 * points into patients: 1 point of 60,000 attendances is 600 more patients within 4 hours.
 */
export function needed(latest: number, from: string, threshold: number, deadline: string, unit: 'percent' | 'count' | 'seconds' | 'weeks' | 'ratio', denominator: number | null): Needed | null {
  const months = monthsFrom(from, deadline);
  if (months <= 0) return null;
  const perMonth = (threshold - latest) / months;
  const patientsPerMonth = unit === 'percent' ? (denominator === null ? null : (perMonth / 100) * denominator) : unit === 'count' ? perMonth : null;
  return { perMonth, patientsPerMonth, months };
}

/**
 * What comparable organisations achieved: per organisation and earlier year, the change a month
 * over the same calendar span as from→deadline (or, for spans over a year, any span of that
 * length), in the better direction. Returns the median and 90th percentile, or null with fewer
 * than 5 observations.
 */
export function peerImprovement(seriesByOrg: ReadonlyMap<string, readonly TrajectoryPoint[]>, from: string, deadline: string, better: Better, asOf: string): { median: number; p90: number; observations: number } | null {
  return peerImprovementIn(indexPeers(seriesByOrg, asOf), from, deadline, better);
}

/**
 * Every peer's figures up to `asOf`, read once for many (from, deadline) questions: the stored
 * peer figures ask hundreds of them of the same peers at ingest, and rebuilding each peer's map
 * per question took seconds (issue 10 item 5). Answers are cached by what they depend on: the
 * span, and for spans within a year the calendar month it starts in.
 */
export interface PeerIndex {
  readonly asOf: number;
  /** Per organisation: months with a figure (in series order, first occurrence) and the figure (the last given for the month). */
  readonly orgs: readonly { months: Int32Array; values: Float64Array; first: number; has: Uint8Array; at: Float64Array }[];
  readonly answers: Map<string, number[] | null>;
}

export function indexPeers(seriesByOrg: ReadonlyMap<string, readonly TrajectoryPoint[]>, asOf: string): PeerIndex {
  const orgs: PeerIndex['orgs'][number][] = [];
  for (const series of seriesByOrg.values()) {
    const values = new Map<string, number>();
    for (const point of series) if (point.value !== null && point.period <= asOf) values.set(point.period, point.value);
    const months = Int32Array.from(values.keys(), monthIndex);
    const figures = Float64Array.from(values.values());
    const first = months.length > 0 ? Math.min(...months) : 0;
    const size = months.length > 0 ? Math.max(...months) - first + 1 : 0;
    const has = new Uint8Array(size);
    const at = new Float64Array(size);
    months.forEach((month, i) => {
      has[month - first] = 1;
      at[month - first] = figures[i]!;
    });
    orgs.push({ months, values: figures, first, has, at });
  }
  return { asOf: monthIndex(asOf), orgs, answers: new Map() };
}

/** peerImprovement over an index built once for many questions. */
export function peerImprovementIn(index: PeerIndex, from: string, deadline: string, better: Better): { median: number; p90: number; observations: number } | null {
  const span = monthsFrom(from, deadline);
  if (span <= 0) return null;
  const sign = better === 'decrease' ? -1 : 1;
  const calendarMonth = span <= 12 ? monthIndex(from) % 12 : -1;
  const key = `${span}|${calendarMonth}|${sign}`;
  let rates = index.answers.get(key);
  if (rates === undefined) {
    const found: number[] = [];
    for (const org of index.orgs) {
      for (let i = 0; i < org.months.length; i++) {
        const month = org.months[i]!;
        const end = month + span;
        if (end > index.asOf) continue;
        // A span within a year compares the same months of the year (October to March), since the
        // season alone moves these measures; longer spans take any start month.
        if (calendarMonth >= 0 && month % 12 !== calendarMonth) continue;
        const slot = end - org.first;
        if (slot < org.has.length && org.has[slot] === 1) found.push((sign * (org.at[slot]! - org.values[i]!)) / span);
      }
    }
    rates = found.length < 5 ? null : found.sort((a, b) => a - b);
    index.answers.set(key, rates);
  }
  if (rates === null) return null;
  return { median: sign * quantile(rates, 0.5), p90: sign * quantile(rates, 0.9), observations: rates.length };
}

export interface BacktestCase {
  /** What is projected: one organisation's series, the month projected and the month it is projected from. */
  org: string;
  series: readonly TrajectoryPoint[];
  deadline: string;
  asOf: string;
  comparator?: Comparator;
  threshold?: number;
}

export interface BacktestSummary {
  /** Organisations with a projection and a figure for the deadline. */
  n: number;
  /** Share of those whose figure fell inside the 80% interval. */
  coverage: number | null;
  /** Mean absolute error of the projection, in the measure's unit. */
  meanAbsoluteError: number | null;
  /** Mean of (figure − projection): positive when projections ran low. */
  bias: number | null;
  /** Verdicts given, and how many of the on-track and off-track ones the figure bore out. */
  verdicts: { onTrack: number; onTrackMet: number; atRisk: number; atRiskMet: number; offTrack: number; offTrackMissed: number } | null;
  /** Organisations with a figure at the deadline but too little history to project. */
  notProjected: number;
}

/**
 * Runs the trajectory on cases whose outcome is known, as a held-out check: each projection sees
 * only the figures up to its as-of month, and is compared with the figure that came in.
 */
export function backtest(cases: readonly BacktestCase[], options: TrajectoryOptions = {}): BacktestSummary {
  const outcomes: BacktestOutcome[] = [];
  let notProjected = 0;
  for (const item of cases) {
    const actual = item.series.find((point) => point.period === item.deadline)?.value ?? null;
    if (actual === null) continue;
    const projection = project(item.series, item.deadline, item.asOf, options);
    if (projection) outcomes.push({ actual, projection, comparator: item.comparator, threshold: item.threshold });
    else notProjected++;
  }
  return scoreBacktest(outcomes, notProjected);
}

/** One held-out projection beside the figure that came in. */
export interface BacktestOutcome {
  actual: number;
  projection: Pick<Projection, 'value' | 'low' | 'high'>;
  comparator?: Comparator | null | undefined;
  threshold?: number | null | undefined;
}

/**
 * Scores held-out projections: interval coverage, error, bias, and how often each verdict was
 * borne out. Verdicts are counted only when the outcomes carry a target to judge against.
 */
export function scoreBacktest(outcomes: readonly BacktestOutcome[], notProjected: number): BacktestSummary {
  let covered = 0;
  let absolute = 0;
  let signed = 0;
  const verdicts = { onTrack: 0, onTrackMet: 0, atRisk: 0, atRiskMet: 0, offTrack: 0, offTrackMissed: 0 };
  let judged = false;
  for (const { actual, projection, comparator, threshold } of outcomes) {
    if (actual >= projection.low && actual <= projection.high) covered++;
    absolute += Math.abs(actual - projection.value);
    signed += actual - projection.value;
    if (!comparator || threshold === undefined || threshold === null) continue;
    judged = true;
    const met = meets(actual, comparator, threshold);
    const said = verdict(projection, comparator, threshold);
    if (said === 'on_track') {
      verdicts.onTrack++;
      if (met) verdicts.onTrackMet++;
    } else if (said === 'off_track') {
      verdicts.offTrack++;
      if (!met) verdicts.offTrackMissed++;
    } else {
      verdicts.atRisk++;
      if (met) verdicts.atRiskMet++;
    }
  }
  const n = outcomes.length;
  return {
    n,
    coverage: n === 0 ? null : covered / n,
    meanAbsoluteError: n === 0 ? null : absolute / n,
    bias: n === 0 ? null : signed / n,
    verdicts: judged ? verdicts : null,
    notProjected,
  };
}
