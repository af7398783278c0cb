import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { bandQuantile, type CountedBand } from '../../src/measures/waiting-time.js';

/** Weekly bands 0–1 … (n−1)–n and an open band from n, with the given counts. */
function weekly(counts: readonly (number | null)[]): CountedBand[] {
  return counts.map((count, i) => ({ from: i, to: i === counts.length - 1 ? null : i + 1, count }));
}

describe('bandQuantile(bands, q)', () => {
  it('interpolates linearly inside the band that holds the quantile', () => {
    // 10 patients: 4 in >0–1, 4 in >1–2, 2 in >2–3; the median (5th) is a quarter into >1–2.
    expect(bandQuantile(weekly([4, 4, 2, 0]), 0.5)).toBeCloseTo(1.25, 12);
  });

  it('reaches the top of a band when the quantile falls exactly on its cumulative count', () => {
    expect(bandQuantile(weekly([5, 5, 0]), 0.5)).toBe(1);
  });

  it('skips empty bands', () => {
    expect(bandQuantile(weekly([0, 0, 10, 0]), 0.5)).toBeCloseTo(2.5, 12);
  });

  it('gives the 92nd percentile from the same counts', () => {
    // 100 patients, 90 in the first week and 10 in the second: the 92nd is a fifth into week 2.
    expect(bandQuantile(weekly([90, 10, 0]), 0.92)).toBeCloseTo(1.2, 12);
  });

  it('gives the lower bound of the open top band when the quantile falls in it, as NHS England does', () => {
    expect(bandQuantile(weekly([1, 1, 8]), 0.5)).toBe(2);
  });

  it('is unknown with no patients', () => {
    expect(bandQuantile(weekly([0, 0, 0]), 0.5)).toBeNull();
  });

  it('is unknown when the bands leave a gap', () => {
    expect(bandQuantile([{ from: 0, to: 1, count: 5 }, { from: 2, to: null, count: 5 }], 0.5)).toBeNull();
  });

  it('uses whichever layout was published, setting aside bands with no count', () => {
    // An older extract stops at an open "over 2 weeks" band; the finer bands are absent (null).
    const bands: CountedBand[] = [
      { from: 0, to: 1, count: 6 }, { from: 1, to: 2, count: 2 },
      { from: 2, to: 3, count: null }, { from: 3, to: null, count: null },
      { from: 2, to: null, count: 2 },
    ];
    expect(bandQuantile(bands, 0.5)).toBeCloseTo(5 / 6, 12);
  });

  it('is unknown when two layouts overlap', () => {
    const bands: CountedBand[] = [{ from: 0, to: 1, count: 6 }, { from: 1, to: null, count: 2 }, { from: 1, to: 2, count: 1 }, { from: 2, to: null, count: 1 }];
    expect(bandQuantile(bands, 0.5)).toBeNull();
  });

  test.prop([fc.array(fc.nat({ max: 50 }), { minLength: 2, maxLength: 30 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true })])(
    'never decreases as q rises, and stays within the closed bands', (counts, a, b) => {
      const bands = weekly([...counts, 0]);
      const [low, high] = a <= b ? [a, b] : [b, a];
      const lower = bandQuantile(bands, low);
      const upper = bandQuantile(bands, high);
      if (lower === null || upper === null) return;
      expect(lower).toBeLessThanOrEqual(upper + 1e-9);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(upper).toBeLessThanOrEqual(counts.length);
    });
});
