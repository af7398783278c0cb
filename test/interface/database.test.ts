import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { interfaceTarget, migrateInterfaceStore, openInterfaceStore } from '../../src/interface/database.js';
import { MIGRATIONS } from '../../src/interface/migrations/index.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS } from './helpers/stores.js';

describe('interfaceTarget(config)', () => {
  it('uses the PGlite folder beside the DuckDB file when DATABASE_URL is not set', () => {
    expect(interfaceTarget(loadConfig({ db: 'data/planwatch.duckdb' }, {}))).toEqual({ kind: 'pglite', dataDir: 'data/planwatch.interface' });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({}, { DATABASE_URL: 'postgres://planwatch@db.example/planwatch' });
    expect(interfaceTarget(config)).toEqual({ kind: 'postgres', url: 'postgres://planwatch@db.example/planwatch' });
  });
});

describe.each(backends)('openInterfaceStore(target) on $name', (backend) => {
  it('runs every migration at start-up, and running them again changes nothing', async () => {
    const test = await backend.open({ fresh: true });
    try {
      const applied = await test.ctx.db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).execute();
      expect(applied.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateInterfaceStore(test.ctx.db)).toEqual([]);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely%' order by table_name
      `.execute(test.ctx.db);
      expect(tables.rows.map((row) => row.table_name)).toEqual(['accounts', 'audit_log', 'issues', 'register_contacts', 'server_secrets', 'sessions', 'trust_icb']);
    } finally {
      await test.close();
    }
  }, OPEN_TIMEOUT_MS);

  it('returns dates as the ISO text they were stored as', async () => {
    const test = await backend.open();
    try {
      const result = await sql<{ day: string }>`select ${'2025-03-31'}::date as day`.execute(test.ctx.db);
      expect(result.rows[0]?.day).toBe('2025-03-31');
    } finally {
      await test.close();
    }
  }, OPEN_TIMEOUT_MS);
});

describe('openInterfaceStore({ kind: "pglite", dataDir })', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-interface-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('creates the folder, and keeps what was written when opened again', async () => {
    const dataDir = path.join(folder, 'nested', 'planwatch.interface');
    const first = await openInterfaceStore({ kind: 'pglite', dataDir });
    await first.db
      .insertInto('trust_icb')
      .values({ trust_code: 'RA1', trust_name: 'Synthetic Trust', icb_code: 'QAA', icb_name: 'Synthetic ICB', updated_at: new Date() })
      .execute();
    await first.close();
    const second = await openInterfaceStore({ kind: 'pglite', dataDir });
    try {
      expect(await second.db.selectFrom('trust_icb').select('trust_name').execute()).toEqual([{ trust_name: 'Synthetic Trust' }]);
      expect(await migrateInterfaceStore(second.db)).toEqual([]);
    } finally {
      await second.close();
    }
  }, OPEN_TIMEOUT_MS);
});

describe('openInterfaceStore({ kind: "pglite", dataDir }) while another process has it open', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-interface-lock-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses to open the folder twice, and opens it again once closed', async () => {
    const dataDir = path.join(folder, 'planwatch.interface');
    const first = await openInterfaceStore({ kind: 'pglite', dataDir });
    try {
      expect(existsSync(`${dataDir}.lock`)).toBe(true);
      await expectPlanwatchError(() => openInterfaceStore({ kind: 'pglite', dataDir }), 'E_USAGE');
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openInterfaceStore({ kind: 'pglite', dataDir });
    await again.close();
  }, OPEN_TIMEOUT_MS);

  it('takes over a lock left by a process that died', async () => {
    const dataDir = path.join(folder, 'stale.interface');
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(`${dataDir}.lock`, String(exited));
    const store = await openInterfaceStore({ kind: 'pglite', dataDir });
    await store.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, OPEN_TIMEOUT_MS);
});
