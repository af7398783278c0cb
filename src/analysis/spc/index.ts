import { PlanwatchError } from '../../errors.js';
import { checkDirection, checkFixAfter, spcBatch } from './batch.js';
import { ASSURANCES, POINT_TYPES, VARIATIONS, type Assurance, type Direction, type PointType, type Variation } from './icons.js';

export { spcBatch, type SpcBatchInput, type SpcBatchResult } from './batch.js';
export { ASSURANCES, DIRECTIONS, POINT_TYPES, VARIATIONS, type Assurance, type Direction, type PointType, type Variation } from './icons.js';
export { TRIAL_BELOW } from './limits.js';

export interface SpcInputPoint {
  /** 'YYYY-MM' or 'YYYY-MM-DD'. */
  period: string;
  /** null (or NaN) = missing: it breaks runs and trends and gets no flag. */
  value: number | null;
}

export interface SpcOptions {
  /** Which way is better; neutral measures get no assurance icon. */
  direction: Direction;
  /** The target the assurance icon compares with the latest limits. */
  target?: number | null | undefined;
  /** Periods at which a new segment (new mean and limits) starts. Periods that match no point are ignored. */
  rebase?: readonly string[] | undefined;
  /** Fix each segment's limits on its first N points (N ≥ 12); later points are judged against them. */
  fixAfter?: number | undefined;
  /** Screen large moving ranges before averaging them (default true; false matches the MDC Excel tools). */
  screen?: boolean | undefined;
}

export interface SpcRules {
  /** R1, beyond the process limits. */
  beyond: boolean;
  /** R2, part of a 7-point trend. */
  trend: boolean;
  /** R3, two of three points beyond 2σ on one side. */
  twoOfThree: boolean;
  /** R4, part of 7 points on one side of the mean. */
  shift: boolean;
}

export interface SpcPoint {
  period: string;
  value: number | null;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  /** Each rule's own verdict, before precedence picks the one that sets pointType. */
  rules: SpcRules;
  pointType: PointType;
}

/**
 * One stretch between rebases with its own limits. Fewer than 13 points makes them trial limits
 * (spec §8): computed and used as usual, but to be shown as provisional.
 */
export interface SpcSegment {
  from: string;
  to: string;
  points: number;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  trial: boolean;
}

export interface SpcResult {
  /** In period order, one per input point. */
  points: SpcPoint[];
  /** From the latest point. */
  variation: Variation;
  /** null without a target, for a neutral measure, or for an empty series. */
  assurance: Assurance | null;
  /** The trial-limit flag lives here, per segment, so each point keeps exactly the published shape. */
  segments: SpcSegment[];
}

/**
 * Statistical process control the Making Data Count way (XmR chart, four special-cause rules,
 * variation and assurance icons), with the answers NHSRplotthedots 0.2.2 gives: see
 * shared/specs/spc.md. Points are sorted by period; a period may appear only once.
 */
