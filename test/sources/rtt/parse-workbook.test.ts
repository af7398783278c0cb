import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import type { Observation } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { rtt } from '../../../src/sources/rtt/index.js';
import {
  HEADER,
  IS_ROWS,
  PROVIDER_ROWS,
  incompleteProviderSheets,
  metadataRows,
  providerRow,
  providerSheetRows,
} from '../../fixtures/rtt/synthetic-incomplete-provider.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { toJsonLines } from '../../helpers/fixtures.js';
import { parseFile } from '../../helpers/parse.js';
import { writeWorkbook, type FixtureCell, type FixtureSheet } from '../../helpers/xlsx.js';

const NAME = 'Incomplete-Provider-Nov24-XLSX-9M-synthetic.xlsx';
const TOTAL = 'Total number of incomplete pathways';

async function parseSheets(sheets: FixtureSheet[]) {
  return parseFile(rtt, NAME, await writeWorkbook(sheets));
}

function observations(items: Awaited<ReturnType<typeof parseFile>>['items']): Observation[] {
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}

const value = (obs: readonly Observation[], org: string, metric: string) => obs.find((o) => o.org === org && o.metric === metric)?.value;

/** A copy of `rows` with the cell under header `column` changed on data row `index`. */
function withCell(rows: FixtureCell[][], index: number, column: string, replacement: FixtureCell): FixtureCell[][] {
  const at = HEADER.indexOf(column);
  return rows.map((row, i) => (i === index ? row.map((cell, j) => (j === at ? replacement : cell)) : row));
}

describe('rtt.parse(Incomplete Provider workbook)', () => {
  it('reads each provider\'s C_999 row from the Provider and IS Provider sheets', async () => {
    const { items, summary } = await parseSheets(incompleteProviderSheets());
    expect(summary).toEqual({ layout: 'rtt-incomplete-provider', periods: ['2024-11'], publication: { published: '2099-01-01', edition: 'first', source: 'file' } });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-incomplete-provider.jsonl');
    const obs = observations(items);
    expect(value(obs, 'R0X', 'incomplete_total')).toBe(30);
    expect(value(obs, 'R0X', 'incomplete_within_18wk')).toBe(4 + 6 + 3 + 5);
    expect(value(obs, 'R0X', 'incomplete_over_65wk')).toBe(3);
    expect(value(obs, 'NT9', 'incomplete_total')).toBe(13);
    expect(obs.find((o) => o.org === 'NT9' && o.metric === 'incomplete_total')).toMatchObject({ row: 16, column: TOTAL });
  });

  it('places providers in the region of their Region Code', async () => {
    const { items } = await parseSheets(incompleteProviderSheets());
    const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
    expect(facts.map((fact) => [fact.org, fact.parent])).toEqual([['R0X', 'Y56'], ['R2X', 'Y63'], ['NT9', 'Y56']]);
  });

  it('finds a header that has moved and reads the same figures', async () => {
    const moved = providerSheetRows(PROVIDER_ROWS);
    moved.splice(12, 0, [null, 'An extra note row']);
    const before = observations((await parseSheets(incompleteProviderSheets())).items).filter((o) => o.org !== 'NT9');
    const after = observations((await parseSheets(incompleteProviderSheets({ provider: moved }))).items).filter((o) => o.org !== 'NT9');
    expect(after.map(({ row, ...rest }) => ({ ...rest, row: row - 1 }))).toEqual(before);
  });

  it('reads a workbook without an IS Provider sheet', async () => {
    const obs = observations((await parseSheets(incompleteProviderSheets({ is: null }))).items);
    expect(new Set(obs.map((o) => o.org))).toEqual(new Set(['R0X', 'R2X']));
  });
});

describe('rtt.detect(RTT workbooks)', () => {
  it('claims provider workbooks by their Provider and IS Provider sheets, and commissioner ones by theirs', async () => {
    expect(claim(readHead(NAME, await writeWorkbook(incompleteProviderSheets()))).layout).toBe('rtt-incomplete-provider');
    const commissioner = ['National', 'Region', 'ICB', 'Sub-ICB', 'Notes', 'Guidance'].map((name) => ({ name, rows: [[null, 'Title:', 'x']] }));
    expect(claim(readHead('Admitted-Commissioner.xlsx', await writeWorkbook(commissioner))).layout).toBe('rtt-commissioner-workbook');
  });

  it('leaves a workbook with only a Provider sheet (such as DM01) to others', () => {
    expect(rtt.detect({ name: 'dm01.xls', lines: [], sheets: ['Provider', 'Provider by Test', 'Notes'], isWorkbook: true })).toBeNull();
  });
});

