import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBAppender, DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { PlanwatchError } from '../errors.js';
import { upgradeCurrency } from './currency.js';
import { markUnbuiltStore } from './measure-table.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue> | DuckDBValue[];

/** One DuckDB connection with its prepared statements and the queue that keeps binds apart. */
class Lane {
  // Statements are prepared once per SQL text: ingest runs the same few statements per file,
  // and preparing them each time cost more than the inserts themselves.
  readonly prepared = new Map<string, DuckDBPreparedStatement>();
  // Appenders are kept per table for the same reason: ingest appends to the same four tables for
  // every file, and creating an appender is a round trip to DuckDB's threads (issue 10 item 5).
  // Each use appends and flushes synchronously, so nothing is left in one between transactions.
  readonly appenders = new Map<string, DuckDBAppender>();
  // A prepared statement holds its bound parameters, so two concurrent callers of the same SQL
  // (two web requests for different organisations) must not interleave bind and run.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly connection: DuckDBConnection) {}

  serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async statement(sql: string, params: Params): Promise<DuckDBPreparedStatement> {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = await this.connection.prepare(sql);
      this.prepared.set(sql, statement);
    }
    statement.bind(params);
    return statement;
  }
}

/**
 * A commit and the start of a read snapshot exclude each other: a snapshot starts (and learns the
 * store version it sees) while no commit is under way, and a commit waits for snapshots that are
 * starting. Snapshots then read on their own connection inside a DuckDB transaction, which sees
 * the store as it was when it started however many commits follow, so the gate is held only for
 * the start, never for a whole request (README.md, "One writer").
 */
const READER_WAIT_MS = 10_000;

/** Connections kept for read snapshots; more concurrent snapshots wait for one to be free. */
const SNAPSHOT_CONNECTIONS = 8;

class CommitGate {
  private readers = 0;
  private committing = false;
  private waiting: (() => void)[] = [];

  async lease(): Promise<() => void> {
    while (this.committing) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.readers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.readers--;
      this.wake();
    };
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.committing) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.committing = true;
    try {
      // A reader that never lets go (a handler that writes while holding its own lease) must not
      // stop every write for good: after READER_WAIT_MS the commit goes ahead.
      const deadline = Date.now() + READER_WAIT_MS;
      while (this.readers > 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          this.waiting.push(resolve);
          setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
        });
      }
      return await work();
    } finally {
      this.committing = false;
      this.wake();
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/** What a lock held by another process looks like in DuckDB's message. */
const LOCKED = /Could not set lock on file "?([^"\n]*?)"?:\s*Conflicting lock is held in (.*?) \(PID (\d+)\)/i;

/** The command line of a process, where the system shows it (Linux /proc), for the lock message. */
function commandLineOf(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text || undefined;
  } catch {
    // Not Linux, or the process has just gone: the program name from DuckDB's message will do.
    return undefined;
  }
}

/** Turns DuckDB's lock conflict into a message that says who holds the store and what to do. */
export function lockedStoreError(dbPath: string, error: unknown): PlanwatchError | undefined {
  const match = LOCKED.exec(String((error as Error)?.message ?? error));
  if (!match) return undefined;
  const pid = Number(match[3]);
  const holder = commandLineOf(pid) ?? match[2]!;
  return new PlanwatchError(
    'E_LOCKED',
    `${dbPath} is in use by another process (PID ${pid}: ${holder}). DuckDB lets one process write a store at a time. ` +
      'If it is a Planwatch server, it hands commands its control file names; else wait for that process to finish, or stop it, and run this again. Nothing was changed.',
    { file: dbPath },
    { cause: error },
  );
}

/**
 * One embedded DuckDB file. Values always travel as prepared-statement parameters, never
 * spliced into SQL (STYLE.md §7). Reads and writes use separate connections of one instance:
 * a write transaction is invisible to readers until it commits, and commits pass the CommitGate.
 */
