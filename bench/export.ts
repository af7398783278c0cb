import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestPaths } from '../src/cli/commands/ingest.js';
import { exportStatic } from '../src/server/export.js';
import { Store } from '../src/store/store.js';

/**
 * The whole static export (issue 10 item 3): a store of the real A&E files and the ODS
 * organisations (every trust, ICB and region with its pages), exported as `planwatch export
 * --static` does, timed from the first page to the last Parquet file. The store is built first
 * and not timed. Figures are for the lead's quiet machine; `PLANWATCH_BENCH_EXPORT_FOLDERS`
 * (comma-separated folders of PLANWATCH_REAL_DATA) exports another set of collections.
 */
export async function benchExport(dataDir: string): Promise<string[]> {
  const folders = (process.env.PLANWATCH_BENCH_EXPORT_FOLDERS ?? 'ods,ae_monthly,ae_nhsrdatasets').split(',').map((folder) => path.join(dataDir, folder.trim()));
  const work = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-export-'));
  try {
    const store = await Store.open(path.join(work, 'export.duckdb'));
    try {
      await ingestPaths(store, folders);
      const summary = await exportStatic({ store, dir: path.join(work, 'site') });
      const seconds = summary.ms / 1000;
      return [
        `static export (${folders.map((folder) => path.basename(folder)).join(', ')}): ${seconds.toFixed(1)} s for ${summary.pages} pages, ${summary.data} data files and ${summary.assets} assets, ${(summary.bytes / 1024 / 1024).toFixed(0)} MB (${(summary.pages / seconds).toFixed(1)} pages/s)`,
        `static export Parquet: ${summary.observations.rows} observations (${(summary.observations.bytes / 1024 / 1024).toFixed(1)} MB), ${summary.measureValues.rows} measure values (${(summary.measureValues.bytes / 1024 / 1024).toFixed(1)} MB)`,
      ];
    } finally {
      store.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