export function spc(points: readonly SpcInputPoint[], options: SpcOptions): SpcResult {
  checkOptions(options);
  const order = inPeriodOrder(points);
  const n = order.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = points[order[i]!]!.value ?? NaN;
  const rebase = rebaseFlags(points, order, options.rebase);
  const result = spcBatch({
    values,
    offsets: [0, n],
    rebase,
    direction: options.direction,
    target: options.target ?? undefined,
    fixAfter: options.fixAfter,
    screen: options.screen,
  });

  const out: SpcPoint[] = new Array(n);
  const segments: SpcSegment[] = [];
  for (let i = 0; i < n; i++) {
    const { period } = points[order[i]!]!;
    const point: SpcPoint = {
      period,
      value: orNull(values[i]!),
      mean: orNull(result.mean[i]!),
      lpl: orNull(result.lpl[i]!),
      upl: orNull(result.upl[i]!),
      rules: {
        beyond: result.beyond[i] !== 0,
        trend: result.trend[i] !== 0,
        twoOfThree: result.twoOfThree[i] !== 0,
        shift: result.shift[i] !== 0,
      },
      pointType: POINT_TYPES[result.pointType[i]!]!,
    };
    out[i] = point;
    if (i === 0 || rebase?.[i] === 1) {
      const { mean, lpl, upl } = point;
      segments.push({ from: period, to: period, points: 0, mean, lpl, upl, trial: result.trial[i] === 1 });
    }
    const segment = segments[segments.length - 1]!;
    segment.to = period;
    segment.points++;
  }
  return {
    points: out,
    variation: VARIATIONS[result.variation[0] ?? 0]!,
    assurance: ASSURANCES[result.assurance[0] ?? 0] ?? null,
    segments,
  };
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function checkOptions(options: SpcOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new PlanwatchError('E_USAGE', 'spc: options are required, e.g. { direction: "increase" }.');
  }
  checkDirection(options.direction);
  checkFixAfter(options.fixAfter);
  const { target } = options;
  if (target !== undefined && target !== null && !(typeof target === 'number' && Number.isFinite(target))) {
    throw new PlanwatchError('E_USAGE', `spc: target must be a finite number; found ${String(target)}.`);
  }
  if (options.rebase !== undefined && !Array.isArray(options.rebase)) {
    throw new PlanwatchError('E_USAGE', 'spc: rebase must be a list of periods.');
  }
  for (const period of options.rebase ?? []) periodNumber(period, 'a rebase period');
}

/**
 * Positions of the points in period order (the reference sorts by date; the sort is stable and
 * skipped when the input is already in order). Rejects bad periods, bad values and duplicates.
 */
function inPeriodOrder(points: readonly SpcInputPoint[]): Int32Array {
  if (!Array.isArray(points)) throw new PlanwatchError('E_USAGE', 'spc: points must be an array of { period, value }.');
  const n = points.length;
  const keys = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const point = points[i];
    const value: unknown = point?.value;
    if (value !== null && typeof value !== 'number') {
      throw new PlanwatchError('E_USAGE', `spc: point ${i + 1} has value ${String(value)}; expected a number or null.`);
    }
    if (value === Infinity || value === -Infinity) {
      throw new PlanwatchError('E_USAGE', `spc: point ${i + 1} has an infinite value.`);
    }
    keys[i] = periodNumber(point?.period, `the period of point ${i + 1}`);
    if (i > 0 && keys[i]! <= keys[i - 1]!) sorted = false;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted) order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  for (let i = 1; i < n; i++) {
    if (keys[order[i]!] === keys[order[i - 1]!]) {
      const period = points[order[i]!]!.period;
      throw new PlanwatchError('E_USAGE', `spc: period ${period} appears more than once; give one value per period.`);
    }
  }
  return order;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * YYYYMMDD as a number, for sorting and matching without allocating. 'YYYY-MM' stands for the
 * first of the month, so '2024-01' and '2024-01-01' are the same period.
 */
function periodNumber(period: unknown, what: string): number {
  const text = typeof period === 'string' ? period : '';
  const year = digits(text, 0, 4);
  const month = text[4] === '-' ? digits(text, 5, 7) : -1;
  const day = text.length === 7 ? 1 : text.length === 10 && text[7] === '-' ? digits(text, 8, 10) : -1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const longest = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > longest) {
    throw new PlanwatchError('E_USAGE', `spc: ${what} is "${String(period)}"; expected YYYY-MM or YYYY-MM-DD.`);
  }
  return year * 10_000 + month * 100 + day;
}

/** The decimal number in text[from, to), or −1 if any character there is not a digit. */
function digits(text: string, from: number, to: number): number {
  if (text.length < to) return -1;
  let number = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

function rebaseFlags(
  points: readonly SpcInputPoint[],
  order: Int32Array,
  rebase: readonly string[] | undefined,
): Uint8Array | undefined {
  if (!rebase || rebase.length === 0) return undefined;
  const starts = new Set(rebase.map((period) => periodNumber(period, 'a rebase period')));
  const flags = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    if (starts.has(periodNumber(points[order[i]!]!.period, 'a period'))) flags[i] = 1;
  }
  return flags;
}
