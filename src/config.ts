import path from 'node:path';
import { z } from 'zod';
import { PlanwatchError } from './errors.js';

/** The interface log's OpenID Connect callback; the redirect URL registered with the provider ends with it. */
export const OIDC_CALLBACK_PATH = '/interface/sign-in/oidc/callback';

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
  oidc: z
    .object({
      issuer: z.url().describe('OpenID Connect issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0 (PLANWATCH_OIDC_ISSUER)'),
      clientId: z.string().min(1).describe('client (application) id registered with the provider (PLANWATCH_OIDC_CLIENT_ID)'),
      clientSecret: z.string().min(1).describe('client secret (PLANWATCH_OIDC_CLIENT_SECRET)'),
      redirectUrl: z.url().describe(`where the provider sends people back: https://HOST${OIDC_CALLBACK_PATH} (PLANWATCH_OIDC_REDIRECT_URL)`),
    })
    .optional()
    .describe('sign-in through an OpenID Connect provider, when all four PLANWATCH_OIDC_ variables are set'),
  sessionSecret: z
    .string()
    .min(32, 'use at least 32 characters')
    .optional()
    .describe('signs session cookies (PLANWATCH_SESSION_SECRET); when unset, one is made and kept in the interface database'),
  secureCookies: z.enum(['auto', 'always']).describe('Secure flag on session cookies: "auto" when the request came over HTTPS, or "always" (PLANWATCH_SECURE_COOKIES)'),
  refreshMs: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('how often the server checks the publication pages, in ms; null = never (PLANWATCH_REFRESH, --refresh, --no-refresh)'),
  refreshCollections: z.array(z.string().min(1)).optional().describe('collections the server refreshes; all that can be fetched when unset (PLANWATCH_REFRESH_COLLECTIONS)'),
  fetchIntervalMs: z.coerce.number().int().min(0).describe('least time between two requests to NHS England, in ms (PLANWATCH_FETCH_INTERVAL_MS)'),
  scryptN: z
    .number()
    .int()
    .min(1024)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'use a power of two')
    .optional()
    .describe("scrypt's cost N for new interface-log password hashes, a power of two (PLANWATCH_SCRYPT_N); OWASP's 32768 when unset. Only test runs lower it"),
  trustProxy: z
    .union([z.literal(false), z.string().min(1)])
    .describe('trust X-Forwarded-* only from these proxy addresses, comma-separated IPs or CIDR ranges (PLANWATCH_TRUST_PROXY)'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type OidcConfig = NonNullable<Config['oidc']>;

const OIDC_VARIABLES = {
  issuer: 'PLANWATCH_OIDC_ISSUER',
  clientId: 'PLANWATCH_OIDC_CLIENT_ID',
  clientSecret: 'PLANWATCH_OIDC_CLIENT_SECRET',
  redirectUrl: 'PLANWATCH_OIDC_REDIRECT_URL',
} as const;

export interface ConfigFlags {
  db?: string;
  port?: string | number;
  source?: string;
  /** `--refresh <interval>`, or false for `--no-refresh`. */
  refresh?: string | false;
}

/** A day: NHS England publishes at most once a day, most collections monthly (publications.md §1.5). */
export const DEFAULT_REFRESH_MS = 24 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An interval in the words people set it in: `1d`, `6h`, `30m`, `45s`. */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * A refresh interval as people write it: `30s`, `15m`, `6h`, `1d` (a bare number is seconds), or
 * `off` to refresh never. Under a second is refused: that would ask NHS England's site
 * continually.
 */
export function parseInterval(text: string, name = 'refresh'): number | null {
  const value = text.trim().toLowerCase();
  if (['off', 'never', 'no', 'false', 'none'].includes(value)) return null;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value);
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!) : NaN;
  if (!Number.isFinite(ms) || ms < 1000) {
    throw configError(`Invalid configuration: ${name}: expected an interval such as 30m, 6h or 1d (at least 1s), or "off"; got "${text}".`);
  }
  return ms;
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
    oidc: normalizeOidc(env),
    sessionSecret: env.PLANWATCH_SESSION_SECRET || undefined,
    secureCookies: env.PLANWATCH_SECURE_COOKIES || 'auto',
    refreshMs: flags.refresh === false ? null : parseInterval(flags.refresh ?? env.PLANWATCH_REFRESH ?? '1d', flags.refresh ? '--refresh' : 'PLANWATCH_REFRESH'),
    refreshCollections: env.PLANWATCH_REFRESH_COLLECTIONS ? env.PLANWATCH_REFRESH_COLLECTIONS.split(',').map((id) => id.trim()).filter(Boolean) : undefined,
    fetchIntervalMs: env.PLANWATCH_FETCH_INTERVAL_MS ?? 250,
    scryptN: env.PLANWATCH_SCRYPT_N ? Number(env.PLANWATCH_SCRYPT_N) : undefined,
    trustProxy: normalizeTrustProxy(env.PLANWATCH_TRUST_PROXY),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw configError(`Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  if (parsed.data.oidc) checkOidc(parsed.data.oidc);
  return Object.freeze(parsed.data);
}

/** All four OIDC variables, or none: a half-configured provider would fail only at sign-in. */
function normalizeOidc(env: NodeJS.ProcessEnv): Record<keyof typeof OIDC_VARIABLES, string> | undefined {
  const entries = Object.entries(OIDC_VARIABLES).map(([key, name]) => [key, env[name] || undefined] as const);
  const missing = entries.filter(([, value]) => value === undefined).map(([key]) => OIDC_VARIABLES[key as keyof typeof OIDC_VARIABLES]);
  if (missing.length === entries.length) return undefined;
  if (missing.length > 0) {
    throw configError(`Invalid configuration: oidc: set ${missing.join(', ')} as well, or none of the PLANWATCH_OIDC_ variables.`);
  }
  return Object.fromEntries(entries) as Record<keyof typeof OIDC_VARIABLES, string>;
}

/**
 * The provider and the way back must be HTTPS: tokens and codes travel on them. Plain HTTP is
 * allowed only on this machine's loopback address, for tests and local trials.
 */
function checkOidc(oidc: OidcConfig): void {
  for (const key of ['issuer', 'redirectUrl'] as const) {
    const url = new URL(oidc[key]);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
      throw configError(`Invalid configuration: oidc.${key}: ${OIDC_VARIABLES[key]} must be an https:// address (http:// only on 127.0.0.1 or localhost).`);
    }
  }
  const redirect = new URL(oidc.redirectUrl);
  if (redirect.pathname !== OIDC_CALLBACK_PATH || redirect.search || redirect.hash) {
    throw configError(`Invalid configuration: oidc.redirectUrl: ${OIDC_VARIABLES.redirectUrl} must be this server's address followed by ${OIDC_CALLBACK_PATH}, nothing after it.`);
  }
}

export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/**
 * The addresses of the proxies in front of the server (comma-separated IPs or CIDR ranges, or
 * proxy-addr's names loopback, linklocal, uniquelocal), whose X-Forwarded-For and
 * X-Forwarded-Proto are believed. "true" or a hop count would believe whoever connects, so any
 * client could name its own address and walk past the sign-in limits: both are refused.
 */
function normalizeTrustProxy(value: string | undefined): false | string {
  if (value === undefined || value.trim() === '' || value === 'false') return false;
  if (value === 'true' || /^\d+$/.test(value.trim())) {
    throw configError('Invalid configuration: trustProxy: PLANWATCH_TRUST_PROXY must list the proxy addresses (like 10.0.0.1 or 10.0.0.0/8), not "true" or a number of hops: those would trust a forwarded address from any client.');
  }
  return value;
}

/** Configuration people set wrongly is refused input (exit 2), not a bug. */
function configError(message: string): PlanwatchError {
  return new PlanwatchError('E_CONFIG', message);
}
