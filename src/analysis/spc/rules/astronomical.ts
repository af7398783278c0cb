import { beyondSide } from '../limits.js';

/**
 * R1, a point beyond the process limits (SPC spec §5): +1 above the upper limit, −1 below the
 * lower one, 0 otherwise. Strict: a point exactly on a limit is inside. Missing values and
 * undefined (NaN) limits never fire.
 */
export function astronomical(
  values: Float64Array,
  lpl: Float64Array,
  upl: Float64Array,
  out: Int8Array = new Int8Array(values.length),
): Int8Array {
  for (let i = 0; i < values.length; i++) out[i] = beyondSide(values[i]!, lpl[i]!, upl[i]!);
  return out;
}
