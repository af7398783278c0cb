import { readFile, readdir } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

type Row = Record<'Period' | 'Level' | 'Org Code' | 'Metric' | 'Type' | 'Value', string>;

describe.skipIf(!realDataDir)('monthly beds sitrep (real data)', () => {
  let store: Store;
  let rows: Row[];
  const published = (level: string, org: string, metric: string, type: string) =>
    Number(rows.find((row) => row.Level === level && row['Org Code'] === org && row.Metric === metric && row.Type === type)!.Value);

  beforeAll(async () => {
    store = await Store.open(':memory:');
    const [name] = (await readdir(realPath('beds_sitrep_monthly'))).filter((file) => file.endsWith('.csv')).sort();
    await ingestPath(store, realPath('beds_sitrep_monthly', name!));
    rows = (parse(await readFile(realPath('beds_sitrep_monthly', name!)), { bom: true, columns: true }) as Row[]).filter((row) => row.Period);
  });
  afterAll(() => store.close());

  it('keys the January 2025 file by its Period, whatever its name says', async () => {
    const periods = await store.all<{ period: string }>("SELECT DISTINCT period FROM file_periods WHERE collection = 'beds_sitrep'");
    expect(periods.map((row) => row.period)).toEqual(['2025-01']);
  });

  it("takes England from the National row (103,578 available, 97,398 occupied, all types), not the providers' sum", async () => {
    const query = { level: 'england' as const };
    const [available] = await measureValues(store, measureById('beds_sitrep_ga_available'), query);
    const [occupancy] = await measureValues(store, measureById('beds_sitrep_ga_occupancy'), query);
    expect(available!.value).toBe(103578);
    expect(occupancy!.value).toBeCloseTo((100 * 97398) / 103578, 9);
    // The file's own rate, to 3 decimals.
    expect(occupancy!.value! / 100).toBeCloseTo(published('National', 'ENG', 'G&A occupancy rate', 'All Type'), 3);
    const providers = rows.filter((row) => row.Level === 'Provider' && row.Metric === 'G&A beds available').reduce((sum, row) => sum + Number(row.Value), 0);
    expect(providers).not.toBe(103578);
  });

  it('gives every provider, ICB and region its published counts', async () => {
    for (const [level, file, type] of [['trust', 'Provider', undefined], ['icb', 'ICB', 'All Type'], ['region', 'Region', 'All Type']] as const) {
      const values = await measureValues(store, measureById('beds_sitrep_ga_adult_occupied'), { level });
      const expected = rows.filter((row) => row.Level === file && row.Metric === 'Adult G&A beds occupied' && (!type || row.Type === type) && /^[RTQY]/.test(row['Org Code']));
      expect(values.length).toBe(expected.length);
      for (const row of expected) expect(values.find((value) => value.org === row['Org Code'])!.value).toBe(Number(row.Value));
    }
  });
});
