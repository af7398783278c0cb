import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { measureById } from '../../../src/measures/index.js';
import { measureSeries, measureValues } from '../../../src/measures/query.js';
import type { Observation } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { rtt } from '../../../src/sources/rtt/index.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { MONTHS, firstDataLine, timeseriesSheet, type TimeseriesOptions } from '../../fixtures/rtt/synthetic-overview-timeseries.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { writeWorkbook } from '../../helpers/xlsx.js';

const NAME = 'RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Mar24-XLS-114K-synthetic.xlsx';
const bytesOf = (options: TimeseriesOptions = {}) => writeWorkbook([timeseriesSheet(options)]);

function observations(items: Awaited<ReturnType<typeof parseFile>>['items']): Observation[] {
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}
const valueOf = (obs: readonly Observation[], period: string, metric: string) => obs.find((o) => o.period === period && o.metric === metric);

describe('rtt.parse(RTT overview timeseries)', () => {
  it('is claimed by the RTT plugin from its sheet and group header, in both editions', async () => {
    for (const edition of ['oct22', 'dec25'] as const) {
      expect(claim(readHead(NAME, await bytesOf({ edition }))).layout).toBe('rtt-overview-timeseries');
    }
  });

  it("reads England's months into the rtt_england collection, skipping months not collected or not yet published", async () => {
    const { items, summary } = await parseFile(rtt, NAME, await bytesOf());
    expect(summary).toEqual({ layout: 'rtt-overview-timeseries', periods: ['2024-01', '2024-02', '2024-03'], collection: 'rtt_england' });
    const obs = observations(items);
    expect(new Set(obs.map((o) => o.org))).toEqual(new Set(['ENG']));
    expect(valueOf(obs, '2024-02', 'incomplete_total')).toMatchObject({ value: 1100, row: firstDataLine() + 2, column: 'Total waiting (mil)' });
    expect(valueOf(obs, '2024-02', 'incomplete_total_with_estimates')?.value).toBe(1200);
    expect(valueOf(obs, '2024-02', 'incomplete_within_18wk_with_estimates')?.value).toBe(665);
    expect(valueOf(obs, '2024-03', 'median_weeks')?.value).toBe(13.25);
    // "52+": beyond the top band then, so no number, and why.
    expect(valueOf(obs, '2024-02', 'p92_weeks')).toMatchObject({ value: null, note: expect.stringContaining('52+') });
    expect(valueOf(obs, '2024-01', 'incomplete_over_104wk')).toMatchObject({ value: null, note: 'not collected for this month' });
  });

  it('matches columns by header text: the October 2022 edition, with fewer columns, gives the same figures', async () => {
    const dec = observations((await parseFile(rtt, NAME, await bytesOf())).items);
    const oct = observations((await parseFile(rtt, NAME, await bytesOf({ edition: 'oct22' }))).items);
    const key = (o: Observation) => `${o.period} ${o.metric} ${o.value}`;
    expect(oct.some((o) => o.metric.startsWith('incomplete_over_65wk'))).toBe(false);
    expect(new Set(oct.map(key))).toEqual(new Set(dec.filter((o) => !o.metric.startsWith('incomplete_over_65wk')).map(key)));
  });

  it('ignores the case and spacing of headers and the "(mil)" unit label', async () => {
    const { items } = await parseFile(rtt, NAME, await bytesOf({ header: (h) => (h === 'Total waiting (mil)' ? 'TOTAL  WAITING' : h) }));
    expect(valueOf(observations(items), '2024-03', 'incomplete_total')?.value).toBe(1200);
  });
});

