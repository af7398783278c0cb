import { forEachSegment } from '../limits.js';

/**
 * R3, two of three beyond 2σ (SPC spec §5): a point is flagged when it is itself in the 2σ–3σ
 * band and one of the three 3-point windows holding it has at least two such points with all
 * three strictly on the same side of the mean. Windows that run past a segment's ends do not
 * fire. The flag is the side of the mean (+1 above, −1 below).
 *
 * `close` and `relative` come from closeToLimits and relativeToMean (limits.ts): a point beyond
 * 3σ is not "close", so it never counts towards the two, but it can be the third point.
 */
export function twoInThree(
  close: Int8Array,
  relative: Int8Array,
  starts: Uint8Array,
  out: Int8Array = new Int8Array(close.length),
): Int8Array {
  forEachSegment(starts, (from, to) => twoInThreeSegment(close, relative, from, to, out));
  return out;
}

/** R3 within one segment, points from … to − 1: writes every out[from … to). */
export function twoInThreeSegment(close: Int8Array, relative: Int8Array, from: number, to: number, out: Int8Array): void {
  for (let i = from; i < to; i++) {
    const flagged =
      close[i] !== 0 &&
      (windowFires(close, relative, from, to, i - 2) ||
        windowFires(close, relative, from, to, i - 1) ||
        windowFires(close, relative, from, to, i));
    out[i] = flagged ? relative[i]! : 0;
  }
}

/** The window of points first … first+2 lies in the segment, on one side, with two close. */
function windowFires(close: Int8Array, relative: Int8Array, from: number, to: number, first: number): boolean {
  const last = first + 2;
  if (first < from || last >= to) return false;
  const side = relative[first]!;
  if (side === 0 || relative[first + 1] !== side || relative[last] !== side) return false;
  return (close[first] !== 0 ? 1 : 0) + (close[first + 1] !== 0 ? 1 : 0) + (close[last] !== 0 ? 1 : 0) >= 2;
}
