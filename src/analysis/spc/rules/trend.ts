import { forEachSegment } from '../limits.js';

/**
 * R2, a trend (SPC spec §5): `run` points (7) each strictly higher, or each strictly lower, than
 * the one before; a tie or a missing value breaks it, and it never reaches across a segment
 * start. Every point of every such window is flagged. Each trend point gets +1 (increasing) or
 * −1 (decreasing): the step to the next point when that is a trend point too, else the step from
 * the previous one, so a shared peak takes the direction of the trend on its right. A zero step
 * (two trends meeting at equal values) counts as decreasing, as the reference does.
 *
 * The reference crashes when a window holds a missing value and its other steps agree; we treat
 * that window as not firing, as the spec recommends (§9).
 */
export function trend(values: Float64Array, starts: Uint8Array, out: Int8Array = new Int8Array(values.length), run = 7): Int8Array {
  forEachSegment(starts, (from, to) => trendSegment(values, from, to, out, run));
  return out;
}

/** R2 within one segment, values[from … to): writes every out[from … to). */
export function trendSegment(values: Float64Array, from: number, to: number, out: Int8Array, run = 7): void {
  const steps = run - 1;
  let rising = 0;
  let falling = 0;
  out[from] = 0;
  for (let i = from + 1; i < to; i++) {
    const step = values[i]! - values[i - 1]!; // NaN when either side is missing: resets both runs
    // Branch-free counting: the sign of each step is as unpredictable as the data.
    rising = (rising + 1) * +(step > 0);
    falling = (falling + 1) * +(step < 0);
    const length = rising + falling; // at most one of them is non-zero
    out[i] = 0;
    if (length === steps) for (let j = i - steps; j <= i; j++) out[j] = 1;
    else if (length > steps) out[i] = 1;
  }
  for (let i = from; i < to; i++) {
    if (out[i] === 0) continue;
    const nextIsTrend = i + 1 < to && out[i + 1] !== 0;
    const step = nextIsTrend ? values[i + 1]! - values[i]! : values[i]! - values[i - 1]!;
    out[i] = step > 0 ? 1 : -1;
  }
}
