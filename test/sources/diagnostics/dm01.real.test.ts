import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureValues, unplacedOrgs } from '../../../src/measures/query.js';
import { DM01_TESTS, FIELDS, testField } from '../../../src/sources/diagnostics/layouts.js';
import { ingestPath } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';
import { memoryStore } from '../../helpers/store.js';

const files = realDataDir ? readdirSync(realPath('diagnostics_dm01')).sort().map((name) => realPath('diagnostics_dm01', name)) : [];

describe.skipIf(!realDataDir)('DM01 on the real NHS England files', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
    for (const file of files) await ingestPath(store, file);
  }, 300_000);

  const england = async (id: string, period?: string) =>
    (await measureValues(store, measureById(id), { level: 'england', ...(period ? { from: period, to: period } : {}) }));

  it('gives January 2025 as NHS England published it: 1,621,905 waiting, 77.58% within 6 weeks', async () => {
    const [waiting] = await england('dm01_waiting', '2025-01');
    const [within] = await england('dm01_within_6wk', '2025-01');
    expect(waiting!.value).toBe(1_621_905);
    expect(within!.value!.toFixed(2)).toBe('77.58');
  });

  it('matches the national Total row with the sum of all providers, independent sector included, every month', async () => {
    expect(files).toHaveLength(12);
    for (const [id, field] of [['dm01_waiting', FIELDS.waiting], ['dm01_6wk', FIELDS.over6], ['dm01_13wk', FIELDS.over13]] as const) {
      const sums = await england(id);
      expect(sums).toHaveLength(12);
      for (const sum of sums) {
        const published = await store.one<{ value: number }>(
          "SELECT value FROM current_observations WHERE collection = 'dm01' AND org = 'ENG' AND metric = $1 AND period = $2", [field, sum.period]);
        expect([id, sum.period, sum.value]).toEqual([id, sum.period, published!.value]);
      }
    }
  });

  it('adds the 15 tests up to the whole waiting list, every month', async () => {
    const whole = await england('dm01_13wk');
    for (const { period, value } of whole) {
      let sum = 0;
      for (const test of DM01_TESTS) sum += (await england(`dm01_13wk_${test.key}`, period))[0]?.value ?? 0;
      expect([period, sum]).toEqual([period, value]);
    }
    const mri = await store.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM current_observations WHERE metric = $1", [testField(FIELDS.waiting, DM01_TESTS[0]!)]);
    expect(mri!.n).toBeGreaterThan(12 * 100);
  });

  it('numbers rows from A1 even where the file declares its sheet from row 2 (June and July 2025)', async () => {
    // Cell B14 holds the header in every file; June and July 2025 declare their sheets as A2:AB467.
    const rows = await store.all<{ period: string; row_number: number }>(
      "SELECT DISTINCT period, row_number FROM current_observations WHERE collection = 'dm01' AND org = 'ENG' AND metric = 'waiting' ORDER BY period");
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.row_number === 15)).toBe(true);
  });

  it('places every provider in a region from the file\'s own Regional Team Code', async () => {
    for (const period of ['2024-08', '2025-07']) expect(await unplacedOrgs(store, measureById('dm01_waiting'), 'region', period)).toEqual([]);
  });
});
