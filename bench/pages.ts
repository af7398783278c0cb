import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ingestPaths } from '../src/cli/commands/ingest.js';
import { Store } from '../src/store/store.js';
import { CLI, ensureBuilt } from './built.js';
import { listeningUrl } from './listening.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The pages under load (issue 10): a store of every collection in the real data folder (the
 * measure values computed once at ingest), `planwatch serve` in its own process on loopback (as
 * it runs for real, so the load generator does not share its process), then:
 *
 * 1. the first request to a trust page and to an ICB page after start (nothing of theirs
 *    cached: the server builds only the home, England and region pages before it listens), with the
 *    server's CPU time for each; then England's page, built before listening;
 * 2. each page with 50 concurrent clients for 10 s (gzip, as browsers ask): p50, p90, p99,
 *    requests a second and errors;
 * 3. the same while two more connections ask for another organisation's page with a new query
 *    string every request (`?x=1`, `?x=2`, …), which must neither evict the cache nor slow
 *    everyone else;
 * 4. the server's peak resident memory while serving (VmRSS sampled every 50 ms), and apart from
 *    it the peak before listening, when it computes the measure values an ingest left.
 *
 * Goals: p90 under 20 ms with no errors, first request under 200 ms, peak memory under 1 GB.
 * PLANWATCH_BENCH_DB names an already-ingested store to copy instead of ingesting (the ingest
 * of every collection takes minutes); its time is printed when it is done here.
 */
const CLIENTS = 50;
const SECONDS = 10;

export async function benchPages(dataDir = process.env.PLANWATCH_REAL_DATA ?? path.resolve(ROOT, '..', 'shared', 'data'), trust = 'RHU', icb = 'QRL'): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-bench-pages-'));
  const db = path.join(dir, 'pages.duckdb');
  const lines: string[] = [];
  let server: ChildProcess | undefined;
  try {
    const given = process.env.PLANWATCH_BENCH_DB;
    if (given) {
      copyFileSync(given, db);
      lines.push(`pages: store copied from ${given}`);
    } else {
      const started = performance.now();
      const store = await Store.open(db);
      // ingestPaths computes every measure value once, after the last file.
      const outcomes = await ingestPaths(store, [dataDir]);
      store.close();
      const ingested = outcomes.filter((outcome) => outcome.status === 'ingested').length;
      lines.push(`pages: ingested ${ingested} files of every collection in ${dataDir}, measure values included, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const startedServer = performance.now();
    ensureBuilt();
    server = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--no-refresh'], {
      // Request logging off (warn): it would measure pino writing two lines per request. No
      // scheduled refresh (--no-refresh): the bench has no network, and a refresh run's commits
      // start a new store version, which empties every cache mid-measurement.
      env: { ...process.env, HOST: '127.0.0.1', PLANWATCH_LOG_LEVEL: 'warn', PLANWATCH_INTERFACE_DIR: path.join(dir, 'interface') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const base = await listeningUrl(server);
    lines.push(`server listening ${((performance.now() - startedServer) / 1000).toFixed(1)} s after start (measure values refreshed before listening when an ingest left any stale)`);
    // Start-up (computing the measure values an ingest left) and serving are told apart: the
    // first is one-off work before the server takes a request, the goal is about the second.
    const startUpPeak = memoryMb(server.pid, 'VmHWM');
    let servingPeak = memoryMb(server.pid, 'VmRSS');
    const sampler = setInterval(() => (servingPeak = Math.max(servingPeak, memoryMb(server?.pid, 'VmRSS'))), 50);

    const pages = [{ label: 'trust page', url: `${base}/org/${trust}` }, { label: 'ICB page', url: `${base}/org/${icb}` }];
    // The server's CPU time for the request too: unlike the time, it hardly depends on what else
    // the machine is doing.
    for (const page of [...pages, { label: 'England page', url: `${base}/org/ENG` }]) {
      const before = cpuMs(server.pid);
      const cold = await timeOnce(page.url);
      const goal = page.label === 'England page' ? 'built before listening' : 'goal: under 200 ms';
      lines.push(`${page.label} ${new URL(page.url).pathname}: first request after start ${cold.toFixed(0)} ms, server CPU ${(cpuMs(server.pid) - before).toFixed(0)} ms (${goal})`);
    }
    for (const page of pages) {
      lines.push(summary(`${page.label}, ${CLIENTS} clients ${SECONDS} s`, await load(page.url, server.pid)));
    }
    // Two connections asking for another trust's page with a new query string every time.
    const busting = `${base}/org/RJ1`;
    for (const page of pages) {
      let n = 0;
      const noise = new Promise<autocannon.Result>((resolve, reject) => {
        autocannon({
          url: busting, connections: 2, duration: SECONDS + 1, headers: { 'accept-encoding': 'gzip' },
          requests: [{ setupRequest: (request) => ({ ...request, path: `/org/RJ1?x=${++n}` }) }],
        }, (error, done) => (error ? reject(error) : resolve(done)));
      });
      const result = await load(page.url, server.pid);
      const busted = await noise;
      lines.push(summary(`${page.label}, ${CLIENTS} clients + 2 sending a new ?x= every request`, result));
      lines.push(`  the 2 cache-busting connections: ${busted.requests.total} requests, p90 ${busted.latency.p90} ms, ${busted.non2xx} non-2xx, ${busted.errors} errors`);
    }
    clearInterval(sampler);
    lines.push(`server memory while serving: peak resident ${servingPeak.toFixed(0)} MB, sampled every 50 ms from the first request on (goal: under 1024 MB)`);
    lines.push(`server memory before listening: ${startUpPeak.toFixed(0)} MB peak (start-up, incl. the measure values the ingest left); over the whole run ${memoryMb(server.pid, 'VmHWM').toFixed(0)} MB`);
    return lines;
  } finally {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeOnce(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return performance.now() - start;
}

interface Loaded {
  times: number[];
  result: autocannon.Result;
  serverCpuMs: number;
}

/** CLIENTS connections on one URL for SECONDS; every response time kept, so the percentiles are exact. */
async function load(url: string, pid: number | undefined): Promise<Loaded> {
  const times: number[] = [];
  const before = cpuMs(pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CLIENTS, duration: SECONDS, headers: { 'accept-encoding': 'gzip' } }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) times.push(responseTime);
    });
  });
  times.sort((a, b) => a - b);
  return { times, result, serverCpuMs: cpuMs(pid) - before };
}

function summary(label: string, { times, result, serverCpuMs }: Loaded): string {
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const cpu = Number.isFinite(serverCpuMs) && result.requests.total > 0 ? `, server CPU ${(serverCpuMs / result.requests.total).toFixed(2)} ms a request` : '';
  return `${label}: p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, ${result.requests.average.toFixed(0)} requests/s, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (goal: p90 under 20 ms, no errors)${cpu}`;
}

/** A process's user + system CPU time in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return NaN;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A process's resident set now (VmRSS) or at its peak so far (VmHWM) in MB, from /proc (Linux); NaN elsewhere. */
function memoryMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const status = `/proc/${pid}/status`;
  if (pid === undefined || !existsSync(status)) return NaN;
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(status, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}
