/**
 * Meaning, kept apart from detection (STYLE.md §3): the rules only say "above" or "below"; this
 * module turns a side into improvement or concern using the measure's improvement direction, and
 * picks the variation and assurance icons (SPC spec §6–7). The columnar kernel works with the
 * small integer codes below; the string unions are what the library and the JSON show.
 */

import { DIRECTIONS, type Direction } from '../../dimensions.js';

export { DIRECTIONS, type Direction };

export const POINT_TYPES = [
  'common_cause',
  'special_cause_improvement',
  'special_cause_concern',
  'special_cause_neutral_high',
  'special_cause_neutral_low',
] as const;
export type PointType = (typeof POINT_TYPES)[number];

export const VARIATIONS = [
  'common_cause',
  'improvement_high',
  'improvement_low',
  'concern_high',
  'concern_low',
  'neutral_high',
  'neutral_low',
] as const;
export type Variation = (typeof VARIATIONS)[number];

/** Code 0 is "no assurance icon" (no target, or a neutral direction), shown as null. */
export const ASSURANCES = [null, 'consistent_pass', 'consistent_fail', 'hit_and_miss'] as const;
export type Assurance = NonNullable<(typeof ASSURANCES)[number]>;

/** Index into DIRECTIONS, the form the kernel uses. */
export function directionCode(direction: Direction): number {
  return DIRECTIONS.indexOf(direction);
}

const INCREASE = 0;
const DECREASE = 1;

/**
 * Point type (spec §6) from the signed direction of the point's label (+1 high, −1 low, 0 common
 * cause) and the improvement direction code. Returns an index into POINT_TYPES.
 */
export function pointTypeCode(side: number, direction: number): number {
  if (side === 0) return 0;
  if (direction === INCREASE) return side > 0 ? 1 : 2;
  if (direction === DECREASE) return side > 0 ? 2 : 1;
  return side > 0 ? 3 : 4;
}

/**
 * Each point takes the first rule that flags it, in the order R1 beyond the limits, R2 trend,
 * R3 two of three, R4 shift (spec §6); improvement and concern are never weighed against each
 * other. Writes indexes into POINT_TYPES for points [from, to).
 */
export function labelPoints(
  beyond: Int8Array,
  trend: Int8Array,
  twoOfThree: Int8Array,
  shift: Int8Array,
  direction: number,
  from: number,
  to: number,
  out: Uint8Array,
): void {
  const row = direction * 3 + 1;
  for (let i = from; i < to; i++) {
    // The first non-zero side, branch-free: a side s in {−1, 0, 1} lets the next through by 1 − s².
    const s4 = shift[i]!;
    const s3 = twoOfThree[i]!;
    const s2 = trend[i]!;
    const s1 = beyond[i]!;
    const side = s1 + (1 - s1 * s1) * (s2 + (1 - s2 * s2) * (s3 + (1 - s3 * s3) * s4));
    out[i] = POINT_TYPE_BY_DIRECTION_AND_SIDE[row + side]!;
  }
}

/** pointTypeCode for every (direction, side), indexed by direction × 3 + side + 1. */
const POINT_TYPE_BY_DIRECTION_AND_SIDE = Uint8Array.from(
  DIRECTIONS.flatMap((_, direction) => [-1, 0, 1].map((side) => pointTypeCode(side, direction))),
);

/** Variation icon (spec §7) from the point type of the series' latest row. Index into VARIATIONS. */
export function variationCode(pointType: number, direction: number): number {
  switch (pointType) {
    case 1:
      return direction === DECREASE ? 2 : 1; // improvement: low when lower is better
    case 2:
      return direction === DECREASE ? 3 : 4; // concern: high when lower is better
    case 3:
      return 5;
    case 4:
      return 6;
    default:
      return 0;
  }
}

/**
 * Assurance icon (spec §7): compare the target with the latest segment's process limits. No icon
 * without a target (NaN) or for a neutral measure. Undefined limits, or a target on a limit, give
 * hit and miss (parity). Index into ASSURANCES.
 */
export function assuranceCode(direction: number, target: number, lpl: number, upl: number): number {
  if (Number.isNaN(target) || (direction !== INCREASE && direction !== DECREASE)) return 0;
  const targetAbove = target > upl;
  const targetBelow = target < lpl;
  if (direction === INCREASE) return targetAbove ? 2 : targetBelow ? 1 : 3;
  return targetAbove ? 1 : targetBelow ? 2 : 3;
}

/** Words for people, so that no icon or colour has to speak alone (tables, CLI, SVG labels). */
export const POINT_TYPE_LABELS: Readonly<Record<PointType, string>> = {
  common_cause: 'common cause',
  special_cause_improvement: 'special cause: improvement',
  special_cause_concern: 'special cause: concern',
  special_cause_neutral_high: 'special cause: high',
  special_cause_neutral_low: 'special cause: low',
};

export const VARIATION_LABELS: Readonly<Record<Variation, string>> = {
  common_cause: 'Common cause variation',
  improvement_high: 'Special cause improvement (high values)',
  improvement_low: 'Special cause improvement (low values)',
  concern_high: 'Special cause concern (high values)',
  concern_low: 'Special cause concern (low values)',
  neutral_high: 'Special cause variation (high values)',
  neutral_low: 'Special cause variation (low values)',
};

export const ASSURANCE_LABELS: Readonly<Record<Assurance, string>> = {
  consistent_pass: 'Consistently meets the target',
  consistent_fail: 'Consistently misses the target',
  hit_and_miss: 'Hits and misses the target',
};
