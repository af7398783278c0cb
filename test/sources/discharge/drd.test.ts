import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { dischargeDelays } from '../../../src/sources/discharge/index.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { DRD_HEADER, DRD_TRUSTS, drdSheets } from '../../fixtures/discharge/synthetic-drd.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { writeWorkbook } from '../../helpers/xlsx.js';

const NAME = 'Discharge-Ready-Date-monthly-data-webfile-May2025-synthetic.xlsx';
const bytesOf = (options: Parameters<typeof drdSheets>[0] = {}) => writeWorkbook(drdSheets(options));

describe('discharge_delays.parse(Discharge Ready Date webfile, synthetic: untested on real files)', () => {
  it('reads discharges, delayed discharges and bed days lost per trust for the Cover Sheet month', async () => {
    const { items, summary } = await parseFile(dischargeDelays, NAME, await bytesOf());
    expect(summary).toEqual({ layout: 'discharge-ready-date-2024', periods: ['2025-05'] });
    const value = (org: string, metric: string) => items.flatMap((item) => (item.kind === 'observation' && item.observation.org === org && item.observation.metric === metric ? [item.observation.value] : []))[0];
    expect(value('RXA', 'drd_discharged')).toBe(2690);
    expect(value('RXA', 'drd_delayed')).toBe(690);
    expect(value('RXA', 'drd_delayed_21plus')).toBe(10);
    expect(value('RXC', 'drd_delay_bed_days')).toBe(1785);
  });

  it('reads the November 2023 shape, whose header starts "Code" (no Region, ICB or Data Source)', async () => {
    const drop = (row: unknown[]) => row.filter((_, index) => ![0, 1, 6].includes(index)) as typeof DRD_HEADER;
    const { items } = await parseFile(dischargeDelays, NAME, await bytesOf({ header: drop(DRD_HEADER), trusts: DRD_TRUSTS.map(drop) }));
    expect(items.filter((item) => item.kind === 'observation')).toHaveLength(8);
  });

  it('is claimed by its Provider sheet header, and a DM01-like Provider sheet is not', async () => {
    expect(claim(readHead(NAME, await bytesOf())).plugin.id).toBe('discharge_delays');
    expect(dischargeDelays.detect({ name: 'x.xlsx', lines: [], isWorkbook: true, sheets: ['Provider'], preview: () => [['Region', 'Code', 'Name', 'Total waiting list']] })).toBeNull();
  });

  it('sums trusts for England: share delayed and average delay from summed counts', async () => {
    const store = await Store.open(':memory:');
    try {
      await ingestFile(store, { name: NAME, bytes: await bytesOf() });
      const [share] = await measureValues(store, measureById('discharge_drd_delayed_share'), { level: 'england' });
      expect(share!.value).toBeCloseTo((100 * (690 + 490)) / (2690 + 1990), 9);
      const [average] = await measureValues(store, measureById('discharge_drd_average_delay'), { level: 'england' });
      expect(average!.value).toBeCloseTo((2580 + 1785) / (690 + 490), 9);
    } finally {
      await store.close();
    }
  });
});

const withCell = (row: number, column: number, value: string | number) => DRD_TRUSTS.map((cells, index) => (index === row ? cells.map((cell, c) => (c === column ? value : cell)) : cells));
const BAD: { case: string; bytes: () => Promise<Uint8Array>; code: ErrorCode; at: Partial<ErrorLocation> }[] = [
  { case: 'a header without the discharges column', bytes: () => bytesOf({ header: DRD_HEADER.map((cell) => (cell === 'Number of patients discharged' ? 'Patients' : cell)) }), code: 'E_HEADER', at: { sheet: 'Provider', line: 3, column: 'patients discharged' } },
  { case: 'text in a number', bytes: () => bytesOf({ trusts: withCell(1, 7, 'n/a') }), code: 'E_NUMBER', at: { sheet: 'Provider', line: 5, column: 'Number of patients discharged' } },
  { case: 'a truncated file', bytes: async () => (await bytesOf()).subarray(0, 3000), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'no trust rows', bytes: () => bytesOf({ trusts: [] }), code: 'E_EMPTY', at: { sheet: 'Provider' } },
  { case: 'a duplicated trust', bytes: () => bytesOf({ trusts: [...DRD_TRUSTS, DRD_TRUSTS[0]!] }), code: 'E_DUPLICATE', at: { sheet: 'Provider', line: 6 } },
  { case: 'delay bands that do not add up to the discharges', bytes: () => bytesOf({ trusts: withCell(0, 7, 2691) }), code: 'E_TOTAL_MISMATCH', at: { sheet: 'Provider', line: 4 } },
];

describe('discharge_delays.parse(bad input)', () => {
  it.each(BAD)('refuses $case', async ({ bytes, code, at }) => {
    const input = await bytes();
    await expectPlanwatchError(() => parseFile(dischargeDelays, NAME, input), code, at);
  });
});

describe('ingestFile(bad Discharge Ready Date file)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await bytesOf() });
  });
  afterAll(() => store.close());
  it.each(BAD)('stores nothing from $case', async ({ bytes }) => {
    const input = await bytes();
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'Discharge-Ready-Date-bad-synthetic.xlsx', bytes: input }));
  });
});
