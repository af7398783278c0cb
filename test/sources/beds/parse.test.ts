import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beds } from '../../../src/sources/beds/index.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { ENGLAND, TRUSTS, bedsRow, kh03Rows, kh03Sheets } from '../../fixtures/beds/synthetic-kh03-overnight.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { parseAll, toJsonLines } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { writeWorkbook, type FixtureCell } from '../../helpers/xlsx.js';

const NAME = 'Beds-Open-Overnight-Web_File-Q4-2024-25-synthetic.xlsx';
const SHEET = 'NHS Trust by Sector';

async function parseRows(rows: FixtureCell[][]) {
  return parseAll(beds, NAME, await writeWorkbook(kh03Sheets(rows)));
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

describe('beds.parse(bad input)', () => {
  it('refuses a workbook without the trust sheet, naming the sheet', async () => {
    const bytes = await writeWorkbook(kh03Sheets().filter((sheet) => sheet.name !== SHEET));
    await expectPlanwatchError(() => parseAll(beds, NAME, bytes), 'E_FORMAT', { file: NAME, sheet: SHEET });
  });

  it('refuses a missing column, naming its block and the header row', async () => {
    const rows = kh03Rows();
    rows[14] = rows[14]!.map((cell, index) => (index === 13 ? 'General and Acute' : cell));
    await expectPlanwatchError(() => parseRows(rows), 'E_HEADER', { sheet: SHEET, line: 15, column: 'Occupied: General & Acute' });
  });

  it('refuses a header row it cannot find', async () => {
    const rows = kh03Rows();
    rows[14] = rows[14]!.map((cell) => (cell === 'Org Code' ? 'Organisation' : cell));
    await expectPlanwatchError(() => parseRows(rows), 'E_HEADER', { sheet: SHEET, line: 15, column: 'Org Code' });
  });

  it('refuses text in a number, naming row and column', async () => {
    const trusts = TRUSTS.map((row, index) => (index === 1 ? row.map((cell, column) => (column === 14 ? 'n/a' : cell)) : row));
    const error = await expectPlanwatchError(() => parseRows(kh03Rows({ trusts })), 'E_NUMBER', { sheet: SHEET, line: 19, column: 'Occupied: Learning Disabilities' });
    expect(error.message).toContain('"n/a"');
  });

  it('refuses a truncated file', async () => {
    const bytes = await writeWorkbook(kh03Sheets());
    await expectPlanwatchError(() => parseAll(beds, NAME, bytes.subarray(0, Math.floor(bytes.length / 2))), 'E_TRUNCATED', { file: NAME });
  });

  it('refuses a sheet with a header and no trusts', async () => {
    await expectPlanwatchError(() => parseRows(kh03Rows({ trusts: [] }).slice(0, 15)), 'E_EMPTY', { sheet: SHEET });
  });

  it('refuses a duplicated trust row, naming both rows', async () => {
    const error = await expectPlanwatchError(() => parseRows(kh03Rows({ trusts: [...TRUSTS, TRUSTS[0]!] })), 'E_DUPLICATE', { sheet: SHEET, line: 21, column: 'Org Code' });
    expect(error.message).toContain('rows 18 and 21');
  });

  it('refuses a file whose England row is not the sum of its trusts', async () => {
    const trusts = TRUSTS.slice(0, 2);
    await expectPlanwatchError(() => parseRows(kh03Rows({ trusts })), 'E_TOTAL_MISMATCH', { sheet: SHEET, line: 16, column: 'Available: Total' });
  });

  it('refuses a quarter that does not end in March, June, September or December', async () => {
    const rows = kh03Rows({ trusts: [bedsRow('Y56', 'R1X', 'X', [1, 0, 0, 0], [1, 0, 0, 0]).map((cell, index) => (index === 2 ? 'April' : cell))] });
    await expectPlanwatchError(() => parseRows(rows), 'E_VALUE', { sheet: SHEET, line: 18, column: 'Period End' });
  });

  it('refuses the day-only beds file', async () => {
    await expectPlanwatchError(() => parseRows(kh03Rows({ title: 'Average daily number of available and occupied beds open day only by sector' })), 'E_FORMAT', { sheet: SHEET, line: 2 });
  });
});

describe('ingestFile(KH03)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(':memory:');
  });
  afterEach(() => store.close());

  it('stores nothing from a refused file', async () => {
    await ingestFile(store, { name: NAME, bytes: await writeWorkbook(kh03Sheets()) });
    const duplicate = await writeWorkbook(kh03Sheets(kh03Rows({ trusts: [...TRUSTS, TRUSTS[2]!] })));
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'Beds-duplicate-synthetic.xlsx', bytes: duplicate }));
  });
});
