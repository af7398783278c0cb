import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { isEnoent, PlanwatchError } from '../errors.js';
import { isProcessRunning } from '../processes.js';
import { migrationProvider } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { InterfaceDatabase } from './schema.js';

/**
 * Where the interface log lives: an embedded PGlite folder beside the DuckDB store by default,
 * or a PostgreSQL server when DATABASE_URL is set (needed for several server instances: PGlite
 * is one process's private database). `dataDir: undefined` is an in-memory PGlite for tests.
 */
export type InterfaceTarget =
  // `snapshot`: an in-memory PGlite starts from this dumped data folder (PGlite's dumpDataDir)
  // instead of running initdb: the tests start each store from one migrated snapshot.
  | { kind: 'pglite'; dataDir: string | undefined; snapshot?: Blob }
  | { kind: 'postgres'; url: string };

export function interfaceTarget(config: Pick<Config, 'databaseUrl' | 'interfaceDir'>): InterfaceTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.interfaceDir };
}

export interface InterfaceStore {
  readonly db: Kysely<InterfaceDatabase>;
  readonly target: InterfaceTarget;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations before returning (default true: the server runs them at start-up). */
  migrate?: boolean;
  /** Errors of idle pooled connections (a restarted server, a dropped link); default: stderr. */
  onBackgroundError?: (error: Error) => void;
}

const DATE_OID = 1082;

// `date` columns stay 'YYYY-MM-DD' text: turned into a JS Date they would be local midnight and
// could print as the day before.
const keepDateAsText = (value: string): string => value;

export async function openInterfaceStore(target: InterfaceTarget, options: OpenOptions = {}): Promise<InterfaceStore> {
  const unlock = target.kind === 'pglite' && target.dataDir !== undefined ? lockFolder(target.dataDir) : () => {};
  let db: Kysely<InterfaceDatabase>;
  try {
    db = new Kysely<InterfaceDatabase>({ dialect: await dialectFor(target, options) });
  } catch (error) {
    unlock();
    throw error;
  }
  const close = async () => {
    try {
      await db.destroy();
    } finally {
      unlock();
    }
  };
  if (options.migrate ?? true) {
    try {
      await migrateInterfaceStore(db);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { db, target, close };
}

/**
 * PGlite is one process's private database: it opens a folder another process has open without
 * complaint, and two writers corrupt it. A lock file beside the folder, holding the owner's
 * process id, keeps a second process out (`planwatch interface add-user` while `planwatch serve`
 * runs); a lock left by a process that died (killed, or the machine restarted) is taken over.
 */
function lockFolder(dataDir: string): () => void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw folderError(dataDir, (error as Error).message, error);
  }
  const lockPath = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      return () => {
        if (readLock(lockPath) === mine) unlinkSync(lockPath);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLock(lockPath);
      if (owner !== undefined && isProcessRunning(Number(owner))) {
        throw new PlanwatchError(
          'E_USAGE',
          `The interface log in ${dataDir} is open in another Planwatch process (process ${owner}). Stop it first (planwatch serve keeps it open while it runs), or set DATABASE_URL so several processes share a PostgreSQL server.`,
        );
      }
      unlinkSync(lockPath);
    }
  }
  throw new PlanwatchError('E_USAGE', `Another process is opening the interface log in ${dataDir} at the same moment; try again.`);
}

function readLock(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8').trim();
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
}

/**
 * A new PGlite folder is made by initdb, which grows this process's WebAssembly memory by some
 * 800 MB that is never given back: a server started on a new folder stayed above 1 GB for its
 * whole life against 300 MB on a folder that existed. So a new folder is made by a short child
 * process (create-pglite.ts) and this process only opens it. Run from TypeScript without tsx
 * (the tests, whose in-memory and snapshot stores never run initdb anyway), it is made here.
 */
async function createFolder(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const here = fileURLToPath(import.meta.url);
  const script = path.join(path.dirname(here), `create-pglite${path.extname(here)}`);
  if (path.extname(here) === '.ts' && !process.execArgv.some((arg) => /\btsx\b/.test(arg))) return;
  const flags = process.execArgv.filter((arg) => !/^--(inspect|cpu-prof|heap-prof|prof)/.test(arg));
  try {
    await promisify(execFile)(process.execPath, [...flags, script, dataDir], { cwd: process.cwd() });
  } catch (error) {
    // The child's last line of complaint (disk full, not writable) says more than "Command failed".
    const said = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').filter(Boolean).at(-1);
    throw folderError(dataDir, said ?? (error as Error).message, error);
  }
}

/** The interface log's folder cannot be made: where it is, why, and what the user can change. */
function folderError(dataDir: string, why: string, cause: unknown): PlanwatchError {
  return new PlanwatchError('E_CONFIG',
    `The interface log's folder ${dataDir} cannot be made (${why}). Make sure it can be written, or set PLANWATCH_INTERFACE_DIR to another folder (or DATABASE_URL to keep the log in PostgreSQL).`,
    undefined, { cause });
}

async function dialectFor(target: InterfaceTarget, options: OpenOptions) {
  if (target.kind === 'pglite') {
    if (target.dataDir !== undefined && target.snapshot === undefined) await createFolder(target.dataDir);
    const pglite = await PGlite.create({
      ...(target.dataDir === undefined ? {} : { dataDir: target.dataDir }),
      ...(target.snapshot === undefined ? {} : { loadDataDir: target.snapshot }),
      parsers: { [pgliteTypes.DATE]: keepDateAsText },
    });
    return new PGliteDialect(pglite);
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? keepDateAsText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const onBackgroundError = options.onBackgroundError ?? ((error: Error) => process.stderr.write(`interface database: ${error.message}\n`));
  pool.on('error', onBackgroundError);
  return new PostgresDialect({ pool });
}

/** Applies every pending migration; idempotent, and safe when several instances start at once. */
export async function migrateInterfaceStore(db: Kysely<InterfaceDatabase>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`Interface database migration failed: ${String(error)}`);
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
