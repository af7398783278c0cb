/**
 * Waiting-time percentiles from counts in week bands, the way NHS England computes the RTT
 * median and 92nd percentile from its aggregate returns: find the band holding the q-th share
 * of the list and interpolate linearly inside it, as if the patients in that band were spread
 * evenly across its weeks:
 *
 *   value = from + (q × N − patients in earlier bands) ÷ patients in the band × (to − from)
 *
 * For example 570 completed pathways whose first ten weekly bands hold 269 and whose >10–11
 * band holds 18 have a median of 10 + (285 − 269) ÷ 18 = 10.89 weeks, the figure NHS England
 * publishes for that row (September 2025 non-admitted provider workbook, checked in the
 * real-data tests). Because it needs the whole distribution, regions and England sum their
 * members' band counts and recompute; percentiles are never averaged.
 */
export interface CountedBand {
  /** Lower bound in weeks (exclusive). */
  from: number;
  /** Upper bound in weeks (inclusive); null for the open top band. */
  to: number | null;
  count: number | null;
}

/**
 * The q-quantile (0 < q < 1) of the waits, or null when it cannot be known: no patients, or
 * bands that do not run from 0 weeks without a gap to one open band. A quantile in the open top
 * band is that band's lower bound, as NHS England publishes it (104 in the September 2025
 * workbook for the two rows whose 95th percentile lies there): read it as "at least".
 * Bands with a null count are ones the publication did not have (another layout) and are set
 * aside.
 */
export function bandQuantile(bands: readonly CountedBand[], q: number): number | null {
  const present = bands.filter((band) => band.count !== null);
  const tiled: CountedBand[] = [];
  let cursor = 0;
  for (;;) {
    const next = present.filter((band) => band.from === cursor);
    if (next.length !== 1) return null;
    const band = next[0]!;
    if (band.to !== null && band.to <= band.from) return null;
    tiled.push(band);
    if (band.to === null) break;
    cursor = band.to;
  }
  const total = tiled.reduce((sum, band) => sum + band.count!, 0);
  if (total <= 0) return null;
  const target = q * total;
  let before = 0;
  for (const band of tiled) {
    const count = band.count!;
    if (count > 0 && before + count >= target) {
      if (band.to === null) return band.from;
      return band.from + ((target - before) / count) * (band.to - band.from);
    }
    before += count;
  }
  return null;
}
