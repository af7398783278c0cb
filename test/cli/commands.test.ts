import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingMarks } from '../../src/store/measure-table.js';
import { Store } from '../../src/store/store.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const fixtures = ['synthetic-ae-2019.csv', 'synthetic-ae-2020.csv', 'synthetic-ae-2020-booked.csv'].map((name) => fixturePath('ae', name));

describe('planwatch ingest', () => {
  it('prints a line per file: collection, month, organisations, rows', async () => {
    const db = tempDb();
    const run = await runCli('ingest', '--db', db, ...fixtures);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ingested\s+ae\s+2020-05\s+3 organisations\s+36 rows\s+synthetic-ae-2020\.csv/);
  });

  it('exits 3 on a refused file, naming it, and still ingests the others', async () => {
    const db = tempDb();
    const run = await runCli('ingest', '--db', db, fixturePath('ae', 'make-synthetic.py'), fixtures[0]!);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('make-synthetic.py: not a file of any collection Planwatch reads');
    const series = await runCli('series', 'ENG', 'ae_attendances', '--db', db, '--json');
    expect(JSON.parse(series.stdout)).toHaveLength(1);
  });
});

describe('planwatch ingest, then a command that reads the store', () => {
  async function tableState(db: string): Promise<{ pending: number; rows: number }> {
    const store = await Store.open(db);
    try {
      const rows = await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM measure_values');
      return { pending: (await pendingMarks(store)).length, rows: rows!.n };
    } finally {
      store.close();
    }
  }

  it('leaves the changed months marked, and the next reader computes their measure values once', async () => {
    const db = tempDb();
    const ingest = await runCli('ingest', '--db', db, ...fixtures);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('computed by the next command that reads the store');
    expect(await tableState(db)).toEqual({ pending: 3, rows: 0 });
    const series = await runCli('series', 'ENG', 'ae_attendances', '--db', db, '--json');
    expect(series.code, series.stderr).toBe(0);
    const state = await tableState(db);
    expect(state.pending).toBe(0);
    expect(state.rows).toBeGreaterThan(0);
    // The same answer from the table as the first command gave while it built it.
    expect((await runCli('series', 'ENG', 'ae_attendances', '--db', db, '--json')).stdout).toBe(series.stdout);
  });

  // Each file is read and parsed while the one before it is written: the outcomes must still be
  // those of taking the files one at a time, in order.
  it('treats files parsed ahead of their turn as if taken one at a time: the same bytes twice, a refused file between', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-ahead-'));
    copyFileSync(fixtures[1]!, path.join(folder, 'a.csv'));
    writeFileSync(path.join(folder, 'b.csv'), 'Period,Org Code\nMSitAE-MAY-2020,RAA\n');
    copyFileSync(fixtures[1]!, path.join(folder, 'c.csv'));
    copyFileSync(fixtures[0]!, path.join(folder, 'd.csv'));
    const db = tempDb();
    const run = await runCli('ingest', '--db', db, '--json', ...['a', 'b', 'c', 'd'].map((name) => path.join(folder, `${name}.csv`)));
    expect(run.code).toBe(3);
    const outcomes = JSON.parse(run.stdout) as { status: string; error?: { file?: string } }[];
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ingested', 'rejected', 'unchanged', 'ingested']);
    expect(outcomes[1]!.error?.file).toBe('b.csv');
    const store = await Store.open(db);
    try {
      expect(await store.all('SELECT name FROM files ORDER BY file_id')).toEqual([{ name: 'a.csv' }, { name: 'd.csv' }]);
    } finally {
      store.close();
    }
  });

  it('prints only the JSON with --json', async () => {
    const db = tempDb();
    const run = await runCli('ingest', '--db', db, '--json', ...fixtures);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(3);
  });
});

describe('planwatch series', () => {
  it('prints JSON points with period, value, numerator and denominator', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, ...fixtures);
    const run = await runCli('series', 'RAA', 'ae_4hr', '--db', db, '--json', '--from', '2020-05', '--to', '2020-06');
    expect(run.code).toBe(0);
    const points = JSON.parse(run.stdout);
    expect(points[0]).toEqual({ period: '2020-05', value: expect.any(Number), numerator: expect.any(Number), denominator: expect.any(Number) });
    expect(points[0].value).toBeCloseTo((100 * points[0].numerator) / points[0].denominator, 10);
    expect(points[1]).toMatchObject({ period: '2020-06', value: null, note: 'no publication in the store for this month' });
  });

  it('adds SPC with --spc: limits, rules, point types, variation and assurance', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, ...fixtures);
    const run = await runCli('series', 'ENG', 'ae_4hr', '--db', db, '--json', '--spc');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.points[0]).toMatchObject({ period: '2019-06', rules: { beyond: expect.any(Boolean) }, pointType: expect.any(String) });
    expect(result.points.filter((p: { value: number | null }) => p.value !== null)).toHaveLength(3);
    expect(result.variation).toEqual(expect.any(String));
    expect(result.target.id).toBe('pg2425-ae-4hr'); // latest month 2024-09: March 2025 is the next due
    expect(['consistent_pass', 'consistent_fail', 'hit_and_miss']).toContain(result.assurance);
  });

  it('exits 2 for an unknown organisation or measure', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, ...fixtures);
    expect((await runCli('series', 'XYZ', 'ae_4hr', '--db', db)).code).toBe(2);
    const unknown = await runCli('series', 'ENG', 'ae_5hr', '--db', db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown measure "ae_5hr"');
  });

  it('exits 2 for a malformed month', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, ...fixtures);
    const run = await runCli('series', 'ENG', 'ae_4hr', '--db', db, '--from', '2025-13');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from must be a month as YYYY-MM');
  });
});

describe('planwatch league and status', () => {
  it('ranks trusts with change and target, and lists every applicable target', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, ...fixtures);
    const league = JSON.parse((await runCli('league', 'ae_4hr', '--db', db, '--json')).stdout);
    expect(league.period).toBe('2024-09');
    expect(league.rows.map((r: { org: string }) => r.org).sort()).toEqual(['RAA', 'RCC', 'RDD']);
    expect(league.rows[0].rank).toBe(1);
    const status = JSON.parse((await runCli('status', 'ENG', '--db', db, '--json')).stdout);
    expect(status.lines.map((l: { targetId: string }) => l.targetId).sort()).toEqual(['mtpf-ae-12hr-2627', 'mtpf-ae-12hr-2728', 'mtpf-ae-12hr-2829', 'mtpf-ae-4hr-2627', 'mtpf-ae-4hr-2829', 'pg2425-ae-4hr', 'pg2526-ae-4hr', 'std-ae-4hr']);
    const table = await runCli('status', 'ENG', '--db', db);
    expect(table.stdout).toContain('Last met');
  });
});

describe('planwatch history', () => {
  it('lists the original publication of a month and its revision, with each one\'s figure', async () => {
    const db = tempDb();
    await runCli('ingest', '--db', db, fixturePath('ae', 'synthetic-ae-2020-booked.csv'), fixturePath('ae', 'synthetic-ae-2020-booked-revised.csv'));
    const run = await runCli('history', 'RAA', 'ae_attendances', '--period', '2024-09', '--db', db, '--json');
    expect(run.code, run.stderr).toBe(0);
    const versions = JSON.parse(run.stdout);
    expect(versions.map((v: { file: string; current: boolean }) => [v.file, v.current])).toEqual([
      ['synthetic-ae-2020-booked.csv', false],
      ['synthetic-ae-2020-booked-revised.csv', true],
    ]);
    expect(versions[1].value - versions[0].value).toBe(100);
  });
});
