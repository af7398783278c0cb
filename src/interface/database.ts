import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { migrationProvider } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { InterfaceDatabase } from './schema.js';

/**
 * Where the interface log lives: an embedded PGlite folder beside the DuckDB store by default,
 * or a PostgreSQL server when DATABASE_URL is set (needed for several server instances: PGlite
 * is one process's private database). `dataDir: undefined` is an in-memory PGlite for tests.
 */
export type InterfaceTarget = { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string };

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
  const db = new Kysely<InterfaceDatabase>({ dialect: await dialectFor(target, options) });
  if (options.migrate ?? true) {
    try {
      await migrateInterfaceStore(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return { db, target, close: () => db.destroy() };
}

async function dialectFor(target: InterfaceTarget, options: OpenOptions) {
  if (target.kind === 'pglite') {
    if (target.dataDir !== undefined) mkdirSync(target.dataDir, { recursive: true });
    const pglite = await PGlite.create({
      ...(target.dataDir === undefined ? {} : { dataDir: target.dataDir }),
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
