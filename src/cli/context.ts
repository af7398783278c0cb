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

/** Opens the store for one command and always closes it. */
export async function withStore<T>(options: { db?: string }, work: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(options);
  const store = await Store.open(config.dbPath);
  try {
    return await work(store, config);
  } finally {
    store.close();
  }
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}