describe('rtt.parse(other RTT workbooks)', () => {
  it('turns away a completed-pathway provider workbook as a different measure, saying which', async () => {
    const completed = providerSheetRows(PROVIDER_ROWS, { summary: 'Monthly Referral to Treatment (RTT) waiting times for completed non-admitted pathways.' });
    const error = await expectPlanwatchError(() => parseSheets(incompleteProviderSheets({ provider: completed })), 'E_UNKNOWN_COLLECTION', { file: NAME, sheet: 'Provider', line: 3 });
    expect(error.message).toContain('completed non-admitted pathways');
    expect(error.message).toContain('Incomplete Provider');
  });

  it('turns away a commissioner-basis workbook', async () => {
    const national = { name: 'National', rows: metadataRows('Monthly Referral to Treatment (RTT) waiting times for completed admitted pathways.') };
    const sheets = [national, ...['Region', 'ICB', 'Sub-ICB', 'Notes', 'Guidance'].map((name) => ({ name, rows: [] }))];
    const refused = await expectPlanwatchError(async () => parseFile(rtt, 'Admitted-Commissioner-Dec24-synthetic.xlsx', await writeWorkbook(sheets)), 'E_UNKNOWN_COLLECTION', { sheet: 'National' });
    expect(refused.message).toContain('commissioner basis');
  });
});

const data = (rows: FixtureCell[][]) => () => writeWorkbook(incompleteProviderSheets({ provider: providerSheetRows(rows) }));
const sheetsOf = (sheets: FixtureSheet[]) => () => writeWorkbook(sheets);

/** Each bad input is the good fixture with one change, and the refusal it must get. */
const BAD: { case: string; bytes: () => Promise<Uint8Array>; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  {
    case: 'a workbook without the Provider sheet, naming it',
    bytes: sheetsOf(incompleteProviderSheets().map((sheet) => (sheet.name === 'Provider' ? { ...sheet, name: 'Providers' } : sheet))),
    code: 'E_FORMAT', at: { sheet: 'Provider' },
  },
  {
    case: 'a missing column, naming it and the header row',
    bytes: sheetsOf(incompleteProviderSheets({ provider: providerSheetRows(PROVIDER_ROWS, { header: HEADER.map((cell) => (cell === TOTAL ? 'Total pathways' : cell)) }) })),
    code: 'E_HEADER', at: { sheet: 'Provider', line: 14, column: TOTAL },
  },
  {
    case: 'a header it cannot find',
    bytes: sheetsOf(incompleteProviderSheets({ provider: providerSheetRows(PROVIDER_ROWS, { header: HEADER.map((cell) => (cell === 'Provider Code' ? 'Code' : cell)) }) })),
    code: 'E_HEADER', at: { sheet: 'Provider', column: 'Provider Code' },
  },
  { case: 'text in a number, naming sheet, row and column', bytes: data(withCell(PROVIDER_ROWS, 2, '>5-6', 'six')), code: 'E_NUMBER', at: { sheet: 'Provider', line: 17, column: '>5-6' }, says: '"six"' },
  { case: 'a truncated workbook', bytes: async () => (await writeWorkbook(incompleteProviderSheets())).subarray(0, 5000), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'a header with no provider rows', bytes: sheetsOf(incompleteProviderSheets({ provider: providerSheetRows([]), is: null })), code: 'E_EMPTY', at: { sheet: 'Provider', line: 15 } },
  {
    case: 'a provider listed twice, even across sheets', bytes: sheetsOf(incompleteProviderSheets({ is: providerSheetRows([...IS_ROWS, PROVIDER_ROWS[2]!]) })),
    code: 'E_DUPLICATE', at: { sheet: 'IS Provider', line: 17 }, says: 'Provider row 17',
  },
  { case: 'a published 52-week total that disagrees with the bands', bytes: data(withCell(PROVIDER_ROWS, 2, 'Total 52 plus weeks', 99)), code: 'E_TOTAL_MISMATCH', at: { sheet: 'Provider', line: 17, column: 'Total 52 plus weeks' } },
  {
    case: 'a total row that is not the sum of its treatment functions',
    bytes: data([...PROVIDER_ROWS.slice(0, 3), providerRow('Y63', 'R2X', 'SYNTHETIC NORTHERN NHS FOUNDATION TRUST', 'C_120', 'Ear Nose and Throat Service', { 1: 9 }), PROVIDER_ROWS[4]!]),
    code: 'E_TOTAL_MISMATCH', at: { sheet: 'Provider', line: 19, column: TOTAL },
  },
  { case: 'a Period row it cannot read', bytes: sheetsOf(incompleteProviderSheets({ provider: providerSheetRows(PROVIDER_ROWS, { period: 'Month 11' }) })), code: 'E_VALUE', at: { sheet: 'Provider', line: 5 } },
];

describe('rtt.parse(bad Incomplete Provider workbook)', () => {
  it.each(BAD)('refuses $case', async ({ bytes, code, at, says }) => {
    const input = await bytes();
    const error = await expectPlanwatchError(() => parseFile(rtt, NAME, input), code, at);
    if (says) expect(error.message).toContain(says);
  });
});

describe('ingestFile(bad Incomplete Provider workbook)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await writeWorkbook(incompleteProviderSheets()) });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ bytes }) => {
    const input = await bytes();
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'Incomplete-Provider-bad-synthetic.xlsx', bytes: input }));
  });
});
