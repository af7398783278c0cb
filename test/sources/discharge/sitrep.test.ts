import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { discharge } from '../../../src/sources/discharge/index.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { DAYS, LABELS, TRUSTS, WEEKS, hospice, sitrepSheets, trustDay, trustWeek, type SitrepOptions } from '../../fixtures/discharge/synthetic-sitrep.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';
import { writeWorkbook } from '../../helpers/xlsx.js';

const NAME = 'Daily-discharge-sitrep-monthly-data-webfile-February2023-synthetic.xlsx';

const bytesOf = (options: SitrepOptions = {}) => writeWorkbook(sitrepSheets(options));
async function observations(options: SitrepOptions = {}) {
  const { items, summary } = await parseFile(discharge, NAME, await bytesOf(options));
  return { summary, observations: items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : [])), items };
}
const valueOf = (list: Awaited<ReturnType<typeof observations>>['observations'], org: string, metric: string) =>
  list.find((o) => o.org === org && o.metric === metric)?.value;

const days = Array.from({ length: DAYS }, (_, day) => day);

describe('discharge.parse(acute daily discharge sitrep webfile)', () => {
  it('sums each row over the days it reported and counts those days, month from the Cover Sheet', async () => {
    const { summary, observations: list } = await observations();
    // Dated by the Cover Sheet: "Published:" 9 March 2023 and an empty ("-") "Revised:" row.
    expect(summary).toEqual({ layout: 'discharge-sitrep-2022', periods: ['2023-02'], publication: { published: '2023-03-09', edition: 'first', source: 'file' } });
    const rxa = days.map((day) => trustDay(0, day)!);
    expect(valueOf(list, 'RXA', 'ncr_sum')).toBe(rxa.reduce((sum, day) => sum + day[0], 0));
    expect(valueOf(list, 'RXA', 'days_reported')).toBe(28);
    // RXB did not submit on two days ("-"): they are left out of its sum and its day count.
    const rxb = days.map((day) => trustDay(1, day)).filter((day) => day !== null);
    expect(valueOf(list, 'RXB', 'days_reported')).toBe(26);
    expect(valueOf(list, 'RXB', 'ncr_remaining_sum')).toBe(rxb.reduce((sum, day) => sum + day[2], 0));
    // England's discharges include hospice discharges, as published.
    const trustsDischarged = days.reduce((sum, day) => sum + TRUSTS.reduce((s, _, i) => s + (trustDay(i, day)?.[1] ?? 0), 0), 0);
    const hospices = days.reduce((sum, day) => sum + hospice('LONDON', day), 0);
    expect(valueOf(list, 'ENG', 'ncr_discharged_sum')).toBe(trustsDischarged + hospices);
    expect(valueOf(list, 'Y56', 'days_reported')).toBe(28);
    expect(valueOf(list, 'QMJ', 'ncr_sum')).toBe(valueOf(list, 'RXA', 'ncr_sum')! + valueOf(list, 'RXB', 'ncr_sum')!);
    expect(valueOf(list, 'RXC', 'delay_bed_days_14plus_sum')).toBe(WEEKS.reduce((sum, _, week) => sum + trustWeek(2, week)![1], 0));
    expect(valueOf(list, 'RXC', 'weeks_reported')).toBe(4);
    expect(list.find((o) => o.org === 'RXA' && o.metric === 'ncr_sum')).toMatchObject({ row: 14, column: `Table 2: ${LABELS[0]}` });
  });

  it('reads a file whose title is in row 2 (July 2022 – August 2023) to the same figures, one row lower', async () => {
    const lower = (await observations({ titleRow: 2 })).observations;
    const upper = (await observations()).observations;
    expect(lower.map(({ row, ...rest }) => ({ ...rest, row: row - 1 }))).toEqual(upper);
  });

  it('places trusts and ICBs in the region the file names', async () => {
    const { items } = await observations();
    const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
    expect(facts.find((fact) => fact.org === 'RXC')).toMatchObject({ level: 'trust', parentLevel: 'region', parent: 'Y58' });
    expect(facts.find((fact) => fact.org === 'QMJ')).toMatchObject({ level: 'icb', parent: 'Y56' });
  });
});

describe('discharge.detect(head)', () => {
  it('claims the acute webfile by its Cover Sheet title, and not the community sitrep with the same sheets', async () => {
    expect(claim(readHead(NAME, await bytesOf())).plugin.id).toBe('discharge');
    expect(discharge.detect(readHead(NAME, await bytesOf({ coverTitle: 'Community Discharge Situation Report ' })))).toBeNull();
    expect(discharge.detect({ name: 'x.csv', lines: ['Period,Org Code'], isWorkbook: false })).toBeNull();
  });
});

