import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig, type Config } from '../config.js';
import type { Store } from '../store/store.js';
import { servedCommand, type ServedCommand } from './context.js';

/**
 * The CLI beside a running server (src/store/README.md, "One writer"). DuckDB lets one process
 * open a store for writing, so the server is that process: it listens on loopback for commands,
 * with a random token, and names the port and token in a control file beside the store (mode
 * 0600, removed when it stops). A CLI command that finds the file and a live server sends its
 * arguments there; the server runs them on its own store and sends back what they printed and
 * their exit code, which the CLI prints and returns as if it had run them itself.
 */

/** Commands a server runs for the CLI: those that read or write the store. */
export const SERVED_COMMANDS: ReadonlySet<string> = new Set(['series', 'status', 'league', 'history', 'orgs', 'targets', 'ingest', 'fetch', 'backtest', 'export']);

const controlSchema = z.object({ pid: z.number().int(), port: z.number().int(), token: z.string().min(32), db: z.string() });
type Control = z.infer<typeof controlSchema>;

/** The control file of a store: beside it, named after it. */
export function controlFilePath(dbPath: string): string {
  return `${path.resolve(dbPath)}.server.json`;
}

const requestSchema = z.object({ argv: z.array(z.string()).max(1000), cwd: z.string().min(1) });

export interface ServedResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ControlEndpoint {
  port: number;
  file: string;
  close(): Promise<void>;
}

/**
 * Starts the loopback endpoint and writes the control file. `run` executes one CLI argv in
 * the served context (main() with the server's store).
 */
export async function startControl(config: Config, store: Store, run: (argv: string[]) => Promise<number>): Promise<ControlEndpoint> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  // Loaded only by the server: every CLI command imports this module to look for one.
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/cli', async (request, reply) => {
    const given = Buffer.from(String(request.headers.authorization ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send({ error: 'not authorised' });
    const parsed = requestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'expected { argv, cwd }' });
    const context: ServedCommand = { store, config, cwd: parsed.data.cwd, stdout: [], stderr: [] };
    const code = await servedCommand.run(context, () => run(['node', 'planwatch', ...parsed.data.argv]));
    const result: ServedResult = { code, stdout: context.stdout.join(''), stderr: context.stderr.join('') };
    return result;
  });
  // Loopback only: the endpoint is for commands on this machine, never the network.
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const file = controlFilePath(config.dbPath);
  const control: Control = { pid: process.pid, port, token, db: path.resolve(config.dbPath) };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(control), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  const remove = () => rmSync(file, { force: true });
  process.once('exit', remove);
  return {
    port,
    file,
    close: async () => {
      remove();
      process.removeListener('exit', remove);
      await app.close();
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but someone else's; ESRCH: gone (a server killed with -9 leaves its file).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readControl(file: string): Control | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No control file: no server holds this store (or it stopped cleanly).
    return undefined;
  }
  const parsed = controlSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

/** The `--db` a command line names, else PLANWATCH_DB, else the default. */
function dbOf(argv: readonly string[]): string {
  const index = argv.findIndex((arg) => arg === '--db' || arg.startsWith('--db='));
  const given = index < 0 ? undefined : argv[index]!.startsWith('--db=') ? argv[index]!.slice(5) : argv[index + 1];
  return loadConfig(given ? { db: given } : {}, process.env).dbPath;
}

/**
 * Sends a store command to the server that holds the store, if one does: returns its exit code
 * after printing what it printed, or undefined to run the command here.
 */
export async function forwardToServer(argv: readonly string[]): Promise<number | undefined> {
  if (servedCommand.getStore()) return undefined;
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (!command || !SERVED_COMMANDS.has(command) || argv.includes('--help') || argv.includes('-h')) return undefined;
  const control = readControl(controlFilePath(dbOf(argv)));
  if (!control || !isAlive(control.pid)) return undefined;
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${control.port}/cli`, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: argv.slice(2), cwd: process.cwd() }),
    });
  } catch {
    // A file left by a server that no longer listens (its PID reused): run here; DuckDB's own
    // lock still stops two writers.
    return undefined;
  }
  if (!response.ok) return undefined;
  const result = (await response.json()) as ServedResult;
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}
