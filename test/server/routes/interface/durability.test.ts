import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { setPassword } from '../../../../src/interface/accounts.js';
import { openInterfaceStore } from '../../../../src/interface/database.js';
import { PASSWORD, reportForm } from '../../../helpers/interface-web.js';
import { fakeClock, PASSWORD_COST, placeMigratedFolder } from '../../../interface/helpers/stores.js';
import { seedWorld } from '../../../interface/helpers/world.js';

/**
 * "Killing the server in the middle of a write loses no acknowledged report" (issue 7), end to
 * end: the real `planwatch serve` in a child process on 127.0.0.1 with a PGlite folder, a practice
 * signed in over HTTP posting reports with its CSRF token, SIGKILL while posts are in flight, a
 * restart on the same folder, and every report whose POST was answered "sent" read back.
 */
const MAIN = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'src', 'cli', 'main.ts');
const PRACTICE = 'practice.a@example.nhs.uk';
const IN_FLIGHT = 4;

interface Server {
  child: ChildProcess;
  origin: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

function startServer(dbPath: string): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, PLANWATCH_LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  for (const name of ['DATABASE_URL', 'PLANWATCH_INTERFACE_DIR', 'PLANWATCH_SOURCE', 'PLANWATCH_DB', 'PORT']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--db', dbPath, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /on http:\/\/localhost:(\d+)/.exec(line);
      if (match) resolve({ child, origin: `http://127.0.0.1:${match[1]}`, exited });
    });
    void exited.then((how) => reject(new Error(`planwatch serve stopped (${how}) before listening: ${stderr}`)));
  });
}

/** A browser over real HTTP: its cookies (session, sign-in form) and the CSRF token of the last form seen. */
class HttpVisitor {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly origin: string) {}

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const response = await fetch(`${this.origin}${url}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }

  async page(url: string): Promise<string> {
    const body = await (await this.request(url)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1]!;
    return body;
  }

  async signIn(): Promise<void> {
    await this.page('/interface/sign-in');
    const response = await this.request('/interface/sign-in', { email: PRACTICE, password: PASSWORD });
    if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
    await this.page('/interface/reports/new');
  }
}

/**
 * Posts reports, IN_FLIGHT at a time, until `acknowledgements` have been answered with the
 * redirect to the new report, then SIGKILLs the server a random few milliseconds later, with
 * posts still on the wire. Returns id → label for every acknowledged report, and how many posts
 * the kill cut off (two or three of the four, when measured).
 */
async function postThenKill(server: Server, round: number, acknowledgements: number): Promise<{ acknowledged: Map<number, string>; cut: number }> {
  const visitor = new HttpVisitor(server.origin);
  await visitor.signIn();
  const acknowledged = new Map<number, string>();
  let sequence = 0;
  let killing = false;
  let cut = 0;
  const writer = async () => {
    while (!killing) {
      const label = `${round}-${(sequence += 1)}`;
      let response: Response;
      try {
        response = await visitor.request('/interface/reports', reportForm({ specialty: 'Durability', whatHappened: `Synthetic durability report ${label}` }));
      } catch (error) {
        // The connection died with the server: this post was never acknowledged.
        if (killing) {
          cut += 1;
          return;
        }
        throw error;
      }
      const id = /^\/interface\/reports\/(\d+)\?done=reported$/.exec(response.headers.get('location') ?? '');
      if (response.status !== 303 || !id) throw new Error(`report ${label} answered ${response.status}`);
      acknowledged.set(Number(id[1]), label);
      if (acknowledged.size >= acknowledgements && !killing) {
        killing = true;
        setTimeout(() => server.child.kill('SIGKILL'), Math.floor(Math.random() * 10));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  expect(await server.exited).toBe('SIGKILL');
  return { acknowledged, cut };
}

describe('planwatch serve killed while practices post reports', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-serve-durability-'));
  const dbPath = path.join(folder, 'planwatch.duckdb');
  let running: Server | undefined;
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps every report it answered "sent" for, through two kills', async () => {
    // The folder exists, as it would after the first day: making it (initdb) is not what is tested.
    await placeMigratedFolder(path.join(folder, 'planwatch.interface'));
    const seeding = await openInterfaceStore({ kind: 'pglite', dataDir: path.join(folder, 'planwatch.interface') });
    const ctx = { db: seeding.db, clock: fakeClock('2025-01-06T09:00:00Z'), passwordCost: PASSWORD_COST };
    const world = await seedWorld(ctx);
    await setPassword(ctx, world.admin, world.practiceA.accountId, PASSWORD);
    await seeding.close();

    const acknowledged = new Map<number, string>();
    let cut = 0;
    for (const round of [1, 2]) {
      running = await startServer(dbPath);
      const written = await postThenKill(running, round, 15);
      for (const [id, label] of written.acknowledged) acknowledged.set(id, label);
      cut += written.cut;
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(30);
    // The kills landed mid-stream: some posts were on the wire and never answered.
    expect(cut).toBeGreaterThan(0);

    running = await startServer(dbPath);
    const reader = new HttpVisitor(running.origin);
    await reader.signIn();
    for (const [id, label] of acknowledged) {
      const response = await reader.request(`/interface/reports/${id}`);
      expect(response.status, `report ${id} (${label})`).toBe(200);
      expect(await response.text(), `report ${id}`).toContain(`Synthetic durability report ${label}`);
    }
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    running = undefined;
  }, 180_000);
});
