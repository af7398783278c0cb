import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ingestPaths } from '../src/cli/commands/ingest.js';
import { Store } from '../src/store/store.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The organisation page under load: a store of the real A&E files, `planwatch serve` in its own
 * process on loopback (as it runs for real, so the load generator does not share its core), and
 * autocannon with 50 concurrent clients for about 10 seconds on one trust's page, asking for
 * gzip as browsers do. Reports the first (uncached) render, then p50 and p95 latency and
 * requests per second. autocannon's histogram has no 95th percentile, so every response time
 * is kept and the percentiles computed here. Goal (issue 4): p95 under 20 ms.
 */
export async function benchPages(dataDir = process.env.PLANWATCH_REAL_DATA ?? path.resolve(ROOT, '..', 'shared', 'data'), org = 'RHU'): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-pages-'));
  const db = path.join(dir, 'pages.duckdb');
  let server: ChildProcess | undefined;
  try {
    const store = await Store.open(db);
    await ingestPaths(store, [path.join(dataDir, 'ae_monthly'), path.join(dataDir, 'ae_nhsrdatasets')]);
    store.close();
    server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'serve', '--db', db, '--port', '0'], {
      // Request logging off (warn): it would measure pino writing two lines per request.
      env: { ...process.env, HOST: '127.0.0.1', PLANWATCH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const base = await listeningUrl(server);
    const url = `${base}/org/${org}`;

    const start = performance.now();
    const first = await fetch(url);
    await first.text();
    const cold = performance.now() - start;
    if (!first.ok) throw new Error(`GET ${url} answered ${first.status}`);

    const times: number[] = [];
    const serverBefore = cpuMs(server.pid);
    const clientBefore = process.cpuUsage();
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url, connections: 50, duration: 10, headers: { 'accept-encoding': 'gzip' } }, (error, done) => (error ? reject(error) : resolve(done)));
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode === 200) times.push(responseTime);
      });
    });
    const serverCpu = cpuMs(server.pid) - serverBefore;
    const client = process.cpuUsage(clientBefore);
    const clientCpu = (client.user + client.system) / 1000;
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
    return [
      `org page /org/${org}: first render ${cold.toFixed(0)} ms (queries, SPC and eight charts; then cached until the next ingest)`,
      `org page, 50 connections for ${result.duration.toFixed(0)} s: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, ${result.requests.average.toFixed(0)} requests/s, ${result.non2xx} non-2xx, ${result.errors} errors (goal: p95 under 20 ms)`,
      // On two cores the load generator competes with the server: the CPU each spends per
      // request says which of them the latency above is made of.
      ...(Number.isFinite(serverCpu) ? [`org page CPU per request: server ${(serverCpu / result.requests.total).toFixed(3)} ms, autocannon ${(clientCpu / result.requests.total).toFixed(3)} ms`] : []),
    ];
  } finally {
    server?.kill('SIGTERM');
    if (server) await new Promise((resolve) => server!.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A process's user + system CPU time in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return NaN;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Waits for `planwatch serve` to print where it listens. */
function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /serving .* on (http:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    server.once('exit', (code) => reject(new Error(`planwatch serve exited (${code}) before listening: ${seen}`)));
  });
}
