import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshStates, wasInterrupted } from '../../src/store/refresh-state.js';
import { Store } from '../../src/store/store.js';
import { aeFile, startNhsSite } from '../helpers/nhs-site.js';
import { placeMigratedFolder } from '../interface/helpers/stores.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Served {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** `planwatch serve` in a process of its own, refreshing A&E from the local site. */
async function serve(db: string, baseUrl: string): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'serve', '--db', db, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PLANWATCH_BASE_URL: baseUrl, PLANWATCH_REFRESH_COLLECTIONS: 'ae', PLANWATCH_REFRESH: '1d', PLANWATCH_FETCH_INTERVAL_MS: '0', PLANWATCH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let output = '';
  // Both pipes are read to the end: a server whose pipe fills up blocks on its next log line.
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving .* on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    void exited.then((code) => reject(new Error(`planwatch serve exited (${code}) before listening: ${output}`)));
  });
  return { child, base, exited };
}

async function periods(base: string): Promise<string[]> {
  const response = await fetch(`${base}/api/v1/series/RXA/ae_attendances`);
  if (response.status === 404) return [];
  return ((await response.json()) as { points: { period: string }[] }).points.map((point) => point.period);
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('planwatch serve killed with -9 during a refresh', { timeout: 240_000 }, () => {
  it('keeps every file committed before the kill, and the next start resumes and finishes the run', async () => {
    const site = await startNhsSite(['2025-04', '2025-05', '2025-06']);
    cleanups.push(() => site.close());
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'planwatch-kill-')), 'store.duckdb');
    // The server's interface log exists already: making it (initdb) is another test's subject.
    await placeMigratedFolder(db.replace(/\.duckdb$/, '.interface'));
    // June's file never arrives: the refresh is stuck in the middle when the server is killed.
    const june = aeFile('2025-06');
    site.fail(june, 'hang');

    const first = await serve(db, site.baseUrl);
    await eventually(async () => site.requests.some((request) => request.path === june) && (await periods(first.base)).length === 2, 'April and May, then the June download');
    const during = (await (await fetch(`${first.base}/api/v1/status`)).json()) as { collections: { collection: string; running: boolean; waiting: number }[] };
    expect(during.collections.find((entry) => entry.collection === 'ae')).toMatchObject({ running: true, waiting: 1 });
    first.child.kill('SIGKILL');
    await first.exited;

    // Nothing committed is lost: the store, opened after the kill, holds April and May, and knows
    // the run did not finish.
    const store = await Store.open(db, { readOnly: true });
    try {
      const names = (await store.all<{ name: string }>('SELECT name FROM files ORDER BY name')).map((row) => row.name);
      expect(names).toEqual(['Monthly-AE-April-2025.csv', 'Monthly-AE-May-2025.csv']);
      expect(wasInterrupted((await refreshStates(store)).get('ae')!)).toBe(true);
    } finally {
      store.close();
    }

    // The site answers again; the next start runs the interrupted collection at once (the
    // interval is a day, so nothing else would) and June arrives.
    site.fail(june, 'hang', 0);
    const second = await serve(db, site.baseUrl);
    await eventually(async () => (await periods(second.base)).includes('2025-06'), 'June after the restart');
    expect(await periods(second.base)).toEqual(['2025-04', '2025-05', '2025-06']);
    await eventually(async () => {
      const status = (await (await fetch(`${second.base}/api/v1/status`)).json()) as { collections: { collection: string; running: boolean; waiting: number; lastChecked: string | null }[] };
      const ae = status.collections.find((entry) => entry.collection === 'ae')!;
      return !ae.running && ae.waiting === 0 && ae.lastChecked !== null;
    }, 'the resumed run to finish');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
