import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../src/measures/index.js';
import { loadTargets } from '../../src/targets/load.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

const pick = (folder: string[], months: string[]) =>
  realDataDir ? readdirSync(realPath(...folder)).filter((name) => months.some((m) => name.startsWith(`${m}_`))).map((name) => realPath(...folder, name)) : [];

interface Line { targetId: string; met: boolean | null; final: boolean; value: number | null; companions: { metric: string; value: number | null }[] }

describe.skipIf(!realDataDir)('planwatch status ENG on the real cancer and diagnostics files', () => {
  let db: string;
  beforeAll(async () => {
    db = tempDb();
    const files = [...pick(['cancer_cwt', 'provider'], ['2025-03', '2025-09']), ...pick(['diagnostics_dm01'], ['2025-03', '2025-07'])];
    expect(files).toHaveLength(4);
    const run = await runCli('ingest', '--db', db, ...files);
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);

  it('lists every 2024/25 and 2025/26 target these collections measure, each met or not met', async () => {
    const run = await runCli('status', 'ENG', '--db', db, '--json');
    expect(run.code, run.stderr).toBe(0);
    const lines = JSON.parse(run.stdout).lines as Line[];
    const expected = loadTargets()
      .filter((t) => ['2024/25', '2025/26'].includes(t.file.guidance_year ?? '') && ['cwt', 'dm01'].includes(measureById(t.metric).collection))
      .map((t) => t.id);
    expect(expected.sort()).toEqual(['pg2425-cancer-62d', 'pg2425-cancer-fds', 'pg2425-diagnostics-6wk', 'pg2526-cancer-62d', 'pg2526-cancer-fds']);
    const byId = new Map(lines.map((line) => [line.targetId, line]));
    for (const id of expected) expect(typeof byId.get(id)?.met, id).toBe('boolean');
    // March 2025: FDS 78.97% against 77%, 62-day 71.43% against 70%, diagnostics well short of 95%.
    expect(byId.get('pg2425-cancer-fds')).toMatchObject({ met: true, final: true });
    expect(byId.get('pg2425-cancer-62d')).toMatchObject({ met: true, final: true });
    expect(byId.get('pg2425-diagnostics-6wk')).toMatchObject({ met: false, final: true });
    // The March 2026 ambitions are judged on the latest month so far.
    expect(byId.get('pg2526-cancer-fds')).toMatchObject({ final: false });
    expect(byId.get('pg2425-diagnostics-6wk')!.companions[0]!.metric).toBe('dm01_13wk');
  });

  it('prints them as a table with met or not met and the longest waits', async () => {
    const run = await runCli('status', 'ENG', '--db', db);
    expect(run.stdout).toMatch(/Faster Diagnosis Standard\) in March 2025 +2025-03 +79\.0% +>= 77\.0% +met/);
    expect(run.stdout).toMatch(/6 weeks for a diagnostic test in March 2025 .* not met .*Waiting 13\+ weeks: [\d,]+/);
  });
});
