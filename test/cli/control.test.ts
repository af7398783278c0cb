import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { controlFilePath, startControl, type ControlEndpoint } from '../../src/cli/control.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { Store } from '../../src/store/store.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { ingestFixture, memoryStore } from '../helpers/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runningServer(db: string): Promise<{ store: Store; control: ControlEndpoint }> {
  const store = await Store.open(db);
  const control = await startControl(loadConfig({ db }, {}), store, main);
  cleanups.push(() => store.close(), () => control.close());
  return { store, control };
}

describe('the CLI beside a running server', () => {
  it('hands ingest and series to the server that holds the store, and the server shows the new month', async () => {
    const db = tempDb();
    const { store, control } = await runningServer(db);
    const app = await buildApp({ store });
    cleanups.push(() => app.close());
    expect(statSync(control.file).mode & 0o777).toBe(0o600);

    const ingest = await runCli('ingest', '--db', db, fixturePath('ae', 'synthetic-ae-2020.csv'));
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/^ingested\s+ae\s+2020-05/);
    // The server's own connection sees the file: the server wrote it, not a second opener.
    expect(await store.one('SELECT name FROM files')).toEqual({ name: 'synthetic-ae-2020.csv' });
    const series = await runCli('series', 'RCC', 'ae_attendances', '--db', db, '--json');
    expect(series.code, series.stderr).toBe(0);
    expect(JSON.parse(series.stdout).map((p: { period: string }) => p.period)).toEqual(['2020-05']);
    const api = await app.inject('/api/v1/series/RCC/ae_attendances');
    expect(api.statusCode).toBe(200);
    expect(api.body).toContain('2020-05');
  });

  it('prints a refusal and its exit code as the command would locally', async () => {
    const db = tempDb();
    await runningServer(db);
    const run = await runCli('series', 'NOPE', 'ae_4hr', '--db', db);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^planwatch: /);
  });

  it('exits 3 when the server drops a command it was running, and does not run it a second time here', async () => {
    const db = tempDb();
    // A server that takes the command and then goes away without answering (killed mid-ingest).
    const dropping = http.createServer((request) => request.on('data', () => request.socket.destroy()));
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => dropping.close(() => resolve())));
    const port = (dropping.address() as AddressInfo).port;
    writeFileSync(controlFilePath(db), JSON.stringify({ pid: process.pid, port, token: 'x'.repeat(43), db }));
    cleanups.push(() => rmSync(controlFilePath(db), { force: true }));
    const run = await runCli('ingest', '--db', db, fixturePath('ae', 'synthetic-ae-2020.csv'));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('stopped answering while it ran "ingest"');
    expect(run.stderr).not.toMatch(/Unexpected error/);
    expect(existsSync(db)).toBe(false);
  });

  it('removes the control file when the server stops', async () => {
    const db = tempDb();
    const store = await Store.open(db);
    const control = await startControl(loadConfig({ db }, {}), store, main);
    expect(existsSync(controlFilePath(db))).toBe(true);
    await control.close();
    store.close();
    expect(existsSync(controlFilePath(db))).toBe(false);
  });
});

describe('Store.open(path) on a store another process holds', () => {
  it('exits 3 naming the process and what to do, never "unexpected error"', async () => {
    const db = tempDb();
    (await Store.open(db)).close();
    const holder = spawn(process.execPath, ['--input-type=module', '-e',
      "import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(process.argv[1]); console.log('ready'); setInterval(() => {}, 1000);", db],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => void holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout.on('data', () => resolve()));
    const run = await runCli('series', 'ENG', 'ae_4hr', '--db', db);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`PID ${holder.pid}`);
    expect(run.stderr).toMatch(/in use by another process/);
    expect(run.stderr).not.toMatch(/Unexpected error/);
  });
});

describe('Store.readLease()', () => {
  it('holds a commit back until the lease is released, so a reader sees one version', async () => {
    const store = await memoryStore();
    cleanups.push(() => store.close());
    const count = async () => (await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM files'))!.n;
    const release = await store.readLease();
    let workDone!: () => void;
    const reached = new Promise<void>((resolve) => (workDone = resolve));
    const ingest = store.transaction(async () => {
      const result = await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv');
      workDone();
      return result;
    });
    await reached;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(await count()).toBe(0);
    const versionInLease = store.version;
    release();
    await ingest;
    expect(await count()).toBe(1);
    expect(store.version).toBeGreaterThan(versionInLease);
  });
});
