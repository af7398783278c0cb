/**
 * R4, a shift (SPC spec §5): `run` points (7) in a row strictly on the same side of the mean,
 * within one segment. A point exactly on the mean or missing breaks the run. All points of the
 * run are flagged with its side (+1 above, −1 below).
 *
 * `relative` comes from relativeToMean (limits.ts).
 */
export function shift(relative: Int8Array, starts: Uint8Array, out: Int8Array = new Int8Array(relative.length), run = 7): Int8Array {
  const n = relative.length;
  out.fill(0);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const side = relative[i]!;
    // Branch-free: extend the run when this point continues it, else start at 1 (or 0 on the mean).
    const previous = i > 0 ? relative[i - 1]! : 0;
    const onOneSide = +(side !== 0);
    length = length * (+(starts[i] === 0) & +(previous === side) & onOneSide) + onOneSide;
    if (length === run) for (let j = i - run + 1; j <= i; j++) out[j] = side;
    else if (length > run) out[i] = side;
  }
  return out;
}
