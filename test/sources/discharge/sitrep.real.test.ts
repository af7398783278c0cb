import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStatus } from '../../../src/assessment/index.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { cellText } from '../../../src/sources/cells.js';
import { readSheets } from '../../../src/sources/workbook.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

/** A row's daily figures for one of Table 2's three metrics, read straight from the sheet. */
async function dailyCells(file: string, rowName: (cells: string[]) => boolean, metric: 0 | 1 | 2): Promise<(number | '-')[]> {
  const [sheet] = await readSheets(file, await readFile(realPath('discharge_acute', file)), ['Table 2']);
  const row = sheet!.rows.find((cells) => rowName(cells.map(cellText)))!;
  const values: (number | '-')[] = [];
  for (let column = 4 + metric; column < row.length; column += 3) values.push(row[column] as number | '-');
  return values;
}

const mean = (values: readonly (number | '-')[]) => {
  const reported = values.filter((value): value is number => value !== '-');
  return reported.reduce((sum, value) => sum + value, 0) / reported.length;
};

describe.skipIf(!realDataDir)('acute daily discharge sitrep webfiles (real data)', () => {
  let store: Store;
  let files: string[];

  beforeAll(async () => {
    store = await Store.open(':memory:');
    // The national time series in the same folder is another publication (England only), not read.
    files = (await readdir(realPath('discharge_acute'))).filter((name) => name.endsWith('.xlsx') && !name.includes('time_series')).sort();
    for (const name of files) await ingestPath(store, realPath('discharge_acute', name));
  }, 120_000);
  afterAll(() => store.close());

  it('ingests every monthly webfile, titles in row 1 and row 2, as its Cover Sheet month', async () => {
    const rows = await store.all<{ period: string }>("SELECT DISTINCT period FROM file_periods WHERE collection = 'discharge' ORDER BY period");
    expect(rows.map((row) => row.period)).toEqual([
      '2022-04', '2022-05', '2022-06', '2022-07', '2022-08', '2022-09', '2022-10', '2022-11', '2022-12',
      '2023-01', '2023-02', '2023-03', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-11', '2023-12',
    ]);
  });

  it("gives England's December 2023 average as the mean of its 31 published days (25,896 on the 1st)", async () => {
    const days = await dailyCells('2023-12_december2023.xlsx', (cells) => cells[3]!.startsWith('ENGLAND'), 0);
    expect(days).toHaveLength(31);
    expect(days[0]).toBe(25896);
    const [england] = await measureValues(store, measureById('discharge_ncr'), { level: 'england', from: '2023-12', to: '2023-12' });
    expect(england!.value).toBeCloseTo(mean(days), 9);
    expect(england!.value!.toFixed(1)).toBe('22909.8');
  });

  it('averages a trust over the days it submitted, leaving out its "-" days', async () => {
    // RAJ (Mid and South Essex) has "-" days in April 2022.
    const days = await dailyCells('2022-04_april2022.xlsx', (cells) => cells[2] === 'RAJ', 2);
    expect(days.filter((day) => day === '-').length).toBeGreaterThan(0);
    const [raj] = await measureValues(store, measureById('discharge_ncr_remaining'), { level: 'trust', orgs: ['RAJ'], from: '2022-04', to: '2022-04' });
    expect(raj!.value).toBeCloseTo(mean(days), 9);
  });

  it("keeps England's discharges as published, above the trusts' by the hospice discharges", async () => {
    const england = await measureValues(store, measureById('discharge_ncr_discharged'), { level: 'england' });
    const days = await store.all<{ period: string; trusts: number }>(
      `SELECT period, SUM(value) AS trusts FROM current_observations
       WHERE collection = 'discharge' AND metric = 'ncr_discharged_sum' AND regexp_matches(org, '^R') GROUP BY period ORDER BY period`);
    const sums = await store.all<{ period: string; value: number }>(
      "SELECT period, value FROM current_observations WHERE collection = 'discharge' AND metric = 'ncr_discharged_sum' AND org = 'ENG' ORDER BY period");
    expect(england).toHaveLength(19);
    sums.forEach((row, i) => expect(row.value).toBeGreaterThan(days[i]!.trusts));
  });

  it("reads Table 3's weekly bed days: England 125,915 (7+ days) in the week of 4 December 2023", async () => {
    const [sheet] = await readSheets('2023-12_december2023.xlsx', await readFile(realPath('discharge_acute', '2023-12_december2023.xlsx')), ['Table 3']);
    const row = sheet!.rows.find((cells) => cellText(cells[3]).startsWith('ENGLAND'))!;
    const weeks = row.slice(4).filter((_, i) => i % 3 === 0) as number[];
    expect(weeks[0]).toBe(125915);
    const [england] = await measureValues(store, measureById('discharge_delay_bed_days_7plus'), { level: 'england', from: '2023-12', to: '2023-12' });
    expect(england!.value).toBeCloseTo(weeks.reduce((sum, week) => sum + week, 0) / weeks.length, 9);
  });

  it('judges the 2024/25 ask against the same month a year earlier (December 2023 against December 2022)', async () => {
    const status = await getStatus(store, 'ENG', { period: '2023-12' });
    const line = status.lines.find((candidate) => candidate.targetId === 'pg2425-discharge-ncr')!;
    const [now, before] = await Promise.all(['2023-12', '2022-12'].map(async (month) =>
      (await measureValues(store, measureById('discharge_ncr'), { level: 'england', from: month, to: month }))[0]!.value!));
    expect(line).toMatchObject({ assessedPeriod: '2023-12', comparator: '<', final: false });
    expect(line.value).toBeCloseTo(now!, 9);
    expect(line.threshold).toBeCloseTo(before!, 9);
    // 22,909.8 a day in December 2023 against 22,592.9 in December 2022: not met.
    expect(line.met).toBe(false);
  });
});
