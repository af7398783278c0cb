import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { upgradeCurrency } from './currency.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

/**
 * One embedded DuckDB file. Values always travel as prepared-statement parameters, never
 * spliced into SQL (STYLE.md §7).
 */
export class Store {
  // Statements are prepared once per SQL text: ingest runs the same few statements per file,
  // and preparing them each time cost more than the inserts themselves.
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();
  // A prepared statement holds its bound parameters, so two concurrent callers of the same SQL
  // (two web requests for different organisations) must not interleave bind and run.
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  static async open(dbPath: string, options: { readOnly?: boolean } = {}): Promise<Store> {
    if (dbPath !== ':memory:') mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    const instance = await DuckDBInstance.create(dbPath, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
    const connection = await instance.connect();
    const store = new Store(instance, connection, dbPath);
    if (!options.readOnly) {
      await connection.run(SCHEMA);
      await connection.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
      await upgradeCurrency(store);
    }
    return store;
  }

  /** Changes whenever something is written, so callers can cache answers per version. */
  get version(): number {
    return this.writes;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async statement(sql: string, params: Params): Promise<DuckDBPreparedStatement> {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = await this.connection.prepare(sql);
      this.prepared.set(sql, statement);
    }
    statement.bind(params);
    return statement;
  }

  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = params === undefined
      ? await this.connection.runAndReadAll(sql)
      : await this.serialised(async () => (await this.statement(sql, params)).runAndReadAll());
    return reader.getRowObjectsJS() as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: Params): Promise<void> {
    this.writes++;
    if (params === undefined) await this.connection.run(sql);
    else await this.serialised(async () => (await this.statement(sql, params)).run());
  }

  /** Runs `work` in one transaction: all or nothing. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      this.writes++;
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
