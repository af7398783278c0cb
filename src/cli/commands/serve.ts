import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config.js';
import { startServer } from '../../server/server.js';
import { Store } from '../../store/store.js';
import { print } from '../context.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the pages and the API on http://localhost:3000 (or --port)')
    .option('--db <path>', 'DuckDB store file (default ./planwatch.duckdb or PLANWATCH_DB)')
    .option('--port <port>', 'port to listen on (default 3000 or PORT)')
    .action(async (options: { db?: string; port?: string }) => {
      const config = loadConfig({ ...(options.db ? { db: options.db } : {}), ...(options.port ? { port: options.port } : {}) }, process.env);
      // Serving only reads: read-only lets other read-only processes (planwatch status, a second
      // server) open the same store. A store that does not exist yet is created empty.
      const store = await Store.open(config.dbPath, { readOnly: existsSync(config.dbPath) });
      await serveUntilStopped(config, store);
    });
}

/** Serves until Ctrl+C or SIGTERM, then closes the server and the store. */
export async function serveUntilStopped(config: Config, store: Store): Promise<void> {
  const server = await startServer(config, store);
  print(`Planwatch is serving ${config.dbPath} on ${server.url.replace('127.0.0.1', 'localhost')} (Ctrl+C stops it)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close().then(() => {
        store.close();
        resolve();
      }, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
