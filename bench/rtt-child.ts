import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestPath } from '../src/store/ingest.js';
import { Store } from '../src/store/store.js';

/**
 * Run by bench/rtt.ts in a process of its own, so that its peak resident memory is the ingest's
 * alone: ingests the national RTT full extract into a fresh store file and prints the time and
 * the peak RSS as JSON.
 */
const file = process.argv[2]!;
const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-rtt-'));
try {
  const store = await Store.open(path.join(dir, 'bench.duckdb'));
  const start = performance.now();
  await ingestPath(store, file);
  const ms = performance.now() - start;
  store.close();
  console.log(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
