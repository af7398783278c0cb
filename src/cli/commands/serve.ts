import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config.js';
import type { InterfaceStore } from '../../interface/index.js';
import type { RunningServer } from '../../server/server.js';
import { Store } from '../../store/store.js';
import { print, runCommand } from '../context.js';
import { startControl, type ControlEndpoint } from '../control.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the pages, the API and the interface log on http://localhost:3000 (or --port)')
    .option('--db <path>', 'DuckDB store file (default ./planwatch.duckdb or PLANWATCH_DB)')
    .option('--port <port>', 'port to listen on (default 3000 or PORT)')
    .action(async (options: { db?: string; port?: string }) => {
      const config = loadConfig({ ...(options.db ? { db: options.db } : {}), ...(options.port ? { port: options.port } : {}) }, process.env);
      // The server is the store's one writer (src/store/README.md, "One writer"): CLI commands
      // beside it are run by it through the control endpoint, so it opens the store read-write.
      const store = await Store.open(config.dbPath);
      await serveUntilStopped(config, store);
    });
}

/**
 * Serves the pages, the API and the interface log until SIGINT or SIGTERM, then closes the
 * server, the interface store and the DuckDB store, in that order. `planwatch start` ends here
 * too once it serves.
 */
export async function serveUntilStopped(config: Config, store: Store): Promise<void> {
  let interfaceStore: InterfaceStore | undefined;
  let server: RunningServer | undefined;
  let control: ControlEndpoint;
  try {
    // The server (Fastify, Nunjucks, Plot, linkedom) and the interface log's database drivers
    // load here, not when the CLI starts: an ingest never needs them (issue 10 item 5).
    const { openInterfaceForCommand } = await import('../interface-store.js');
    const { startServer } = await import('../../server/server.js');
    interfaceStore = await openInterfaceForCommand(config, store);
    server = await startServer(config, store, interfaceStore);
    control = await startControl(config, store, runCommand);
  } catch (error) {
    await server?.close();
    await interfaceStore?.close();
    store.close();
    throw error;
  }
  const opened = interfaceStore;
  const running = server;
  const where = opened.target.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : opened.target.dataDir;
  print(`Planwatch is serving ${config.dbPath} on ${server.url.replace('127.0.0.1', 'localhost')} (Ctrl+C stops it)`);
  print(`The interface log is in ${where}; its pages start at /interface.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      control
        .close()
        .then(() => running.close())
        .then(() => opened.close())
        .catch((error: unknown) => process.stderr.write(`planwatch: while stopping: ${(error as Error).message}\n`))
        .finally(() => {
          store.close();
          resolve();
        });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
