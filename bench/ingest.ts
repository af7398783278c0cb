import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestPath } from '../src/store/ingest.js';
import { Store } from '../src/store/store.js';

/**
 * Ingest every real A&E file into a fresh store file, against the practical limit: DuckDB's own
 * read_csv of the same files into tables (no validation, no provenance). Best of several runs.
 */
export async function benchIngest(dataDir: string, runs = 3): Promise<string[]> {
  const files = [
    ...readdirSync(path.join(dataDir, 'ae_monthly')).sort().map((name) => path.join(dataDir, 'ae_monthly', name)),
    path.join(dataDir, 'ae_nhsrdatasets', 'ae_attendances_2016-04_to_2019-03.csv'),
  ];
  let ours = Infinity;
  let limit = Infinity;
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-'));
    try {
      const store = await Store.open(path.join(dir, 'bench.duckdb'));
      const start = performance.now();
      for (const file of files) await ingestPath(store, file);
      ours = Math.min(ours, performance.now() - start);
      store.close();

      const instance = await DuckDBInstance.create(path.join(dir, 'limit.duckdb'));
      const connection = await instance.connect();
      const begin = performance.now();
      for (const [index, file] of files.entries()) {
        await connection.run(`CREATE TABLE t${index} AS SELECT * FROM read_csv($1, header = true)`, [file]);
      }
      limit = Math.min(limit, performance.now() - begin);
      connection.closeSync();
      instance.closeSync();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return [
    `ingest: ${files.length} A&E files into a fresh store file: ${ours.toFixed(0)} ms (best of ${runs}; goal < 1000 ms)`,
    `ingest: DuckDB read_csv of the same files (practical limit): ${limit.toFixed(0)} ms; ratio ${(ours / limit).toFixed(2)}× (goal ≤ 3×)`,
  ];
}
