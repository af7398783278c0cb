import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureSeries } from '../../../src/measures/query.js';
import { ingestPath } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';
import { memoryStore } from '../../helpers/store.js';

const files = realDataDir
  ? [
      ...readdirSync(realPath('ae_monthly')).map((name) => realPath('ae_monthly', name)),
      realPath('ae_nhsrdatasets', 'ae_attendances_2016-04_to_2019-03.csv'),
    ]
  : [];

describe.skipIf(!realDataDir)('A&E on the real NHS England files', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });

  it('ingests every file, each one checked against its own TOTAL row', async () => {
    for (const file of files) {
      const result = await ingestPath(store, file);
      expect(result.status, path.basename(file)).toBe('ingested');
    }
    // 75 provider CSVs (data README §1 and §9, August 2025 in two editions) and the NHS-R file.
    expect(files.length).toBe(76);
  });

  it('gives England a continuous ae_4hr series from April 2016, gaps reported as missing', async () => {
    const series = await measureSeries(store, measureById('ae_4hr'), 'ENG');
    expect(series[0]!.period).toBe('2016-04');
    expect(series.at(-1)!.period).toBe('2025-10');
    expect(series).toHaveLength(9 * 12 + 7);
    const missing = series.filter((p) => p.value === null).map((p) => p.period);
    expect(missing).toEqual(['2019-12', '2022-06', '2023-12', '2024-01', '2024-02', '2024-03']);
    expect(series.filter((p) => p.value === null).every((p) => p.note === 'no publication in the store for this month')).toBe(true);
  });

  it.each([
    ['2017-01', 85.1],
    ['2025-03', 75.0],
  ])('matches NHS England\'s published England 4-hour headline for %s (%s%%) to 0.1 point', async (period, published) => {
    const [point] = await measureSeries(store, measureById('ae_4hr'), 'ENG', { from: period, to: period });
    expect(Math.abs(point!.value! - published)).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('leaves the field-testing trusts out of England\'s 4-hour figure, as NHS England does', async () => {
    const [jan2020] = await measureSeries(store, measureById('ae_4hr'), 'ENG', { from: '2020-01', to: '2020-01' });
    expect(jan2020!.excluded).toHaveLength(14);
    // The same month computed naively from the file's TOTAL row counts their zeros as on-time.
    const text = readFileSync(realPath('ae_monthly', '2020-01_Monthly-AE-January-2020-revised-220720-er231.csv'), 'utf8');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const total = rows.find((row) => row['Org name']?.trim().toUpperCase() === 'TOTAL')!;
    const sum = (prefix: string) => ['Type 1', 'Type 2', 'Other A&E Department'].reduce((s, type) => s + Number(total[`${prefix} ${type}`]), 0);
    const naive = 100 * (1 - sum('Number of attendances over 4hrs') / sum('Number of A&E attendances'));
    expect(naive - jan2020!.value!).toBeGreaterThan(1);
  });

  it('holds August 2025 once, from one of its two editions, never both added together', async () => {
    // Which edition is current is the store's rule (issue 11): this holds whichever it is.
    const editions = readdirSync(realPath('ae_monthly')).filter((name) => name.startsWith('2025-08_'));
    expect(editions).toHaveLength(2);
    const totals = editions.map((name) => {
      const rows = parse(readFileSync(realPath('ae_monthly', name)), { bom: true, columns: true }) as Record<string, string>[];
      const total = rows.find((row) => row['Org Code']?.trim().toUpperCase() === 'TOTAL')!;
      return Object.entries(total).filter(([k]) => /^A&E attendances/.test(k)).reduce((s, [, v]) => s + Number(v), 0);
    });
    const [august] = await measureSeries(store, measureById('ae_attendances'), 'ENG', { from: '2025-08', to: '2025-08' });
    expect(totals).toContain(august!.value);
  });

  it('matches the TOTAL row for attendances, which include every organisation', async () => {
    const text = readFileSync(realPath('ae_monthly', '2025-03_Monthly-AE-March-2025.csv'), 'utf8');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const total = rows.find((row) => row['Org Code']?.trim().toUpperCase() === 'TOTAL')!;
    const published = Object.entries(total).filter(([k]) => /^A&E attendances/.test(k)).reduce((s, [, v]) => s + Number(v), 0);
    const [march] = await measureSeries(store, measureById('ae_attendances'), 'ENG', { from: '2025-03', to: '2025-03' });
    expect(march!.value).toBe(published);
  });
});
