import { AsyncLocalStorage } from 'node:async_hooks';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { Store } from '../store/store.js';

/** Options every data command takes. */
export function withCommonOptions(command: Command): Command {
  return command.option('--db <path>', 'DuckDB store file (default ./planwatch.duckdb or PLANWATCH_DB)').option('--json', 'print JSON instead of a table');
}

export function configFrom(options: { db?: string }): Config {
  return loadConfig(options.db ? { db: options.db } : {}, process.env);
}

/**
 * A command the running server executes for a CLI beside it (control.ts): its store and config,
 * the caller's working folder, and what the command prints, sent back to the caller.
 */
export interface ServedCommand {
  store: Store;
  config: Config;
  cwd: string;
  stdout: string[];
  stderr: string[];
}

export const servedCommand = new AsyncLocalStorage<ServedCommand>();

let commandRunner: ((argv: string[]) => Promise<number>) | undefined;

/**
 * main() registers itself here so that the server can run CLI commands for a caller without
 * importing main.js again (as the entry module, a second copy would run its command line again).
 */
export function setCommandRunner(run: (argv: string[]) => Promise<number>): void {
  commandRunner = run;
}

export function runCommand(argv: string[]): Promise<number> {
  if (!commandRunner) throw new Error('the CLI entry has not registered itself');
  return commandRunner(argv);
}

/** The folder relative paths are read from: the caller's, when the server runs the command. */
export function cliCwd(): string {
  return servedCommand.getStore()?.cwd ?? process.cwd();
}

/** Whether the running server executes this command for a CLI beside it. */
export function isServed(): boolean {
  return servedCommand.getStore() !== undefined;
}

/**
 * Opens the store for one command and always closes it (or uses the server's, when served).
 * First it computes the measure values that an ingest left marked (`planwatch ingest` leaves them
 * for the next reader, issue 10 item 5), so a command reads them from the table rather than
 * computing them live; `measureValues: 'leave'` skips that (the ingest command itself).
 */
export async function withStore<T>(options: { db?: string }, work: (store: Store, config: Config) => Promise<T>,
  { measureValues = 'refresh' }: { measureValues?: 'refresh' | 'leave' } = {}): Promise<T> {
  const served = servedCommand.getStore();
  if (served) return work(served.store, served.config);
  const config = configFrom(options);
  const store = await Store.open(config.dbPath);
  try {
    if (measureValues === 'refresh') await (await import('../assessment/measure-table.js')).refreshMeasureValues(store);
    return await work(store, config);
  } finally {
    store.close();
  }
}

export function print(text: string): void {
  const line = text.endsWith('\n') ? text : `${text}\n`;
  const served = servedCommand.getStore();
  if (served) served.stdout.push(line);
  else process.stdout.write(line);
}

/** Writes to standard error, or to the caller's when the server runs the command. */
export function printError(text: string): void {
  const served = servedCommand.getStore();
  if (served) served.stderr.push(text);
  else process.stderr.write(text);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}
