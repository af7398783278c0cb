import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../../src/config.js';
import type { InterfaceContext } from '../../../src/interface/context.js';
import { scryptCost } from '../../../src/interface/passwords.js';
import { migrateInterfaceStore, openInterfaceStore, type InterfaceStore, type InterfaceTarget } from '../../../src/interface/database.js';
import { PGliteDialect } from '../../../src/interface/pglite-dialect.js';
import type { InterfaceDatabase } from '../../../src/interface/schema.js';
import { buildOnce } from '../../helpers/build-once.js';

/**
 * The interface tests run on every backend the service supports: always an in-memory PGlite, and
 * also a real PostgreSQL server when PLANWATCH_TEST_DATABASE_URL names one (`.ci/postgres.sh`
 * starts one). Each opened store on PostgreSQL is a fresh database, dropped on close.
 */
export interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  /** A new, empty, migrated store; `fresh` runs every migration on it at open (PGlite) as a server would. */
  open(options?: { fresh?: boolean }): Promise<TestStore>;
}

export interface TestStore {
  store: InterfaceStore;
  ctx: InterfaceContext;
  clock: FakeClock;
  close(): Promise<void>;
}

export interface FakeClock {
  (): Date;
  set(iso: string): void;
  advanceDays(days: number): void;
}

export function fakeClock(iso: string): FakeClock {
  let now = new Date(iso);
  const clock = (() => new Date(now)) as FakeClock;
  clock.set = (next) => {
    now = new Date(next);
  };
  clock.advanceDays = (days) => {
    now = new Date(now.getTime() + days * 86_400_000);
  };
  return clock;
}

const START = '2025-01-06T09:00:00Z';

/**
 * Opening a PGlite compiles its WebAssembly and runs initdb: about two seconds alone, far more
 * when every test file does it at once on two cores. Hooks and tests that open a store get this.
 */
export const OPEN_TIMEOUT_MS = 60_000;

/**
 * The run's cost for new password hashes. OWASP's (N = 2^15, r = 8, p = 3) takes a quarter of a
 * second of one core when idle and seconds on a busy machine, and the interface tests make and
 * check hundreds of hashes: vitest.config.ts sets PLANWATCH_SCRYPT_N = 1024 for the run (and for
 * the servers and commands tests start), as Django's test settings swap in a fast hasher.
 * test/interface/passwords.test.ts hashes at OWASP's cost.
 */
export const PASSWORD_COST = scryptCost(loadConfig({}, process.env).scryptN);

/**
 * A test that derives keys at OWASP's cost gets this much per derivation, so its limit grows with
 * its work.
 */
export const SCRYPT_MS = 5_000;
export const scryptTimeout = (derivations: number): number => 5_000 + derivations * SCRYPT_MS;

async function withStore(target: InterfaceTarget, onClose: () => Promise<void> = async () => {}): Promise<TestStore> {
  const store = await openInterfaceStore(target);
  const clock = fakeClock(START);
  return {
    store,
    clock,
    ctx: { db: store.db, clock, passwordCost: PASSWORD_COST },
    close: async () => {
      await store.close();
      await onClose();
    },
  };
}

/**
 * A PGlite data folder with every migration applied, dumped once per run (test/helpers/build-once.ts):
 * each store opens from it in a fraction of initdb's time. Migrations still run at open and find
 * nothing to do; tests of the migrations themselves open with `fresh`.
 */
async function migratedSnapshot(): Promise<Blob> {
  const file = await buildOnce('interface-pglite-migrated.tar', async (target) => {
    const pglite = await PGlite.create();
    try {
      await migrateInterfaceStore(new Kysely<InterfaceDatabase>({ dialect: new PGliteDialect(pglite) }));
      const dump = await pglite.dumpDataDir('none');
      writeFileSync(`${target}.part`, Buffer.from(await dump.arrayBuffer()));
      renameSync(`${target}.part`, target);
    } finally {
      await pglite.close();
    }
  });
  return new Blob([readFileSync(file)]);
}

let snapshot: Promise<Blob> | undefined;

/**
 * Puts a migrated interface-log folder at `dataDir`, as a server or command finds one it made on
 * an earlier day. Making a new folder runs initdb: some five seconds of CPU and 800 MB of
 * WebAssembly memory each time, in the test's process or the child it starts; the run makes
 * one folder from the migrated snapshot and each test copies it (a few milliseconds). The tests
 * of making a folder (test/interface/database.test.ts, the first `add-user` of
 * test/cli/interface.test.ts) still make their own.
 */
export async function placeMigratedFolder(dataDir: string): Promise<void> {
  const folder = await buildOnce('interface-pglite-migrated', async (target) => {
    const building = `${target}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const made = await PGlite.create({ dataDir: building, loadDataDir: await (snapshot ??= migratedSnapshot()) });
    await made.close();
    renameSync(building, target);
  });
  cpSync(folder, dataDir, { recursive: true });
}

const pglite: Backend = {
  name: 'PGlite',
  open: async ({ fresh = false } = {}) =>
    withStore(fresh ? { kind: 'pglite', dataDir: undefined } : { kind: 'pglite', dataDir: undefined, snapshot: await (snapshot ??= migratedSnapshot()) }),
};

function postgres(serverUrl: string): Backend {
  return {
    name: 'PostgreSQL',
    async open() {
      const database = `planwatch_test_${randomBytes(6).toString('hex')}`;
      await administer(serverUrl, `create database ${database}`);
      const url = new URL(serverUrl);
      url.pathname = `/${database}`;
      return withStore({ kind: 'postgres', url: url.toString() }, () => administer(serverUrl, `drop database ${database} with (force)`));
    },
  };
}

async function administer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const serverUrl = process.env.PLANWATCH_TEST_DATABASE_URL;
export const backends: Backend[] = serverUrl ? [pglite, postgres(serverUrl)] : [pglite];

if (!serverUrl) {
  process.stderr.write('Interface tests run on PGlite only: set PLANWATCH_TEST_DATABASE_URL (see .ci/postgres.sh) to run them on PostgreSQL too.\n');
}
