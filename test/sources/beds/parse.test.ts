import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { beds } from '../../../src/sources/beds/index.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { ENGLAND, TRUSTS, bedsRow, kh03Rows, kh03Sheets } from '../../fixtures/beds/synthetic-kh03-overnight.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { toJsonLines } from '../../helpers/fixtures.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { writeWorkbook, type FixtureCell } from '../../helpers/xlsx.js';

const NAME = 'Beds-Open-Overnight-Web_File-Q4-2024-25-synthetic.xlsx';
const SHEET = 'NHS Trust by Sector';

async function parseRows(rows: FixtureCell[][]) {
  return parseFile(beds, NAME, await writeWorkbook(kh03Sheets(rows)));
}

function observations(items: Awaited<ReturnType<typeof parseRows>>['items']) {
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}

describe('beds.parse(KH03 overnight web file)', () => {
  it('reads every trust and the England row for the quarter keyed by its last month', async () => {
    const { items, summary } = await parseRows(kh03Rows());
    expect(summary).toEqual({ layout: 'kh03-overnight-2024', periods: ['2025-03'] });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-kh03-overnight.jsonl');
    const occupiedGa = observations(items).find((o) => o.org === 'ENG' && o.metric === 'occupied_ga');
    expect(occupiedGa).toMatchObject({ value: 1950.25, row: 16, column: 'Occupied: General & Acute' });
  });

  it('places each trust in the region of its Region Code', async () => {
    const { items } = await parseRows(kh03Rows());
    const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
    expect(facts.map((fact) => [fact.org, fact.parent])).toEqual([['R1X', 'Y56'], ['T9Z', 'Y56'], ['R2X', 'Y63']]);
  });

  it('finds a header that has moved down and reads the same figures', async () => {
    const rows = kh03Rows();
    rows.splice(12, 0, [], [null, 'A note added above the table']);
    const moved = observations((await parseRows(rows)).items);
    const original = observations((await parseRows(kh03Rows())).items);
    expect(moved.map(({ row, ...rest }) => ({ ...rest, row: row - 2 }))).toEqual(original);
  });

  it('reads a Q2 file as September of the financial year', async () => {
    const september = (row: FixtureCell[]) => row.map((cell, index) => (index === 2 ? 'September' : cell));
    const { summary } = await parseRows(kh03Rows({ england: september(ENGLAND), trusts: TRUSTS.map(september) }));
    expect(summary.periods).toEqual(['2024-09']);
  });
});

describe('beds.detect(head)', () => {
  it('claims a workbook with the "NHS Trust by Sector" sheet, and nothing else', async () => {
    const bytes = await writeWorkbook(kh03Sheets());
    expect(claim(readHead(NAME, bytes)).plugin.id).toBe('beds');
    expect(beds.detect({ name: 'x.csv', lines: ['Period,Org Code'], isWorkbook: false })).toBeNull();
    expect(beds.detect({ name: 'x.xlsx', lines: [], sheets: ['Provider'], isWorkbook: true })).toBeNull();
  });
});

const bytesOf = (rows: FixtureCell[][]) => () => writeWorkbook(kh03Sheets(rows));
const renamed = (from: string | number, to: string) => {
  const rows = kh03Rows();
  rows[14] = rows[14]!.map((cell, index) => (cell === from || index === from ? to : cell));
  return rows;
};

/** Each bad input is the good fixture with one change, and the refusal it must get. */
const BAD: { case: string; bytes: () => Promise<Uint8Array>; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  { case: 'a workbook without the trust sheet', bytes: () => writeWorkbook(kh03Sheets().filter((sheet) => sheet.name !== SHEET)), code: 'E_FORMAT', at: { file: NAME, sheet: SHEET } },
  { case: 'a missing column, naming its block and the header row', bytes: bytesOf(renamed(13, 'General and Acute')), code: 'E_HEADER', at: { sheet: SHEET, line: 15, column: 'Occupied: General & Acute' } },
  { case: 'a header row it cannot find', bytes: bytesOf(renamed('Org Code', 'Organisation')), code: 'E_HEADER', at: { sheet: SHEET, line: 15, column: 'Org Code' } },
  {
    case: 'text in a number, naming row and column',
    bytes: bytesOf(kh03Rows({ trusts: TRUSTS.map((row, index) => (index === 1 ? row.map((cell, column) => (column === 14 ? 'n/a' : cell)) : row)) })),
    code: 'E_NUMBER', at: { sheet: SHEET, line: 19, column: 'Occupied: Learning Disabilities' }, says: '"n/a"',
  },
  { case: 'a truncated file', bytes: async () => (await writeWorkbook(kh03Sheets())).subarray(0, 3000), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'a sheet with a header and no trusts', bytes: bytesOf(kh03Rows({ trusts: [] }).slice(0, 15)), code: 'E_EMPTY', at: { sheet: SHEET } },
  { case: 'a duplicated trust row, naming both rows', bytes: bytesOf(kh03Rows({ trusts: [...TRUSTS, TRUSTS[0]!] })), code: 'E_DUPLICATE', at: { sheet: SHEET, line: 21, column: 'Org Code' }, says: 'rows 18 and 21' },
  { case: 'an England row that is not the sum of its trusts', bytes: bytesOf(kh03Rows({ trusts: TRUSTS.slice(0, 2) })), code: 'E_TOTAL_MISMATCH', at: { sheet: SHEET, line: 16, column: 'Available: Total' } },
  {
    case: 'a quarter that does not end in March, June, September or December',
    bytes: bytesOf(kh03Rows({ trusts: [bedsRow('Y56', 'R1X', 'X', [1, 0, 0, 0], [1, 0, 0, 0]).map((cell, index) => (index === 2 ? 'April' : cell))] })),
    code: 'E_VALUE', at: { sheet: SHEET, line: 18, column: 'Period End' },
  },
  { case: 'the day-only beds file', bytes: bytesOf(kh03Rows({ title: 'Average daily number of available and occupied beds open day only by sector' })), code: 'E_FORMAT', at: { sheet: SHEET, line: 2 } },
];

describe('beds.parse(bad input)', () => {
  it.each(BAD)('refuses $case', async ({ bytes, code, at, says }) => {
    const input = await bytes();
    const error = await expectPlanwatchError(() => parseFile(beds, NAME, input), code, at);
    if (says) expect(error.message).toContain(says);
  });
});

describe('ingestFile(bad KH03 file)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await writeWorkbook(kh03Sheets()) });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ bytes }) => {
    const input = await bytes();
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'Beds-Open-Overnight-bad-synthetic.xlsx', bytes: input }));
  });
});
