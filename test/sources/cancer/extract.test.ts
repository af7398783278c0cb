import { describe, expect, it } from 'vitest';
import { cwt, cwtCommissioner } from '../../../src/sources/cancer/index.js';
import type { Observation } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { collect, sourceFile, toJsonLines } from '../../helpers/fixtures.js';
import { memoryStore, rowCounts } from '../../helpers/store.js';
import { EXTRACT_SHEET_NAME, extractRows, extractSheets, writeXlsx, type Rows } from '../../fixtures/cancer/synthetic-cwt.js';

const NAME = 'CWT-CRS-Oct-2024-to-Mar-2025-Data-Extract-Provider.xlsx';
const SHEET = EXTRACT_SHEET_NAME;

async function parse(rows: Rows = extractRows()) {
  const { items, summary } = await collect(cwt.parse(sourceFile(NAME, await writeXlsx(extractSheets(rows))), cwt.options.parse({})));
  return { items, summary, observations: items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : [])) };
}
const value = (list: readonly Observation[], org: string, metric: string, period = '2025-03') =>
  list.find((o) => o.org === org && o.metric === metric && o.period === period)?.value;
const edited = (edit: (rows: Rows) => void): Rows => {
  const rows = extractRows();
  edit(rows);
  return rows;
};

describe('cwt.detect(head) — the long-format provider extract', () => {
  it('claims the extract by its sheet, whatever the file is called', async () => {
    const head = readHead('renamed.xlsx', await writeXlsx(extractSheets()));
    expect(cwt.detect(head)).toEqual({ layout: 'cwt-extract-2023' });
    expect(cwtCommissioner.detect(head)).toBeNull();
  });
});

describe('cwt.parse(file) — the long-format provider extract', () => {
  it('sums each provider\'s rows into the headline of every standard and month', async () => {
    const { items, summary } = await parse();
    expect(summary).toEqual({ layout: 'cwt-extract-2023', periods: ['2025-02', '2025-03'], publication: { edition: 'provisional' } });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-cwt-extract.jsonl');
  });

  it('adds every FDS row, whatever the case of its route, and the ALL MODALITIES rows of the 31- and 62-day standards', async () => {
    const { observations } = await parse();
    expect([value(observations, 'RAA', 'fds_total'), value(observations, 'RAA', 'fds_within')]).toEqual([170, 148]);
    expect([value(observations, 'RAA', 'd31_total'), value(observations, 'RAA', 'd31_within')]).toEqual([15, 14]);
    expect([value(observations, 'RAA', 'd62_total'), value(observations, 'RAA', 'd62_within')]).toEqual([11.5, 9.5]);
    expect(value(observations, 'RAA', 'fds_total', '2025-02')).toBe(40);
    expect(observations.some((o) => o.org === 'ENG')).toBe(false);
  });

  const cases: [string, () => Promise<Uint8Array>, Parameters<typeof expectPlanwatchError>[1], Record<string, unknown>][] = [
    ['a header missing a column', () => writeXlsx(extractSheets(edited((r) => (r[0]![9] = 'WITHIN')))), 'E_HEADER', { line: 1, column: 'WITHIN STANDARD' }],
    ['text in a number', () => writeXlsx(extractSheets(edited((r) => (r[3]![8] = 'twenty')))), 'E_NUMBER', { line: 4, column: 'TOTAL TREATED' }],
    ['a PERIOD that is not a date', () => writeXlsx(extractSheets(edited((r) => (r[2]![0] = 'March 2025')))), 'E_VALUE', { line: 3, column: 'PERIOD' }],
    ['an unknown standard', () => writeXlsx(extractSheets(edited((r) => (r[2]![3] = '2-week wait')))), 'E_VALUE', { line: 3, column: 'STANDARD' }],
    ['a duplicate row, differing only in the case of its route', () => writeXlsx(extractSheets(edited((r) => r.push([...r[2]!].map((c, i) => (i === 5 ? 'urgent suspected cancer' : c)))))), 'E_DUPLICATE', { line: 15, column: 'ORG CODE' }],
    ['an all-routes row that would count patients twice', () => writeXlsx(extractSheets(edited((r) => r.push([...r[1]!].map((c, i) => (i === 5 ? 'ALL ROUTES' : c)))))), 'E_VALUE', { line: 15, column: 'STAGE/ROUTE' }],
    ['breakdowns by cancer and by modality that disagree', () => writeXlsx(extractSheets(edited((r) => r[11]!.splice(8, 3, 4, 4, 0)))), 'E_TOTAL_MISMATCH', { line: 10, column: 'TREATMENT MODALITY' }],
    ['a truncated workbook', async () => (await writeXlsx(extractSheets())).slice(0, 2000), 'E_TRUNCATED', {}],
    ['an empty sheet', () => writeXlsx(extractSheets([])), 'E_EMPTY', { sheet: SHEET }],
    ['a header with no rows', () => writeXlsx(extractSheets(extractRows().slice(0, 1))), 'E_EMPTY', { sheet: SHEET, line: 2 }],
  ];

  it.each(cases)('refuses %s, naming file, sheet, row and column, and stores nothing', async (_, bytes, code, at) => {
    const data = await bytes();
    await expectPlanwatchError(() => collect(cwt.parse(sourceFile(NAME, data), cwt.options.parse({}))), code, { file: NAME, ...at });
    const store = await memoryStore();
    await ingestFile(store, { name: 'good.xlsx', bytes: await writeXlsx(extractSheets(extractRows().slice(0, 5))) });
    const before = await rowCounts(store);
    await expectPlanwatchError(() => ingestFile(store, { name: NAME, bytes: data }), code, { file: NAME });
    expect(await rowCounts(store)).toEqual(before);
  });

  it('cannot recognise a workbook without the extract sheet, and stores nothing', async () => {
    const store = await memoryStore();
    const renamed = await writeXlsx(new Map([['Sheet1', extractRows()]]));
    await expectPlanwatchError(() => ingestFile(store, { name: NAME, bytes: renamed }), 'E_UNKNOWN_COLLECTION', { file: NAME });
    expect(Object.values(await rowCounts(store)).every((n) => n === 0)).toBe(true);
  });
});
