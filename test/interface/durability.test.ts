import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openInterfaceStore } from '../../src/interface/database.js';
import { fakeClock, PASSWORD_COST, placeMigratedFolder } from './helpers/stores.js';
import { seedWorld } from './helpers/world.js';

const WRITER = path.join(import.meta.dirname, 'fixtures', 'write-reports.ts');
const PRACTICE_EMAIL = 'practice.a@example.nhs.uk';

/**
 * Runs the writer until it has acknowledged at least `acknowledgements` reports, then kills it
 * with SIGKILL after a random few milliseconds — mid-transaction, most likely — and returns every
 * acknowledgement it printed before dying.
 */
function writeThenKill(dataDir: string, round: number, acknowledgements: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(round), PRACTICE_EMAIL], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Map<number, string>();
    let stderr = '';
    let isKillScheduled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [id, label] = line.split(' ');
      if (line === 'ready' || !id || !label) return;
      acknowledged.set(Number(id), label);
      if (acknowledged.size >= acknowledgements && !isKillScheduled) {
        isKillScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer stopped by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('a PGlite folder killed in the middle of writes', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-durability-'));
  const dataDir = path.join(folder, 'planwatch.interface');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps every report it acknowledged, through two kills', async () => {
    // A folder made on an earlier day: making it (initdb) is not what is tested.
    await placeMigratedFolder(dataDir);
    const seeding = await openInterfaceStore({ kind: 'pglite', dataDir });
    await seedWorld({ db: seeding.db, clock: fakeClock('2025-01-06T09:00:00Z'), passwordCost: PASSWORD_COST });
    await seeding.close();

    const acknowledged = new Map<number, string>();
    for (const round of [1, 2]) {
      for (const [id, label] of await writeThenKill(dataDir, round, 20)) acknowledged.set(id, label);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);

    const reopened = await openInterfaceStore({ kind: 'pglite', dataDir });
    try {
      const stored = await reopened.db.selectFrom('issues').select(['id', 'what_happened']).where('specialty', '=', 'Durability').execute();
      const storedById = new Map(stored.map((row) => [row.id, row.what_happened]));
      for (const [id, label] of acknowledged) expect(storedById.get(id), `report ${id} (${label})`).toBe(`Synthetic durability report ${label}`);
      // Each stored report also has its audit row: the two commit together or not at all.
      const audited = await reopened.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'issue.report').execute();
      expect(new Set(audited.map((row) => Number(row.entity_id)))).toEqual(new Set(storedById.keys()));
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
