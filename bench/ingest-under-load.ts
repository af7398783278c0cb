import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestPaths } from '../src/cli/commands/ingest.js';
import { Store } from '../src/store/store.js';
import { listeningUrl } from './listening.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

/**
 * Issue 11: `planwatch ingest` of a new month beside a running server under 20 concurrent
 * clients. A store of the real A&E files without the newest month; `planwatch serve` in its own
 * process; 20 clients asking for England's status, a series, a league table and an organisation
 * page in turn; then `planwatch ingest NEWEST.csv` in another process (the server runs it). Reports
 * the ingest's exit code and time, how long after it ended the API served the new month, requests
 * that failed or mixed two versions, and how long `planwatch series` took meanwhile.
 */
export async function benchIngestUnderLoad(dataDir: string, clients = 20): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-load-'));
  const db = path.join(dir, 'load.duckdb');
  let server: ChildProcess | undefined;
  try {
    const monthly = path.join(dataDir, 'ae_monthly');
    const files = readdirSync(monthly).sort();
    const newest = files.at(-1)!;
    const newMonth = newest.slice(0, 7);
    // Every A&E file but the newest month's, linked into a folder of their own.
    const older = path.join(dir, 'older');
    mkdirSync(older);
    for (const name of files.filter((name) => !name.startsWith(newMonth))) symlinkSync(path.join(monthly, name), path.join(older, name));
    const store = await Store.open(db);
    await ingestPaths(store, [older]);
    store.close();

    server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--db', db, '--port', '0', '--no-refresh'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PLANWATCH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const base = await listeningUrl(server);
    const paths = ['/api/v1/status/ENG', '/api/v1/series/ENG/ae_4hr', '/api/v1/league/ae_4hr', '/org/RHU', '/'];
    let stop = false;
    let requests = 0;
    const failures: string[] = [];
    const mixed: string[] = [];
    let firstNew: number | undefined;
    const load = Array.from({ length: clients }, async (_, client) => {
      for (let i = client; !stop; i++) {
        const at = paths[i % paths.length]!;
        try {
          const response = await fetch(`${base}${at}`);
          const body = await response.text();
          requests++;
          if (response.status !== 200) failures.push(`${at} ${response.status}`);
          if (at === '/api/v1/series/ENG/ae_4hr' && body.includes(`"${newMonth}"`)) firstNew ??= performance.now();
          if (at === '/org/RHU') {
            const months = [...new Set([/Figures to ([A-Z][a-z]+ \d{4}), from NHS England/, /A&amp;E figures to ([A-Z][a-z]+ \d{4})/, /A&amp;E Attendances and Emergency Admissions to ([A-Z][a-z]+ \d{4})/]
              .map((pattern) => pattern.exec(body)?.[1]))];
            if (months.length !== 1) mixed.push(months.join(' / '));
          }
        } catch (error) {
          failures.push(`${at} ${(error as Error).message}`);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // What starting the CLI costs on its own (it loads every command, then prints help), to tell
    // Node and TypeScript start-up apart from the server's work in the times below.
    const startupStart = performance.now();
    await run(['series', '--help']);
    const startupMs = performance.now() - startupStart;

    const seriesStart = performance.now();
    const series = await run(['series', 'ENG', 'ae_4hr', '--db', db, '--json']);
    const seriesMs = performance.now() - seriesStart;

    const ingestStart = performance.now();
    const ingest = await run(['ingest', '--db', db, path.join(monthly, newest)]);
    const ingestEnd = performance.now();
    while (firstNew === undefined && performance.now() - ingestEnd < 60_000) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stop = true;
    await Promise.all(load);
    const visible = firstNew === undefined ? 'never (60 s)' : `${Math.max(0, firstNew - ingestEnd).toFixed(0)} ms after it exited (${(firstNew - ingestStart).toFixed(0)} ms after it started; goal < 5000 ms)`;
    return [
      `ingest under load: ${clients} clients, ${requests} requests; planwatch ingest ${newest} exited ${ingest.code} in ${(ingestEnd - ingestStart).toFixed(0)} ms (a process of its own: Node start-up included)`,
      `ingest under load: the API served ${newMonth} ${visible}`,
      `ingest under load: ${failures.length} failed requests${failures.length ? ` (${[...new Set(failures)].slice(0, 3).join('; ')})` : ''}, ${mixed.length} pages mixing two versions (goal: 0 and 0)`,
      `ingest under load: planwatch series ENG ae_4hr beside the loaded server exited ${series.code} in ${seriesMs.toFixed(0)} ms (starting the CLI alone: ${startupMs.toFixed(0)} ms)`,
    ];
  } finally {
    server?.kill('SIGTERM');
    if (server) await new Promise((resolve) => server!.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}
