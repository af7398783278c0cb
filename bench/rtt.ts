import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The national RTT full extract (April 2026: an 81.6 MB CSV in a 3.5 MB zip), inflated and parsed
 * as a stream: ingest time and the process's peak resident memory, which must stay under 500 MB
 * (issue 15 item 3). Each run is a fresh process, so the peak is the ingest's own.
 */
export function benchRtt(dataDir: string, runs = 2): string[] {
  const file = path.join(dataDir, 'rtt', 'full_extract', '2026-04_20260430-RTT-April-2026-full-extract.csv.zip');
  if (!existsSync(file)) return [`rtt: skipped, no ${file}`];
  let best = Infinity;
  let peak = 0;
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'rtt-child.ts'), file], { encoding: 'utf8' });
    const { ms, peakRssMb } = JSON.parse(output.trim().split('\n').at(-1)!) as { ms: number; peakRssMb: number };
    best = Math.min(best, ms);
    peak = Math.max(peak, peakRssMb);
  }
  return [
    `rtt full extract (April 2026, 180,782 rows): ingest ${(best / 1000).toFixed(1)} s (best of ${runs}), peak RSS ${peak.toFixed(0)} MB (limit 500 MB)`,
  ];
}
