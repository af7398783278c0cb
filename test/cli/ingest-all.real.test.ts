import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDb } from '../helpers/cli.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

/**
 * Ingesting the whole data folder must succeed, naming every file no plugin reads (issue 15).
 * The whole folder takes minutes (npm run bench times it); this test takes a folder laid out
 * like it, with the real files that are not read beside small ones that are.
 */
const NOT_READ = [
  ['ambulance', 'AmbCO_TimeSeries.csv'],
  ['nof', '2026-03_nhs-oversight-framework-mental-health-and-community-trust-data.csv'],
  ['nof', '2026-03_nhs-oversight-framework-mental-health-and-community-trust-league-table.csv'],
];
const READ = [
  ['ods', '2026-04_succ.csv'],
  ['rtt', 'full_extract_subset', '2024-11_20241130-RTT-November-2024-RBD.csv'],
];

describe.skipIf(!realDataDir)('planwatch ingest DATA-FOLDER (real data, a subset)', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'planwatch-all-'));
    for (const parts of [...NOT_READ, ...READ]) {
      mkdirSync(path.join(folder, ...parts.slice(0, -1)), { recursive: true });
      symlinkSync(realPath(...parts), path.join(folder, ...parts));
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('ingests what it reads and reports the other files as skipped, by name, exiting 0', async () => {
    const run = await runCli('ingest', '--db', tempDb(), '--json', folder);
    expect(run.code, run.stderr).toBe(0);
    const outcomes = JSON.parse(run.stdout) as { path: string; status: string }[];
    const named = (status: string) => outcomes.filter((o) => o.status === status).map((o) => path.relative(folder, o.path)).sort();
    expect(named('skipped')).toEqual(NOT_READ.map((parts) => path.join(...parts)).sort());
    expect(named('ingested')).toEqual(READ.map((parts) => path.join(...parts)).sort());
    expect(named('rejected')).toEqual([]);
  });

  it('says "skipped" with the file name in the plain report', async () => {
    const run = await runCli('ingest', '--db', tempDb(), folder);
    expect(run.code, run.stderr).toBe(0);
    for (const [, ...rest] of NOT_READ) expect(run.stdout).toMatch(new RegExp(`skipped .*${rest.at(-1)!.replace(/[.]/g, '\\.')}: not a file of a collection Planwatch reads`));
  });
});
