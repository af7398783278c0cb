import { describe, expect, it } from 'vitest';
import {
  ASSURANCES,
  assuranceCode,
  directionCode,
  labelPoints,
  POINT_TYPES,
  pointTypeCode,
  VARIATIONS,
  variationCode,
  type Direction,
} from '../../../src/analysis/spc/icons.js';

const type = (side: number, direction: Direction) => POINT_TYPES[pointTypeCode(side, directionCode(direction))];
const variation = (pointType: (typeof POINT_TYPES)[number], direction: Direction) =>
  VARIATIONS[variationCode(POINT_TYPES.indexOf(pointType), directionCode(direction))];
const assurance = (direction: Direction, target: number, lpl: number, upl: number) =>
  ASSURANCES[assuranceCode(directionCode(direction), target, lpl, upl)];

describe('pointTypeCode(side, direction)', () => {
  it('reads high as improvement when higher is better, and as concern when lower is better', () => {
    expect([type(1, 'increase'), type(-1, 'increase')]).toEqual(['special_cause_improvement', 'special_cause_concern']);
    expect([type(1, 'decrease'), type(-1, 'decrease')]).toEqual(['special_cause_concern', 'special_cause_improvement']);
    expect([type(1, 'neutral'), type(-1, 'neutral')]).toEqual(['special_cause_neutral_high', 'special_cause_neutral_low']);
    expect(type(0, 'increase')).toBe('common_cause');
  });
});

describe('labelPoints(beyond, trend, twoOfThree, shift, …)', () => {
  it('takes the first rule that flags a point: beyond, trend, two of three, shift', () => {
    const beyond = Int8Array.from([-1, 0, 0, 0, 0]);
    const trend = Int8Array.from([1, 1, 0, 0, 0]);
    const two = Int8Array.from([0, -1, -1, 0, 0]);
    const shift = Int8Array.from([1, 1, 1, 1, 0]);
    const out = new Uint8Array(5);
    labelPoints(beyond, trend, two, shift, directionCode('increase'), 0, 5, out);
    expect(Array.from(out, (code) => POINT_TYPES[code])).toEqual([
      'special_cause_concern',
      'special_cause_improvement',
      'special_cause_concern',
      'special_cause_improvement',
      'common_cause',
    ]);
  });
});

describe('variationCode(pointType, direction)', () => {
  it('follows the spec §7 table', () => {
    expect(variation('common_cause', 'increase')).toBe('common_cause');
    expect(variation('special_cause_improvement', 'increase')).toBe('improvement_high');
    expect(variation('special_cause_concern', 'increase')).toBe('concern_low');
    expect(variation('special_cause_improvement', 'decrease')).toBe('improvement_low');
    expect(variation('special_cause_concern', 'decrease')).toBe('concern_high');
    expect(variation('special_cause_neutral_high', 'neutral')).toBe('neutral_high');
    expect(variation('special_cause_neutral_low', 'neutral')).toBe('neutral_low');
  });
});

describe('assuranceCode(direction, target, lpl, upl)', () => {
  it('passes or fails consistently when the target lies outside the limits', () => {
    expect(assurance('increase', 5, 10, 20)).toBe('consistent_pass');
    expect(assurance('increase', 25, 10, 20)).toBe('consistent_fail');
    expect(assurance('decrease', 5, 10, 20)).toBe('consistent_fail');
    expect(assurance('decrease', 25, 10, 20)).toBe('consistent_pass');
  });

  it('hits and misses inside the limits, on a limit, or when the limits are undefined (parity)', () => {
    expect(assurance('increase', 15, 10, 20)).toBe('hit_and_miss');
    expect(assurance('increase', 20, 10, 20)).toBe('hit_and_miss');
    expect(assurance('decrease', 10, 10, 20)).toBe('hit_and_miss');
    expect(assurance('increase', 15, NaN, NaN)).toBe('hit_and_miss');
  });

  it('gives no icon without a target or for a neutral measure', () => {
    expect(assurance('increase', NaN, 10, 20)).toBeNull();
    expect(assurance('neutral', 5, 10, 20)).toBeNull();
  });
});