export class Store {
  private readonly reader: Lane;
  private readonly writer: Lane | undefined;
  // The writer lane of the transaction the current async call chain runs in, if any: reads
  // inside a transaction must see its own uncommitted rows.
  private readonly inTransaction = new AsyncLocalStorage<Lane>();
  private writeQueue: Promise<unknown> = Promise.resolve();
  private readonly gate = new CommitGate();
  private writes = 0;
  private bookkept = 0;
  private readonly commitListeners = new Set<() => void>();
  // The read snapshot the current async call chain runs in, if any (snapshot()).
  private readonly inSnapshot = new AsyncLocalStorage<{ lane: Lane; version: number }>();
  private readonly idle: Lane[] = [];
  private opened = 0;
  private readonly waitingForLane: ((lane: Lane) => void)[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    readConnection: DuckDBConnection,
    writeConnection: DuckDBConnection | undefined,
    readonly path: string,
  ) {
    this.reader = new Lane(readConnection);
    this.writer = writeConnection ? new Lane(writeConnection) : undefined;
  }

  static async open(dbPath: string, options: { readOnly?: boolean } = {}): Promise<Store> {
    if (dbPath !== ':memory:') mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(dbPath, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      throw lockedStoreError(dbPath, error) ?? error;
    }
    const connection = await instance.connect();
    const store = new Store(instance, connection, options.readOnly ? undefined : await instance.connect(), dbPath);
    if (!options.readOnly) {
      // One transaction, so one commit: each CREATE and ALTER on its own wrote and synced the
      // write-ahead log: most of opening a fresh store (issue 10 item 5).
      await store.transaction(async () => {
        await store.writer!.connection.run(SCHEMA);
        await store.writer!.connection.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
        await upgradeCurrency(store);
        await markUnbuiltStore(store);
      });
    }
    return store;
  }

  /**
   * Changes whenever something is written, so callers can cache answers per version. Inside a
   * read snapshot it is the version the snapshot sees, which may be older than the latest.
   */
  get version(): number {
    return this.inSnapshot.getStore()?.version ?? this.writes;
  }

  /** Commits of bookkeeping only (see `transaction`): what the status page changes with. */
  get bookkeepingVersion(): number {
    return this.bookkept;
  }

  /** The version of the latest commit, whatever snapshot the caller is in. */
  get latestVersion(): number {
    return this.writes;
  }

  /** Whether the caller runs inside a write transaction (its reads see uncommitted rows). */
  get isWriting(): boolean {
    return this.inTransaction.getStore() !== undefined;
  }

  /** Whether the current call chain runs inside a write transaction (its reads see its own rows). */
  get inWriteTransaction(): boolean {
    return this.inTransaction.getStore() !== undefined;
  }

  /** The connection of the current call chain: the writer inside a transaction, else the reader. */
  get connection(): DuckDBConnection {
    return this.lane().connection;
  }

  private lane(): Lane {
    return this.inTransaction.getStore() ?? this.inSnapshot.getStore()?.lane ?? this.reader;
  }

