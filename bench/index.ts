import { existsSync } from 'node:fs';
import path from 'node:path';
import { benchExport } from './export.js';
import { benchIngest, benchIngestAll } from './ingest.js';
import { benchIngestUnderLoad } from './ingest-under-load.js';
import { benchPages } from './pages.js';
import { benchRtt } from './rtt.js';
import { benchSpc } from './spc.js';

/**
 * npm run bench: times the hot paths and prints figures. Timings live here, never in tests.
 * Real files come from PLANWATCH_REAL_DATA (default ../shared/data).
 */
const dataDir = process.env.PLANWATCH_REAL_DATA ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');

const sections: [string, () => Promise<string[]>][] = [['spc', () => benchSpc()]];
if (existsSync(dataDir)) {
  sections.push(['ingest', () => benchIngest(dataDir)]);
  sections.push(['ingest all', () => benchIngestAll(dataDir)]);
  sections.push(['pages', () => benchPages(dataDir)]);
  sections.push(['ingest under load', () => benchIngestUnderLoad(dataDir)]);
  sections.push(['rtt', () => Promise.resolve(benchRtt(dataDir))]);
  sections.push(['export', () => benchExport(dataDir)]);
} else {
  console.log(`Skipping the ingest and page benches: no real data at ${dataDir} (set PLANWATCH_REAL_DATA).`);
}

// PLANWATCH_BENCH_ONLY=pages,spc runs only the sections named (the whole bench takes many minutes).
const only = process.env.PLANWATCH_BENCH_ONLY?.split(',').map((name) => name.trim());
for (const [name, run] of sections.filter(([name]) => !only || only.includes(name))) {
  try {
    for (const line of await run()) console.log(line);
  } catch (error) {
    console.log(`${name}: failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
