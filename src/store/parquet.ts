import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../csv.js';
import { PlanwatchError } from '../errors.js';
import type { Params, Store } from './store.js';

/**
 * Parquet out (issue 10 item 4), always written by DuckDB's `COPY … TO … (FORMAT PARQUET)`:
 * never a hand-written encoder. Two ways in:
 *
 * - `parquetOf(columns, rows)`: rows an answer already holds (a league table, a series) go through
 *   a private in-memory DuckDB instance, not the store's: the store's reader connection serves
 *   every page and must not be held while a table is appended and copied, and a table created on
 *   it would be a write the commit gate does not expect (src/store/README.md, "One writer").
 * - `copyToParquet(store, select, params, file)`: a whole table of the store (every observation)
 *   straight from the reader connection to a file, for the static export.
 *
 * Both write to a file first (DuckDB's COPY writes files), in a folder of its own that is removed
 * afterwards, so concurrent requests never share one.
 */
export interface ParquetColumn {
  name: string;
  type: ColumnType;
}

export type ParquetValue = string | number | boolean | null | undefined;
export type { ColumnType };

const SQL_TYPES: Record<ColumnType, string> = { text: 'VARCHAR', number: 'DOUBLE', integer: 'BIGINT', boolean: 'BOOLEAN' };

/** Media type registered for Parquet with IANA (2024). */
export const PARQUET_TYPE = 'application/vnd.apache.parquet';

/**
 * A request's answer is already bounded by its route (one organisation's series, one league);
 * this bound is a backstop so that no request can make the server write an unbounded file.
 */
export const MAX_PARQUET_ROWS = 1_000_000;

// Answers are small (MAX_PARQUET_ROWS): the instance for them is held to a little memory and one
// thread, so that it cannot compete with the store's own instance in the server process.
let engine: Promise<DuckDBInstance> | undefined;
const ENGINE_SETTINGS = { memory_limit: '256MB', threads: '1' };
let tables = 0;

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function append(appender: DuckDBAppender, type: ColumnType, value: ParquetValue): void {
  if (value === null || value === undefined || value === '') return appender.appendNull();
  switch (type) {
    case 'number': {
      const number = Number(value);
      return Number.isFinite(number) ? appender.appendDouble(number) : appender.appendNull();
    }
    case 'integer':
      return appender.appendBigInt(BigInt(Math.round(Number(value))));
    case 'boolean':
      return appender.appendBoolean(Boolean(value));
    default:
      return appender.appendVarchar(String(value));
  }
}

/** Runs `work` with a fresh folder for COPY's output, removed afterwards whatever happens. */
async function inTempFolder<T>(work: (file: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), 'planwatch-parquet-'));
  try {
    return await work(path.join(folder, 'out.parquet'));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * A table in the private instance that rows are appended to, then copied out as Parquet: for
 * answers built in JavaScript (a league table) and for files too large to hold as one array
 * (every measure value, appended a measure at a time by the static export).
 */
export class ParquetTable {
  private rows = 0;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly table: string,
    private readonly columns: readonly ParquetColumn[],
    private readonly maxRows: number,
    private readonly own: DuckDBInstance | undefined,
  ) {}

  /**
   * `maxRows` bounds an answer; `scratch` names a new DuckDB file for tables larger than memory
   * (every measure value, for the static export), removed by the caller afterwards.
   */
  static async create(columns: readonly ParquetColumn[], options: { maxRows?: number; scratch?: string } = {}): Promise<ParquetTable> {
    const own = options.scratch ? await DuckDBInstance.create(options.scratch) : undefined;
    engine ??= DuckDBInstance.create(':memory:', ENGINE_SETTINGS);
    const connection = await (own ?? (await engine)).connect();
    const table = `rows_${++tables}`;
    await connection.run(`CREATE TABLE ${table} (${columns.map((column) => `${quoted(column.name)} ${SQL_TYPES[column.type]}`).join(', ')})`);
    return new ParquetTable(connection, await connection.createAppender(table), table, columns, options.maxRows ?? Number.POSITIVE_INFINITY, own);
  }

  append(rows: readonly (readonly ParquetValue[])[]): void {
    this.rows += rows.length;
    if (this.rows > this.maxRows) {
      throw new PlanwatchError('E_USAGE', `This answer has more than the ${this.maxRows} rows a Parquet download holds: narrow it (a period, a level, a region).`);
    }
    for (const row of rows) {
      this.columns.forEach((column, i) => append(this.appender, column.type, row[i]));
      this.appender.endRow();
    }
  }

  /** Writes the rows appended so far to `file` as Parquet (zstd); returns the rows written. */
  async writeTo(file: string): Promise<number> {
    this.appender.flushSync();
    const copy = await this.connection.prepare(`COPY ${this.table} TO $file (FORMAT PARQUET, COMPRESSION ZSTD)`);
    copy.bind({ file });
    await copy.run();
    return this.rows;
  }

  /** Drops the table; always call it, even after an error. */
  async close(): Promise<void> {
    try {
      this.appender.closeSync();
    } finally {
      await this.connection.run(`DROP TABLE IF EXISTS ${this.table}`);
      this.connection.closeSync();
      this.own?.closeSync();
    }
  }
}

/** Rows as one Parquet file's bytes, with the columns and types given (a request's answer). */
export async function parquetOf(columns: readonly ParquetColumn[], rows: readonly (readonly ParquetValue[])[]): Promise<Buffer> {
  const table = await ParquetTable.create(columns, { maxRows: MAX_PARQUET_ROWS });
  try {
    table.append(rows);
    return await inTempFolder(async (file) => {
      await table.writeTo(file);
      return readFile(file);
    });
  } finally {
    await table.close();
  }
}

/**
 * The result of a SELECT of the store written as Parquet to `file`, by DuckDB on the store's
 * reader connection (so it sees one committed version); returns the rows written and the bytes.
 */
export async function copyToParquet(store: Store, select: string, params: Record<string, string | number>, file: string): Promise<{ rows: number; bytes: number }> {
  const all: Params = { ...params, file };
  const [result] = await store.all<{ Count: bigint | number }>(`COPY (${select}) TO $file (FORMAT PARQUET, COMPRESSION ZSTD)`, all);
  return { rows: Number(result?.Count ?? 0), bytes: (await stat(file)).size };
}
