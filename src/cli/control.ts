import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { z } from 'zod';
import { loadConfig, type Config } from '../config.js';
import { PlanwatchError } from '../errors.js';
import { isProcessRunning } from '../processes.js';
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

const WRITING_COMMANDS: ReadonlySet<string> = new Set(['ingest', 'fetch']);

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
    const argv = ['node', 'planwatch', ...parsed.data.argv];
    // A command that only reads answers from one version of the store, as a page does; ingest
    // and fetch write, each file in its own transaction.
    const writes = WRITING_COMMANDS.has(parsed.data.argv.find((arg) => !arg.startsWith('-')) ?? '');
    const code = await servedCommand.run(context, () => (writes ? run(argv) : store.snapshot(() => run(argv))));
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
  if (!control || !isProcessRunning(control.pid)) return undefined;
  const body = JSON.stringify({ argv: argv.slice(2), cwd: process.cwd() });
  let sent: { status: number; text: string };
  try {
    sent = await postToControl(control, body);
  } catch (error) {
    // Refused before anything was sent: a file left by a server that no longer listens (its PID
    // reused). Run here; DuckDB's own lock still stops two writers.
    if (error instanceof ControlUnreachable) return undefined;
    throw new PlanwatchError('E_LOCKED', `The Planwatch server that holds ${control.db} (PID ${control.pid}) stopped answering while it ran "${command}" (${(error as Error).message}). What it finished is committed; see the server's log, then run the command again.`, { file: control.db });
  }
  if (sent.status !== 200) return undefined;
  const result = JSON.parse(sent.text) as ServedResult;
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

class ControlUnreachable extends Error {}

/**
 * Posts a command to the server and waits as long as the command runs: node:http rather than
 * fetch, whose 300-second wait for headers would cut off a long forwarded ingest or export and
 * leave the CLI running it a second time against a store the server holds.
 */
function postToControl(control: Control, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: control.port, path: '/cli', method: 'POST', headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ECONNREFUSED' || (error.code === 'ECONNRESET' && !request.writableFinished) ? new ControlUnreachable(error.message) : error));
    request.end(body);
  });
}
