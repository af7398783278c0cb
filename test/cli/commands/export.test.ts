import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { runCli, tempDb } from '../../helpers/cli.js';
import { syntheticAeMonth } from '../../helpers/synthetic-ae.js';

let db: string;
beforeAll(async () => {
  db = tempDb();
  const store = await Store.open(db);
  for (const [i, period] of ['2025-02', '2025-03'].entries()) {
    await ingestFile(store, { name: `synthetic-ae-${period}.csv`, bytes: new TextEncoder().encode(syntheticAeMonth(period, i)) });
  }
  store.close();
}, 60_000);

describe('planwatch export', () => {
  it('writes the static site and says what it wrote', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'planwatch-export-cli-')), 'site');
    const run = await runCli('export', '--static', dir, '--db', db, '--no-reports');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Exported \\d+ pages, \\d+ data files and \\d+ assets \\([\\d.]+ MB\\) to ${dir} in [\\d.]+ s\\.`));
    expect(run.stdout).toContain('Whole-store Parquet:');
    expect(existsSync(path.join(dir, 'org', 'RAA.html'))).toBe(true);
    // --no-reports: no board report is written, and none is linked.
    expect(existsSync(path.join(dir, 'org', 'RAA', 'report.html'))).toBe(false);
  }, 120_000);

  it('exits 2 without --static, naming the option', async () => {
    const run = await runCli('export', '--db', db);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--static DIR');
  });

  it('exits 2 on a folder that is not empty, saying --force writes into it, and writes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-export-cli-full-'));
    mkdirSync(path.join(dir, 'mine'));
    writeFileSync(path.join(dir, 'mine', 'notes.txt'), 'keep');
    const run = await runCli('export', '--static', dir, '--db', db, '--json');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'E_USAGE', file: dir } });
    expect(JSON.parse(run.stderr).error.message).toContain('--force');
    expect(readdirSync(dir)).toEqual(['mine']);
  });
});
