import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { InterfaceStore } from '../interface/index.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import { interfaceOptions } from './routes/interface/index.js';

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port, with the port the system chose when config.port is 0. */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens: the only thing this module does (STYLE.md §1). `planwatch serve` and `planwatch start`
 * call it; with an interface store, the interface log's pages are served too.
 */
export async function startServer(config: Config, store: Store, interfaceStore?: InterfaceStore): Promise<RunningServer> {
  const app = await buildApp({
    store,
    refreshMs: config.refreshMs,
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    warm: true,
    ...(interfaceStore ? { interface: interfaceOptions(config, interfaceStore) } : {}),
  });
  const url = await app.listen({ port: config.port, host: config.host });
  return { app, url, close: () => app.close() };
}