describe('discharge measures', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await bytesOf() });
  });
  afterAll(() => store.close());

  it('averages over the days reported, for trusts and for the published England row', async () => {
    const [rxb] = await measureValues(store, measureById('discharge_ncr'), { level: 'trust', orgs: ['RXB'] });
    const reported = days.map((day) => trustDay(1, day)).filter((day) => day !== null);
    expect(rxb!.value).toBeCloseTo(reported.reduce((sum, day) => sum + day[0], 0) / 26, 9);
    const [england] = await measureValues(store, measureById('discharge_ncr_remaining'), { level: 'england' });
    const remaining = days.reduce((sum, day) => sum + TRUSTS.reduce((s, _, i) => s + (trustDay(i, day)?.[2] ?? 0), 0), 0);
    // England's row counts hospice discharges, so fewer remain there than in the trusts' rows.
    const hospices = days.reduce((sum, day) => sum + hospice('LONDON', day), 0);
    expect(england!.value).toBeCloseTo((remaining - hospices) / 28, 9);
    const [region] = await measureValues(store, measureById('discharge_delay_bed_days_21plus'), { level: 'region', orgs: ['Y58'] });
    expect(region!.value).toBeCloseTo(WEEKS.reduce((sum, _, week) => sum + trustWeek(2, week)![2], 0) / 4, 9);
  });
});

type Edit = NonNullable<SitrepOptions['edit']>;
const editCell = (sheet: string, row: number, column: number, value: string | number | null): Edit => (name, rows) => {
  if (name === sheet) rows[row - 1]![column] = value;
};

const BAD: { case: string; options?: SitrepOptions; bytes?: () => Promise<Uint8Array>; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  { case: 'a renamed metric label', options: { edit: editCell('Table 2', 4, 8, 'Number discharged') }, code: 'E_HEADER', at: { sheet: 'Table 2', line: 4, column: LABELS[1] } },
  { case: 'text in a number, naming row and day', options: { edit: editCell('Table 2', 15, 5, 'n/a') }, code: 'E_NUMBER', at: { sheet: 'Table 2', line: 15, column: `${LABELS[1]}, 2023-02-01` }, says: '"n/a"' },
  { case: 'a truncated file', bytes: async () => (await bytesOf()).subarray(0, 4000), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'a table with no trust rows', options: { trusts: [] }, code: 'E_EMPTY', at: { sheet: 'Table 2' } },
  { case: 'a duplicated trust row, naming both rows', options: { trusts: [...TRUSTS, TRUSTS[2]!] }, code: 'E_DUPLICATE', at: { sheet: 'Table 2', line: 17 }, says: 'rows 16 and 17' },
  { case: 'an England row that is not the sum of its regions', options: { edit: editCell('Table 2', 5, 4, 1) }, code: 'E_TOTAL_MISMATCH', at: { sheet: 'Table 2', line: 5 } },
  { case: 'remaining that is not no longer meeting − discharged', options: { edit: editCell('Table 2', 16, 6, 1) }, code: 'E_TOTAL_MISMATCH', at: { sheet: 'Table 2', line: 16, column: `${LABELS[2]}, 2023-02-01` } },
  { case: 'a month with a day missing', options: { days: 27 }, code: 'E_HEADER', at: { sheet: 'Table 2' }, says: '28 days' },
  { case: 'a day with some figures and not others', options: { edit: editCell('Table 2', 15, 4, '-') }, code: 'E_VALUE', at: { sheet: 'Table 2', line: 15 } },
  { case: 'a Cover Sheet without its Period date', options: { edit: editCell('Cover Sheet', 4, 2, 'February') }, code: 'E_VALUE', at: { sheet: 'Cover Sheet', line: 4 } },
];

describe('discharge.parse(bad input)', () => {
  it.each(BAD)('refuses $case', async ({ options, bytes, code, at, says }) => {
    const input = bytes ? await bytes() : await bytesOf(options);
    const error = await expectPlanwatchError(() => parseFile(discharge, NAME, input), code, at);
    if (says) expect(error.message).toContain(says);
  });
});

describe('ingestFile(bad discharge sitrep)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: await bytesOf() });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ options, bytes }) => {
    const input = bytes ? await bytes() : await bytesOf(options);
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'Daily-discharge-sitrep-bad-synthetic.xlsx', bytes: input }));
  });
});
