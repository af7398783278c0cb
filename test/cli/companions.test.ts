import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDb } from '../helpers/cli.js';
import { cwtSheets, writeXlsx } from '../fixtures/cancer/synthetic-cwt.js';
import { dm01Sheets, writeXls } from '../fixtures/diagnostics/synthetic-dm01.js';

describe('planwatch status and league — the longest waiters beside the percentages', () => {
  let db: string;
  beforeAll(async () => {
    db = tempDb();
    const dm01 = path.join(path.dirname(db), 'Monthly-Diagnostics-Web-File-Provider-January-2025.xls');
    const cwt = path.join(path.dirname(db), 'MARCH-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx');
    writeFileSync(dm01, writeXls(dm01Sheets()));
    writeFileSync(cwt, await writeXlsx(cwtSheets()));
    const ingest = await runCli('ingest', '--db', db, dm01, cwt);
    expect(ingest.code, ingest.stderr).toBe(0);
  });

  it('puts each organisation\'s 13+ week diagnostic waiters beside its 6-week share in the league', async () => {
    const league = JSON.parse((await runCli('league', 'dm01_within_6wk', '--db', db, '--json')).stdout);
    expect(league.companions).toEqual([{ metric: 'dm01_13wk', short: 'Waiting 13+ weeks', unit: 'count' }]);
    const raa = league.rows.find((r: { org: string }) => r.org === 'RAA');
    expect(raa.companions).toEqual([{ metric: 'dm01_13wk', short: 'Waiting 13+ weeks', unit: 'count', value: 40 }]);
    const table = (await runCli('league', 'dm01_within_6wk', '--db', db)).stdout;
    expect(table.split('\n')[1]).toContain('Waiting 13+ weeks');
  });

  it('shows them beside every target on the percentage in status, for the month assessed', async () => {
    const status = JSON.parse((await runCli('status', 'ENG', '--db', db, '--json')).stdout);
    const dm01 = status.lines.filter((l: { metric: string }) => l.metric === 'dm01_within_6wk');
    expect(dm01.map((l: { targetId: string }) => l.targetId).sort()).toEqual(['pg2425-diagnostics-6wk', 'std-dm01-6wk']);
    expect(dm01.every((l: { companions: { value: number }[] }) => l.companions[0]!.value === 130)).toBe(true);
    const d62 = status.lines.find((l: { targetId: string }) => l.targetId === 'std-cwt-62d');
    expect(d62.companions).toEqual([{ metric: 'cwt_62d_over_104d', short: 'Treated after 104 days', unit: 'count', value: 3 }]);
    const table = (await runCli('status', 'ENG', '--db', db)).stdout;
    expect(table).toContain('Longest waits');
    expect(table).toContain('Waiting 13+ weeks: 130');
  });

  it('adds no column for a measure without companions', async () => {
    const league = JSON.parse((await runCli('league', 'cwt_fds', '--db', db, '--json')).stdout);
    expect(league.companions).toEqual([]);
    expect(league.rows.every((r: { companions: unknown[] }) => r.companions.length === 0)).toBe(true);
  });
});
