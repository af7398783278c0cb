import { performance } from 'node:perf_hooks';
import { spc, spcBatch, type SpcInputPoint } from '../src/analysis/spc/index.js';

const SERIES = 10_000;
const POINTS = 60;
const RUNS = 10;
const WARM_UP = 3;

/**
 * SPC over 10,000 series × 60 months, best of several runs (issue 3: goal under 100 ms on the
 * 2-core build machine). Times the columnar batch that pages and league tables use, and the
 * object-returning spc() called once per series. Returns printable lines.
 */
export async function benchSpc(): Promise<string[]> {
  const { values, offsets, series } = syntheticSeries(SERIES, POINTS);
  const options = { direction: 'increase' as const, target: 95 };

  let checksum = 0;
  const batch = bestOf(RUNS, () => {
    const result = spcBatch({ values, offsets, ...options });
    checksum += result.variation[0]!;
  });
  const objects = bestOf(RUNS, () => {
    for (const points of series) checksum += spc(points, options).points.length;
  });
  const fixed = bestOf(RUNS, () => {
    const result = spcBatch({ values, offsets, ...options, fixAfter: 20, screen: false });
    checksum += result.assurance[0]!;
  });
  return [
    `spc: ${SERIES.toLocaleString('en-GB')} series × ${POINTS} points, best of ${RUNS} runs (checksum ${checksum})`,
    `  spcBatch (typed arrays)            ${batch.toFixed(1)} ms`,
    `  spcBatch, fixAfter 20, unscreened  ${fixed.toFixed(1)} ms`,
    `  spc() per series (objects)         ${objects.toFixed(1)} ms`,
  ];
}

/** Untimed warm-up runs first, so the JIT has compiled the loops before the clock starts. */
function bestOf(runs: number, work: () => void): number {
  for (let run = 0; run < WARM_UP; run++) work();
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Percent-like monthly series with drifts and steps, from a fixed-seed generator. */
function syntheticSeries(count: number, length: number) {
  const values = new Float64Array(count * length);
  const offsets = new Int32Array(count + 1);
  const series: SpcInputPoint[][] = [];
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let s = 0; s < count; s++) {
    offsets[s + 1] = (s + 1) * length;
    const level = 60 + 35 * random();
    const drift = (random() - 0.5) * 0.4;
    const points: SpcInputPoint[] = [];
    for (let i = 0; i < length; i++) {
      const step = i > length / 2 && s % 3 === 0 ? 5 : 0;
      const value = Math.round((level + drift * i + step + (random() - 0.5) * 8) * 10) / 10;
      values[s * length + i] = value;
      points.push({ period: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, value });
    }
    series.push(points);
  }
  return { values, offsets, series };
}
