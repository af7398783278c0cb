/**
 * Segments, centre line and process limits of an XmR chart (SPC spec §2–4, §8–9).
 *
 * Everything here is columnar: one Float64Array holds the values of one or many series back to
 * back (NaN = missing), and a Uint8Array marks the first point of every segment (the start of
 * each series and each rebase). Each segment is computed on its own and its limits are written
 * to every point of it, so the rules can run as single loops over the whole batch.
 */

/** 3σ process limits sit 2.66 average moving ranges from the mean (≈ 3 / 1.128), as written. */
export const LIMIT_FACTOR = 2.66;
/** The 2σ lines used by two-of-three: two thirds of the way to the process limits. */
export const NEAR_LIMIT_FACTOR = (2 * LIMIT_FACTOR) / 3;
/** Upper limit of a moving-range chart; moving ranges at or above 3.267 × AMR are screened out. */
export const SCREEN_FACTOR = 3.267;
/** A segment with fewer points than this carries trial limits (the reference's option default). */
export const TRIAL_BELOW = 13;
/** The smallest baseline the reference accepts for fixAfter. */
export const MIN_FIX_AFTER = 12;

export interface LimitOptions {
  /** Baseline length per segment: the limits come from its first `fixAfter` points (floored). */
  fixAfter?: number | undefined;
  /** Screen large moving ranges before averaging (spec §3.5); on unless false. */
  screen?: boolean | undefined;
}

/** Per-point columns; every point of a segment holds that segment's values. NaN = undefined. */
export interface LimitColumns {
  mean: Float64Array;
  lpl: Float64Array;
  upl: Float64Array;
  /** The 2σ lines (spec §3.7); not part of the published output but drawn on some charts. */
  nlpl: Float64Array;
  nupl: Float64Array;
  /** 1 when the point's segment has fewer than 13 points, so its limits are trial limits (§8). */
  trial: Uint8Array;
}

/**
 * Marks where segments start: at each series' first point (offsets) and at each rebase point.
 * `offsets` has one entry per series plus the end; `rebase` (optional) is 1 where a rebase
 * period starts a new segment.
 */
export function segmentStarts(
  length: number,
  offsets: ArrayLike<number>,
  rebase?: Uint8Array,
  starts: Uint8Array = new Uint8Array(length),
): Uint8Array {
  if (rebase) starts.set(rebase);
  else starts.fill(0);
  for (let s = 0; s < offsets.length - 1; s++) {
    const first = offsets[s]!;
    if (first < length) starts[first] = 1;
  }
  return starts;
}

/**
 * Mean, process limits and 2σ lines of every segment (spec §3): the mean of the baseline's
 * non-missing values; moving ranges between neighbouring baseline values (never bridging a
 * missing one); with screening, the average moving range is re-taken over the ranges strictly
 * below 3.267 × their first average. A segment with no usable moving range has NaN limits.
 */
export function limits(
  values: Float64Array,
  starts: Uint8Array,
  options: LimitOptions = {},
  columns: LimitColumns = limitColumns(values.length),
  sides?: PointSides,
): LimitColumns {
  forEachSegment(starts, (from, to) => segmentLimits(values, from, to, options, columns, sides));
  return columns;
}

/** Calls `visit(from, to)` for each segment [from, to) in order; `starts` marks their first points. */
export function forEachSegment(starts: Uint8Array, visit: (from: number, to: number) => void): void {
  const n = starts.length;
  let from = 0;
  while (from < n) {
    let to = from + 1;
    while (to < n && starts[to] === 0) to++;
    visit(from, to);
    from = to;
  }
}

/** The lines of one segment, values[from … to), written to its points; with `sides`, the points' sides too. */
export function segmentLimits(values: Float64Array, from: number, to: number, options: LimitOptions, columns: LimitColumns, sides?: PointSides): void {
  const baselineEnd = options.fixAfter === undefined ? to : Math.min(to, from + Math.floor(options.fixAfter));
  writeSegment(values, from, to, baselineEnd, options.screen !== false, columns, sides);
}

/**
 * Each point's sides against its segment's lines, as relativeToMean, closeToLimits and
 * astronomical give them. `limits` fills them while a segment's lines are still in registers:
 * three more passes over the whole batch, each reading the per-point limit columns back, cost
 * about a tenth of spcBatch's time (29 → 26 ms for 10,000 series × 60 points).
 */
export interface PointSides {
  relative: Int8Array;
  close: Int8Array;
  beyond: Int8Array;
}