  /**
   * Runs `work` on one version of the store: every read in it (across awaits, however many
   * commits happen meanwhile) sees the store as it was when it started, and `version` says which
   * version that is. The server runs each request in one, so a page never mixes two versions and
   * a commit never waits for a page to be built. Nested calls join the snapshot already open;
   * inside a write transaction, work runs on the transaction.
   */
  async snapshot<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore() || this.inSnapshot.getStore()) return work();
    const lane = await this.checkout();
    let version: number;
    const release = await this.gate.lease();
    try {
      await lane.connection.run('BEGIN TRANSACTION');
      // DuckDB fixes a transaction's view when it first reads the database, so read once here,
      // inside the gate, where no commit can slip between the view and the version.
      await lane.connection.run('SELECT count(*) FROM meta');
      version = this.writes;
    } catch (error) {
      await lane.connection.run('ROLLBACK').catch(() => undefined);
      this.checkin(lane);
      throw error;
    } finally {
      release();
    }
    try {
      return await this.inSnapshot.run({ lane, version }, work);
    } finally {
      // A read-only transaction has nothing to commit; ROLLBACK also ends one a failed query aborted.
      await lane.connection.run('ROLLBACK').catch(() => undefined);
      this.checkin(lane);
    }
  }

  private async checkout(): Promise<Lane> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened < SNAPSHOT_CONNECTIONS) {
      this.opened++;
      return new Lane(await this.instance.connect());
    }
    return new Promise<Lane>((resolve) => this.waitingForLane.push(resolve));
  }

  private checkin(lane: Lane): void {
    const next = this.waitingForLane.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }

  /**
   * Holds back commits until the returned release is called, so that everything read meanwhile
   * comes from one version of the store. The server takes one per request.
   */
  readLease(): Promise<() => void> {
    return this.gate.lease();
  }

  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const lane = this.lane();
    const reader = params === undefined
      ? await lane.connection.runAndReadAll(sql)
      : await lane.serialised(async () => (await lane.statement(sql, params)).runAndReadAll());
    return reader.getRowObjectsJS() as T[];
  }

  /**
   * An appender for `table` on the connection of the current call chain (the writer's inside a
   * transaction), kept for the next call. The caller appends and flushes without awaiting in
   * between, and drops it (`dropAppender`) when an append fails, since DuckDB then leaves it unusable.
   */
  async appender(table: string): Promise<DuckDBAppender> {
    const lane = this.lane();
    let appender = lane.appenders.get(table);
    if (!appender) {
      appender = await lane.connection.createAppender(table);
      lane.appenders.set(table, appender);
    }
    return appender;
  }

  dropAppender(table: string): void {
    const lane = this.lane();
    const appender = lane.appenders.get(table);
    lane.appenders.delete(table);
    try {
      appender?.closeSync();
    } catch {
      // It failed already (that is why it is dropped); closing it only frees it.
    }
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** A write: inside a transaction it joins it; outside, it is a transaction of its own. */
  async run(sql: string, params?: Params): Promise<void> {
    const lane = this.inTransaction.getStore();
    if (!lane) return this.transaction(() => this.run(sql, params));
    if (params === undefined) await lane.connection.run(sql);
    else await lane.serialised(async () => (await lane.statement(sql, params)).run());
  }

  /**
   * Runs `work` in one transaction on the writer connection: all or nothing. Transactions run
   * one at a time; a nested call joins the one already open. A `bookkeeping` transaction writes
   * only the refresher's own records (refresh_state, refresh_files), no figure: it leaves
   * `version`, and so every cached page and answer, as it was. `whileCommitting` is called once
   * the commit is under way.
   */
  async transaction<T>(work: () => Promise<T>, options: { bookkeeping?: boolean; whileCommitting?: () => void } = {}): Promise<T> {
    if (this.inTransaction.getStore()) return work();
    const writer = this.writer;
    if (!writer) throw new Error(`${this.path} was opened read-only`);
    const turn = this.writeQueue.then(async () => {
      await writer.connection.run('BEGIN TRANSACTION');
      let result: T;
      try {
        result = await this.inTransaction.run(writer, work);
        await this.gate.exclusive(async () => {
          const commit = writer.connection.run('COMMIT');
          // The commit (write-ahead log and its sync) runs on DuckDB's threads: the caller may
          // give this thread work meanwhile, such as parsing its next file.
          options.whileCommitting?.();
          await commit;
          if (options.bookkeeping) this.bookkept++;
          else this.writes++;
        });
      } catch (error) {
        await writer.connection.run('ROLLBACK');
        throw error;
      }
      // Outside the try: the commit stands whatever a listener does, and is never rolled back.
      if (!options.bookkeeping) for (const listener of this.commitListeners) listener();
      return result;
    });
    this.writeQueue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Calls `listener` after every commit that changed figures (not bookkeeping), once the commit
   * is visible to readers; returns what stops it. A listener runs synchronously in the writer's
   * turn: it should only schedule its work.
   */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => {
      this.commitListeners.delete(listener);
    };
  }

  close(): void {
    // Appenders before their connections: nothing is left in them (each use flushes).
    const lanes = [...this.idle.splice(0), this.reader, ...(this.writer ? [this.writer] : [])];
    for (const lane of lanes) for (const appender of lane.appenders.values()) appender.closeSync();
    for (const lane of lanes) lane.connection.closeSync();
    this.instance.closeSync();
  }
}
