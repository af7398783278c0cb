import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port, with the port the system chose when config.port is 0. */
  url: string;
  close(): Promise<void>;
}

/** Listens: the only thing this module does (STYLE.md §1). `planwatch serve` and `planwatch start` call it. */
export async function startServer(config: Config, store: Store): Promise<RunningServer> {
  const app = await buildApp({ store, logger: { level: config.logLevel } });
  const url = await app.listen({ port: config.port, host: config.host });
  return { app, url, close: () => app.close() };
}
