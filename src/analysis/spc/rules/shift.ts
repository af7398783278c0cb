import { forEachSegment } from '../limits.js';

/**
 * R4, a shift (SPC spec §5): `run` points (7) in a row strictly on the same side of the mean,
 * within one segment. A point exactly on the mean or missing breaks the run. All points of the
 * run are flagged with its side (+1 above, −1 below).
 *
 * `relative` comes from relativeToMean (limits.ts).
 */
export function shift(relative: Int8Array, starts: Uint8Array, out: Int8Array = new Int8Array(relative.length), run = 7): Int8Array {
  forEachSegment(starts, (from, to) => shiftSegment(relative, from, to, out, run));
  return out;
}

/** R4 within one segment, relative[from … to): writes every out[from … to). */
export function shiftSegment(relative: Int8Array, from: number, to: number, out: Int8Array, run = 7): void {
  let length = 0;
  let previous = 0;
  for (let i = from; i < to; i++) {
    const side = relative[i]!;
    // Branch-free: extend the run when this point continues it, else start at 1 (or 0 on the mean).
    const onOneSide = +(side !== 0);
    length = length * (+(previous === side) & onOneSide) + onOneSide;
    previous = side;
    out[i] = 0;
    if (length === run) for (let j = i - run + 1; j <= i; j++) out[j] = side;
    else if (length > run) out[i] = side;
  }
}
