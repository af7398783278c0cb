import { spawn } from 'node:child_process';
import { CLI, ensureBuilt } from './built.js';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Ingest as a user meets it: whole `planwatch ingest` processes of the built CLI (start-up, module
 * loading, one transaction per file, exit), timed from outside.
 *
 * 1. The A&E files (ae_monthly and ae_nhsrdatasets) against a plain Node process in which DuckDB's
 *    own read_csv loads the same files (bench/read-csv.mjs): issue 10 item 5's goal is a ratio ≤ 2.
 *    Then the next command, which builds the measure values the ingest left marked.
 * 2. Every file in the data folder into a fresh store (issue 15): time, files, rows, what was
 *    skipped, and the process's peak resident memory.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
interface Run {
  ms: number;
  /** Peak resident set (VmHWM) sampled from /proc every 20 ms; null off Linux. */
  peakRssMb: number | null;
  stdout: string;
  code: number | null;
}

/** Runs `node ARGS` as its own process, timing it whole and sampling its peak memory. */
function runNode(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | null = null;
    const sample = () => {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kb) peak = Math.max(peak ?? 0, Number(kb) / 1024);
      } catch {
        // The process has gone, or there is no /proc: keep what was seen.
      }
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = performance.now() - start;
      if (code !== 0 && code !== 3) reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ ms, peakRssMb: peak, stdout, code });
    });
  });
}

function aeFiles(dataDir: string): string[] {
  return [
    ...readdirSync(path.join(dataDir, 'ae_monthly')).sort().map((name) => path.join(dataDir, 'ae_monthly', name)),
    path.join(dataDir, 'ae_nhsrdatasets', 'ae_attendances_2016-04_to_2019-03.csv'),
  ];
}

export async function benchIngest(dataDir: string, runs = 3): Promise<string[]> {
  ensureBuilt();
  const files = aeFiles(dataDir);
  let ours = Infinity;
  let limit = Infinity;
  let measures = Infinity;
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-'));
    try {
      const db = path.join(dir, 'bench.duckdb');
      ours = Math.min(ours, (await runNode([CLI, 'ingest', '--db', db, '--json', ...files])).ms);
      // The measure values of the months ingested are built by the next command that reads the
      // store: timed with the lightest such command, so the cost moved out of ingest stays in view.
      measures = Math.min(measures, (await runNode([CLI, 'orgs', '--db', db, '--json'])).ms);
      limit = Math.min(limit, (await runNode([path.join(import.meta.dirname, 'read-csv.mjs'), path.join(dir, 'limit.duckdb'), ...files])).ms);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return [
    `ingest: ${files.length} A&E files, whole \`planwatch ingest\` process: ${ours.toFixed(0)} ms (best of ${runs})`,
    `ingest: whole process of DuckDB read_csv of the same files: ${limit.toFixed(0)} ms; ratio ${(ours / limit).toFixed(2)}× (goal ≤ 2×)`,
    `ingest: then the next command (\`planwatch orgs\`), which builds those files' measure values first: ${measures.toFixed(0)} ms (best of ${runs})`,
  ];
}

interface Outcome {
  path: string;
  status: 'ingested' | 'unchanged' | 'skipped' | 'rejected';
  result?: { rows: number };
}

/** Every file of the data folder into a fresh store, in one `planwatch ingest` process. */
export async function benchIngestAll(dataDir: string): Promise<string[]> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-all-'));
  try {
    const run = await runNode([CLI, 'ingest', '--db', path.join(dir, 'all.duckdb'), '--json', dataDir]);
    const outcomes = JSON.parse(run.stdout) as Outcome[];
    const count = (status: Outcome['status']) => outcomes.filter((o) => o.status === status);
    const rows = outcomes.reduce((sum, o) => sum + (o.result?.rows ?? 0), 0);
    const skipped = count('skipped').map((o) => path.relative(dataDir, o.path));
    const rejected = count('rejected').map((o) => path.relative(dataDir, o.path));
    // Keeps the store for the pages bench (PLANWATCH_BENCH_DB), which would otherwise ingest it all again.
    const keep = process.env.PLANWATCH_BENCH_SAVE_DB;
    if (keep) copyFileSync(path.join(dir, 'all.duckdb'), keep);
    return [
      `ingest all of ${dataDir}: ${(run.ms / 1000).toFixed(1)} s, ${count('ingested').length} files ingested, ${rows.toLocaleString('en-GB')} rows, peak RSS ${run.peakRssMb === null ? 'unknown' : `${run.peakRssMb.toFixed(0)} MB`}`,
      `ingest all: skipped ${skipped.length} (${skipped.join(', ') || 'none'}); rejected ${rejected.length}${rejected.length ? ` (${rejected.join(', ')})` : ''}`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