const BAD: { case: string; bytes: () => Promise<Uint8Array>; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  {
    case: 'a wrong header, naming the missing column',
    bytes: () => bytesOf({ header: (h) => (h === 'No. within 18 weeks with estimates for missing data' ? 'No. within 18 wks (est.)' : h) }),
    code: 'E_HEADER', at: { sheet: 'Full Time Series', line: firstDataLine() - 1 }, says: 'no. within 18 weeks with estimates',
  },
  {
    case: 'text in a number, naming row and column',
    bytes: () => bytesOf({ months: MONTHS.map((m, i) => (i === 3 ? { ...m, over52: 'thirty' as unknown as number } : m)) }),
    code: 'E_NUMBER', at: { sheet: 'Full Time Series', line: firstDataLine() + 3, column: 'No. > 52 weeks' }, says: '"thirty"',
  },
  { case: 'a truncated workbook', bytes: async () => (await bytesOf()).subarray(0, 3000), code: 'E_TRUNCATED', at: { file: NAME } },
  {
    case: 'rows cut short of the month its cover names',
    bytes: () => bytesOf({ coverTo: 'June 2024' }),
    code: 'E_TRUNCATED', at: { sheet: 'Full Time Series', line: 4 }, says: 'June 2024',
  },
  {
    case: 'a header with no month of figures',
    bytes: () => bytesOf({ months: [] }),
    code: 'E_EMPTY', at: { sheet: 'Full Time Series' },
  },
  {
    case: 'a month listed twice',
    bytes: () => bytesOf({ months: [...MONTHS, MONTHS[3]!] }),
    code: 'E_DUPLICATE', at: { sheet: 'Full Time Series', line: firstDataLine() + 4, column: 'Month' },
  },
  {
    case: 'counts that do not add up to the waiting list',
    bytes: () => bytesOf({ months: MONTHS.map((m, i) => (i === 1 ? { ...m, over18: 300 } : m)) }),
    code: 'E_TOTAL_MISMATCH', at: { sheet: 'Full Time Series', line: firstDataLine() + 1 },
  },
];

describe('rtt.parse(bad RTT overview timeseries)', () => {
  it.each(BAD)('refuses $case', async ({ bytes, code, at, says }) => {
    const input = await bytes();
    const error = await expectPlanwatchError(() => parseFile(rtt, NAME, input), code, at);
    if (says) expect(error.message.toLowerCase()).toContain(says.toLowerCase());
  });

  it('refuses an empty file', async () => {
    const store = await Store.open(':memory:');
    try {
      await expectPlanwatchError(() => ingestFile(store, { name: NAME, bytes: new Uint8Array() }), 'E_EMPTY', { file: NAME });
    } finally {
      store.close();
    }
  });
});

describe('ingestFile(bad RTT overview timeseries)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await bytesOf() });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ bytes }) => {
    const input = await bytes();
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'RTT-Overview-Timeseries-bad-synthetic.xlsx', bytes: input }));
  });
});

const extract = readFileSync(new URL('../../fixtures/rtt/synthetic-rtt-csv-104-nov24.csv', import.meta.url), 'utf8');

describe("England's RTT figures from the timeseries beside sums of the full extract", () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await bytesOf() });
    // The synthetic extract (two providers, so marked as part of a publication) as March 2024, a
    // month both hold, and as April 2024, a month only it holds.
    for (const [label, date] of [['March-2024', '20240331'], ['April-2024', '20240430']] as const) {
      const text = extract.replaceAll('RTT-November-2024', `RTT-${label}`);
      await ingestFile(store, { name: `${date}-RTT-${label}-full-extract.csv`, bytes: new TextEncoder().encode(text) });
    }
  });
  afterAll(() => store.close());

  it("takes NHS England's figure with estimates for a month both hold, and keeps the providers' own figures", async () => {
    const [march] = await measureValues(store, measureById('rtt_18wk'), { level: 'england', from: '2024-03', to: '2024-03' });
    expect(march).toMatchObject({ value: 100 * (700 / 1200), includesEstimates: true, basis: expect.stringContaining('estimates') });
    const providers = await measureValues(store, measureById('rtt_waiting'), { level: 'provider', from: '2024-03', to: '2024-03' });
    expect(providers.length).toBeGreaterThan(0);
  });

  it('keeps the extract\'s own rule for a month only it holds: this one-provider subset gives England no figure', async () => {
    // A national extract's April would give the sum of providers, marked as such (the real-data
    // test of the April 2026 extract checks that); a subset gives no England figure at all.
    const [april] = await measureValues(store, measureById('rtt_waiting'), { level: 'england', from: '2024-04', to: '2024-04' });
    expect(april).toMatchObject({ value: null, note: expect.stringContaining('only part of this publication') });
    expect(april!.includesEstimates).toBeUndefined();
  });

  it("gives England one series across both, with the published median (not an estimate) where the timeseries has it", async () => {
    const series = await measureSeries(store, measureById('rtt_median_weeks'), 'ENG');
    expect(series.map((p) => p.period)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    expect(series[2]).toMatchObject({ value: 13.25, numerator: null, basis: expect.stringContaining('trusts that reported') });
    expect(series[2]!.includesEstimates).toBeUndefined();
    expect(series[3]!.value).toBeNull();
  });
});
