import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { spc, type SpcOptions, type SpcPoint, type SpcResult } from '../../../src/analysis/spc/index.js';

/**
 * Runs test/analysis/spc/reference_spc.py, an independent implementation written from the spec
 * alone, on the same cases as spc(), and lists every disagreement: numbers beyond 1e-9 relative
 * (the spec's tolerance for the reference's extended-precision mean), categories at all.
 */

export interface ReferenceCase {
  id: string;
  points: { period: string; value: number | null }[];
  options: SpcOptions;
}

interface ReferenceResult {
  id: string;
  points: SpcPoint[];
  variation: string;
  assurance: string | null;
  trial: boolean[];
}

const script = path.join(import.meta.dirname, 'reference_spc.py');

export function runReference(cases: readonly ReferenceCase[]): ReferenceResult[] {
  const input = {
    cases: cases.map(({ id, points, options }) => ({
      id,
      periods: points.map((p) => p.period),
      values: points.map((p) => p.value),
      options,
    })),
  };
  const run = spawnSync('python3', [script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.error) throw new Error(`Could not run python3 for the SPC reference: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`The SPC reference failed:\n${run.stderr}`);
  return (JSON.parse(run.stdout) as { results: ReferenceResult[] }).results;
}

/** Every disagreement between spc() and the reference, as readable lines (empty = agreement). */
export function disagreements(cases: readonly ReferenceCase[]): { mismatches: string[]; ours: SpcResult[] } {
  const theirs = runReference(cases);
  const mismatches: string[] = [];
  const ours = cases.map((c) => spc(c.points, c.options));
  cases.forEach((c, k) => {
    const [mine, ref] = [ours[k]!, theirs[k]!];
    const say = (what: string, a: unknown, b: unknown) => mismatches.push(`${c.id} ${what}: ours ${JSON.stringify(a)}, reference ${JSON.stringify(b)}`);
    if (mine.points.length !== ref.points.length) return say('point count', mine.points.length, ref.points.length);
    if (mine.variation !== ref.variation) say('variation', mine.variation, ref.variation);
    if (mine.assurance !== ref.assurance) say('assurance', mine.assurance, ref.assurance);
    const trial = mine.segments.flatMap((s) => Array<boolean>(s.points).fill(s.trial));
    if (JSON.stringify(trial) !== JSON.stringify(ref.trial)) say('trial flags', trial, ref.trial);
    mine.points.forEach((p, i) => {
      const r = ref.points[i]!;
      const where = `${p.period}`;
      if (p.period !== r.period || p.value !== r.value) say(`${where} period/value`, [p.period, p.value], [r.period, r.value]);
      for (const key of ['mean', 'lpl', 'upl'] as const) {
        if (!sameNumber(p[key], r[key])) say(`${where} ${key}`, p[key], r[key]);
      }
      if (JSON.stringify(p.rules) !== JSON.stringify(r.rules)) say(`${where} rules`, p.rules, r.rules);
      if (p.pointType !== r.pointType) say(`${where} pointType`, p.pointType, r.pointType);
    });
  });
  return { mismatches, ours };
}

function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  // Relative, but not below 1e-9 absolute: a lower limit that cancels to nearly 0 keeps the
  // rounding error of the mean it came from.
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
}
