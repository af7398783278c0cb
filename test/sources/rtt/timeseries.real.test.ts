import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureHistory, measureSeries, measureValues } from '../../../src/measures/query.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { readSheets } from '../../../src/sources/workbook.js';
import { readFile } from 'node:fs/promises';
import { realDataDir, realPath } from '../../helpers/real-data.js';

const OCT22 = ['rtt', 'overview_timeseries', '2022-10_RTT-Overview-Timeseries-October22.xlsx'];
const DEC25 = ['rtt', 'overview_timeseries', '2025-12_RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Dec25-XLS-115K-6jPlxd.xlsx'];
const SUBSET = ['rtt', 'full_extract_subset', '2024-11_20241130-RTT-November-2024-RBD.csv'];

describe.skipIf(!realDataDir)("RTT overview timeseries, England's history (real data)", () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    // The later edition first: the earlier one must not take back the months they share.
    for (const file of [DEC25, OCT22, SUBSET]) await ingestPath(store, realPath(...file));
  }, 120_000);
  afterAll(() => store.close());

  it("gives England's 18-week share month by month from August 2007 to December 2025", async () => {
    const series = await measureSeries(store, measureById('rtt_18wk'), 'ENG', { to: '2025-12' });
    expect(series[0]!.period).toBe('2007-08');
    expect(series.at(-1)!.period).toBe('2025-12');
    expect(series.every((point) => point.value !== null && point.includesEstimates)).toBe(true);
  });

  it('reads December 2025 as the file publishes it: the counts and share with estimates for missing trusts', async () => {
    // Row 237 of the December 2025 edition, read here from the file rather than typed in.
    const [sheet] = await readSheets('dec25', await readFile(realPath(...DEC25)), ['Full Time Series']);
    const header = sheet!.rows[11]!.map((cell) => String(cell ?? ''));
    const row = sheet!.rows.find((cells) => cells[2] instanceof Date && cells[2].toISOString().startsWith('2025-12'))!;
    const cell = (name: string) => row[header.indexOf(name)] as number;
    const [december] = await measureValues(store, measureById('rtt_18wk'), { level: 'england', from: '2025-12', to: '2025-12' });
    expect(december!.numerator).toBe(cell('No. within 18 weeks with estimates for missing data'));
    expect(december!.denominator).toBe(cell('Total waiting (mil) with estimates for missing data'));
    expect(december!.value! / 100).toBeCloseTo(cell('% within 18 weeks with estimates for missing data'), 10);
    expect(december!.denominator).toBe(7_290_880);
    const [over52] = await measureValues(store, measureById('rtt_52wk'), { level: 'england', from: '2025-12', to: '2025-12' });
    expect(over52!.value).toBe(140_508);
    const [median] = await measureValues(store, measureById('rtt_median_weeks'), { level: 'england', from: '2025-12', to: '2025-12' });
    expect(median!.value).toBeCloseTo(cell('Median wait (weeks)'), 10);
  });

  it('makes the later edition current for the months both editions hold, keeping the earlier in the history', async () => {
    const [october] = await measureValues(store, measureById('rtt_waiting'), { level: 'england', from: '2022-10', to: '2022-10' });
    // October 2022 with estimates: 7,214,182 in the December 2025 edition, 7,212,371 in October 2022's.
    expect(october!.value).toBe(7_214_182);
    const history = await measureHistory(store, { ...measureById('rtt_waiting'), collection: 'rtt_england', numerator: [{ field: 'incomplete_total_with_estimates' }] }, 'ENG', '2022-10');
    expect(history.map((version) => [version.value?.value, version.current])).toEqual([[7_212_371, false], [7_214_182, true]]);
  });

  it("keeps a provider's own figure for a month the timeseries also covers (RBD, November 2024)", async () => {
    const [rbd] = await measureValues(store, measureById('rtt_waiting'), { level: 'provider', orgs: ['RBD'], from: '2024-11', to: '2024-11' });
    expect(rbd!.value).toBe(21_702);
    const [england] = await measureValues(store, measureById('rtt_waiting'), { level: 'england', from: '2024-11', to: '2024-11' });
    expect(england).toMatchObject({ value: 7_479_867, includesEstimates: true });
  });
});
