import path from 'node:path';
import { z } from 'zod';

/**
 * One normaliser for configuration (STYLE.md §1): environment variables and command-line flags
 * become one frozen Config. This is the only module that knows the environment variable names;
 * the CLI passes `process.env` in, and everything else receives Config as an argument.
 */
const configSchema = z.object({
  dbPath: z.string().min(1).describe('DuckDB store file (PLANWATCH_DB, --db)'),
  source: z.string().min(1).optional().describe('Local folder to ingest instead of downloading (PLANWATCH_SOURCE)'),
  cacheDir: z.string().min(1).describe('Where downloaded publications are kept (PLANWATCH_CACHE)'),
  baseUrl: z.string().url().describe('NHS England statistics site (PLANWATCH_BASE_URL; tests point it at a local server)'),
  odsReportUrl: z.string().url().describe('ODS Data Search and Export report endpoint (PLANWATCH_ODS_URL; tests point it at a local server)'),
  port: z.coerce.number().int().min(0).max(65535).describe('HTTP port for the dashboard (PORT, --port)'),
  host: z.string().min(1).describe('Interface the dashboard listens on (HOST)'),
  databaseUrl: z.string().min(1).optional().describe('PostgreSQL URL for the interface log (DATABASE_URL)'),
  interfaceDir: z.string().min(1).describe('PGlite folder for the interface log when DATABASE_URL is not set'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export interface ConfigFlags {
  db?: string;
  port?: string | number;
  source?: string;
}

export const DEFAULT_BASE_URL = 'https://www.england.nhs.uk';

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = {}): Config {
  const dbPath = flags.db ?? env.PLANWATCH_DB ?? 'planwatch.duckdb';
  const parsed = configSchema.safeParse({
    dbPath,
    source: flags.source ?? (env.PLANWATCH_SOURCE || undefined),
    cacheDir: env.PLANWATCH_CACHE ?? path.join(path.dirname(dbPath), '.planwatch', 'cache'),
    baseUrl: env.PLANWATCH_BASE_URL ?? DEFAULT_BASE_URL,
    odsReportUrl: env.PLANWATCH_ODS_URL ?? 'https://www.odsdatasearchandexport.nhs.uk/api/getReport',
    port: flags.port ?? env.PORT ?? 3000,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    interfaceDir: env.PLANWATCH_INTERFACE_DIR ?? `${dbPath.replace(/\.duckdb$/, '')}.interface`,
    logLevel: env.PLANWATCH_LOG_LEVEL ?? 'info',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return Object.freeze(parsed.data);
}
