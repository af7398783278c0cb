import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText } from '../../../src/sources/cells.js';
import { readSheets } from '../../../src/sources/workbook.js';
import { measureById } from '../../../src/measures/index.js';
import { periodLabel } from '../../../src/dimensions.js';
import { measureValues } from '../../../src/measures/query.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

describe.skipIf(!realDataDir)('KH03 overnight web files (real data)', () => {
  let store: Store;
  let files: string[];

  beforeAll(async () => {
    store = await Store.open(':memory:');
    files = (await readdir(realPath('beds_kh03'))).filter((name) => name.endsWith('.xlsx')).sort();
    for (const name of files) await ingestPath(store, realPath('beds_kh03', name));
  });
  afterAll(() => store.close());

  it('ingests all four quarters, keyed by their last month', async () => {
    const rows = await store.all<{ period: string }>("SELECT DISTINCT period FROM file_periods WHERE collection = 'beds' ORDER BY period");
    expect(rows.map((row) => row.period)).toEqual(['2024-09', '2024-12', '2025-03', '2025-06']);
    expect(periodLabel('2025-03', 'quarter')).toBe('Q4 2024-25');
  });

  it('gives England G&A occupancy of 92.53% in Q4 2024-25 (106,068.1 available, 98,145.9 occupied)', async () => {
    const query = { level: 'england' as const, from: '2025-03', to: '2025-03' };
    const [occupancy] = await measureValues(store, measureById('beds_ga_occupancy'), query);
    const [available] = await measureValues(store, measureById('beds_ga_available'), query);
    const [occupied] = await measureValues(store, measureById('beds_ga_occupied'), query);
    expect(occupancy!.value!.toFixed(2)).toBe('92.53');
    expect(available!.value!.toFixed(1)).toBe('106068.1');
    expect(occupied!.value!.toFixed(1)).toBe('98145.9');
  });

  it("reconciles each file's England row with the sum of its trusts", async () => {
    for (const metric of ['beds_ga_available', 'beds_ga_occupied'] as const) {
      const summed = await measureValues(store, measureById(metric), { level: 'england' });
      const published = await store.all<{ period: string; value: number }>(
        "SELECT period, value FROM current_observations WHERE collection = 'beds' AND org = 'ENG' AND metric = $1 ORDER BY period",
        [metric === 'beds_ga_available' ? 'available_ga' : 'occupied_ga']);
      expect(summed.map((v) => v.period)).toEqual(published.map((p) => p.period));
      summed.forEach((value, i) => expect(value.value).toBeCloseTo(published[i]!.value, 6));
    }
  });

  it('rolls trusts up to the regions NHS England publishes on the "Region by Sector" sheet', async () => {
    const name = files.find((file) => file.includes('Q4-2024-25'))!;
    const [sheet] = await readSheets(name, await readFile(realPath('beds_kh03', name)), ['Region by Sector']);
    const header = sheet!.rows.findIndex((row) => row.map(cellText).includes('Region Code'));
    const published = sheet!.rows.slice(header + 1).filter((row) => /^Y\d\d$/.test(cellText(row[3])));
    expect(published).toHaveLength(7);
    const ours = new Map((await measureValues(store, measureById('beds_ga_available'), { level: 'region', from: '2025-03', to: '2025-03' })).map((v) => [v.org, v.value]));
    for (const row of published) {
      // Column G is "General & Acute" in the Available block of this sheet.
      expect(ours.get(cellText(row[3]))).toBeCloseTo(row[6] as number, 6);
    }
  });
});