export function limitColumns(length: number): LimitColumns {
  return {
    mean: new Float64Array(length),
    lpl: new Float64Array(length),
    upl: new Float64Array(length),
    nlpl: new Float64Array(length),
    nupl: new Float64Array(length),
    trial: new Uint8Array(length),
  };
}

function writeSegment(
  values: Float64Array,
  from: number,
  to: number,
  baselineEnd: number,
  screen: boolean,
  out: LimitColumns,
  sides: PointSides | undefined,
): void {
  const mean = meanOfValues(values, from, baselineEnd);
  const firstAmr = meanOfMovingRanges(values, from, baselineEnd, Infinity);
  const amr = screen ? meanOfMovingRanges(values, from, baselineEnd, SCREEN_FACTOR * firstAmr) : firstAmr;
  const lpl = mean - LIMIT_FACTOR * amr;
  const upl = mean + LIMIT_FACTOR * amr;
  const nlpl = mean - NEAR_LIMIT_FACTOR * amr;
  const nupl = mean + NEAR_LIMIT_FACTOR * amr;
  const trial = to - from < TRIAL_BELOW ? 1 : 0;
  // One loop, not six fill() calls: for segments of a few dozen points the calls cost more than the stores.
  const { mean: means, lpl: lpls, upl: upls, nlpl: nlpls, nupl: nupls, trial: trials } = out;
  for (let i = from; i < to; i++) {
    means[i] = mean;
    lpls[i] = lpl;
    upls[i] = upl;
    nlpls[i] = nlpl;
    nupls[i] = nupl;
    trials[i] = trial;
  }
  if (!sides) return;
  const { relative, close, beyond } = sides;
  for (let i = from; i < to; i++) {
    const value = values[i]!;
    relative[i] = sideOfMean(value, mean);
    close[i] = closeSide(value, lpl, upl, nlpl, nupl);
    beyond[i] = beyondSide(value, lpl, upl);
  }
}

// Sums are compensated (Neumaier) because the reference accumulates its means in extended
// precision; a plain left-to-right sum can land an ulp away and flip a point sitting on a line.

function meanOfValues(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) continue;
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
    count++;
  }
  return count === 0 ? NaN : (sum + compensation) / count;
}

/** Mean of the moving ranges strictly below `below` (Infinity keeps all); NaN when none qualify. */
function meanOfMovingRanges(values: Float64Array, from: number, to: number, below: number): number {
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    const range = Math.abs(values[i]! - values[i - 1]!);
    if (!(range < below)) continue; // also skips NaN: a range touching a missing value
    const next = sum + range;
    compensation += sum >= range ? sum - next + range : range - next + sum;
    sum = next;
    count++;
  }
  return count === 0 ? NaN : (sum + compensation) / count;
}

/** Side of the mean per point (spec §4): +1 above, −1 below, 0 on it or missing. */
export function relativeToMean(values: Float64Array, mean: Float64Array, out: Int8Array = new Int8Array(values.length)): Int8Array {
  for (let i = 0; i < values.length; i++) out[i] = sideOfMean(values[i]!, mean[i]!);
  return out;
}

function sideOfMean(value: number, mean: number): number {
  const difference = value - mean;
  // Branch-free: real series cross the mean unpredictably, and a mispredicted branch costs
  // more than the arithmetic. NaN compares false both ways, giving 0.
  return +(difference > 0) - +(difference < 0);
}

/**
 * Points in the 2σ–3σ band (spec §4): +1 above the upper 2σ line, −1 below the lower one, 0
 * otherwise. A point beyond a process limit is not "close" (strict comparisons throughout, so
 * a point exactly on a process limit is close); missing values and undefined limits give 0.
 */
export function closeToLimits(values: Float64Array, columns: LimitColumns, out: Int8Array = new Int8Array(values.length)): Int8Array {
  const { lpl, upl, nlpl, nupl } = columns;
  for (let i = 0; i < values.length; i++) out[i] = closeSide(values[i]!, lpl[i]!, upl[i]!, nlpl[i]!, nupl[i]!);
  return out;
}

function closeSide(value: number, lpl: number, upl: number, nlpl: number, nupl: number): number {
  const inside = +(value <= upl) & +(value >= lpl); // branch-free, as in sideOfMean
  return (+(value > nupl) - +(value < nlpl)) * inside;
}

/** R1's side of one point (rules/astronomical.ts): strict, so a point on a limit is inside. */
export function beyondSide(value: number, lpl: number, upl: number): number {
  return +(value > upl) - +(value < lpl); // branch-free: the limits never cross
}
