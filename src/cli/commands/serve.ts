import type { Command } from 'commander';
import { formatInterval, loadConfig, type Config } from '../../config.js';
import type { InterfaceStore } from '../../interface/index.js';
import type { RunningServer } from '../../server/server.js';
import { Store } from '../../store/store.js';
import { print, runCommand } from '../context.js';
import { startControl, type ControlEndpoint } from '../control.js';
import { Refresher } from '../refresher.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the pages, the API and the interface log on http://localhost:3000 (or --port)')
    .option('--db <path>', 'DuckDB store file (default ./planwatch.duckdb or PLANWATCH_DB)')
    .option('--port <port>', 'port to listen on (default 3000 or PORT)')
    .option('--refresh <interval>', 'check the publication pages this often, e.g. 6h or 1d (default 1d or PLANWATCH_REFRESH)')
    .option('--no-refresh', 'never check the publication pages while serving')
    .action(async (options: { db?: string; port?: string; refresh?: string | false }) => {
      const config = loadConfig({
        ...(options.db ? { db: options.db } : {}),
        ...(options.port ? { port: options.port } : {}),
        ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
      }, process.env);
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
  let control: ControlEndpoint | undefined;
  let refresher: Refresher | undefined;
  try {
    // The server (Fastify, Nunjucks, Plot, linkedom) and the interface log's database drivers
    // load here, not when the CLI starts: an ingest never needs them (issue 10 item 5).
    const { openInterfaceForCommand } = await import('../interface-store.js');
    const { startServer } = await import('../../server/server.js');
    interfaceStore = await openInterfaceForCommand(config, store);
    server = await startServer(config, store, interfaceStore);
    control = await startControl(config, store, runCommand);
    // The server keeps itself current: it is the store's one writer, so it ingests what it finds.
    if (config.refreshMs !== null) {
      refresher = new Refresher(store, config, {
        intervalMs: config.refreshMs,
        ...(config.refreshCollections ? { collections: config.refreshCollections } : {}),
        logger: server.app.log.child({ component: 'refresh' }),
      });
      await refresher.start();
    }
  } catch (error) {
    await refresher?.stop();
    await control?.close();
    await server?.close();
    await interfaceStore?.close();
    store.close();
    throw error;
  }
  const opened = interfaceStore;
  const running = server;
  const controlling = control;
  const where = opened.target.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : opened.target.dataDir;
  print(`Planwatch is serving ${config.dbPath} on ${server.url.replace('127.0.0.1', 'localhost')} (Ctrl+C stops it)`);
  print(`The interface log is in ${where}; its pages start at /interface.`);
  print(refresher
    ? `It checks NHS England's publication pages every ${formatInterval(config.refreshMs!)} (${refresher.collections.join(', ')}); /status shows how each collection stands.`
    : 'It does not check the publication pages (--no-refresh); /status shows how each collection stands.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      // The refresher first: it finishes the file it is ingesting before the store closes.
      (refresher?.stop() ?? Promise.resolve())
        .then(() => controlling.close())
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

