import { describe, expect, it } from 'vitest';
import { PlanwatchError } from '../../../src/errors.js';
import { ae } from '../../../src/sources/ae/index.js';
import { FIELD_TESTING_WORKBOOK_NOTE } from '../../../src/sources/ae/layouts.js';
import type { Observation, OrgFact } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { aeWorkbook, aeWorkbookSheets, PROVIDERS, rowOf, writeXls, type Era, type Rows } from '../../fixtures/ae/synthetic-ae-xls.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { collect, sourceFile, toJsonLines } from '../../helpers/fixtures.js';
import { expectStoreUnchanged, ingestFixture, memoryStore } from '../../helpers/store.js';

const ERAS: [Era, string][] = [
  ['ae-xls-2015', '2015-07'],
  ['ae-xls-2017', '2017-01'],
  ['ae-xls-2017-04', '2017-04'],
  ['ae-xls-2018', '2019-06'],
];

// June 2019: RX1, a field-testing trust, shows "-" in every 4-hour column (data README §9).
const FIELD_TESTING = PROVIDERS.map((p) => (p.code === 'RX1' ? { ...p, over4: null } : p));

const parse = (name: string, bytes: Uint8Array) => collect(ae.parse(sourceFile(name, bytes), ae.options.parse({})));
const observations = (items: Awaited<ReturnType<typeof parse>>['items']): Observation[] =>
  items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
const facts = (items: Awaited<ReturnType<typeof parse>>['items']): OrgFact[] => items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
const find = (list: Observation[], org: string, metric: string) => list.find((o) => o.org === org && o.metric === metric);

/** A good workbook of the era with one change to the A&E sheet's rows. */
const edited = (era: Era, edit: (rows: Rows) => void) => aeWorkbook(era, { edit });

describe('ae.detect(head) on the monthly provider workbooks', () => {
  it.each(ERAS)('recognises the %s layout by its sheet and header, whatever the file is called', (era) => {
    expect(ae.detect(readHead('renamed.xls', aeWorkbook(era)))).toEqual({ layout: era });
  });

  it('claims a workbook with a damaged header, so parse() can name the column', () => {
    const bytes = edited('ae-xls-2015', (rows) => (rows[15]![7] = 'Total visits'));
    expect(ae.detect(readHead('x.xls', bytes))).toEqual({ layout: 'ae-xls-damaged' });
  });

  it('leaves other workbooks alone', () => {
    expect(ae.detect(readHead('x.xls', writeXls(new Map([['Provider', [[null, 'Total Waiting List']]]]))))).toBeNull();
    expect(ae.detect(readHead('x.xls', writeXls(new Map([['A&E Data', [[null, 'Something else']]]]))))).toBeNull();
  });
});

describe('ae.parse(file) — the four workbook layouts', () => {
  it.each(ERAS)('parses %s', async (era, period) => {
    const bytes = aeWorkbook(era, era === 'ae-xls-2018' ? { providers: FIELD_TESTING } : {});
    const { items, summary } = await parse(`synthetic-${era}.xls`, bytes);
    // The synthetic cover's "Published:" row holds no date ("9th Synthetic 2020"): nothing to say.
    expect(summary).toEqual({ layout: era, periods: [period], publication: {} });
    await expect(toJsonLines(items)).toMatchFileSnapshot(`./__output__/synthetic-${era}.jsonl`);
  });

  it('reads the counts under their group headers, never the under-4-hours block as breaches', async () => {
    const list = observations((await parse('s.xls', aeWorkbook('ae-xls-2017-04'))).items);
    expect(find(list, 'RAA', 'attendances_type1')?.value).toBe(1000);
    expect(find(list, 'RAA', 'over4_type1')?.value).toBe(100);
    expect(find(list, 'RAA', 'over4_other')?.value).toBe(5);
    expect(find(list, 'RAA', 'emergency_admissions_type1')?.value).toBe(300);
    expect(find(list, 'RAA', 'other_emergency_admissions')?.value).toBe(120);
  });

  it('gives the CSV\'s 4–12 hours from decision to admit as over 4 minus 12+', async () => {
    const list = observations((await parse('s.xls', aeWorkbook('ae-xls-2015'))).items);
    expect(find(list, 'RAA', 'dta_4_12hr')?.value).toBe(37);
    expect(find(list, 'RAA', 'dta_12hr_plus')?.value).toBe(3);
  });

  it('reports a field-testing trust\'s "-" 4-hour cells as not reported, and checks England\'s share over reporting trusts only', async () => {
    const list = observations((await parse('s.xls', aeWorkbook('ae-xls-2018', { providers: FIELD_TESTING }))).items);
    expect(find(list, 'RX1', 'over4_type1')).toMatchObject({ value: null, note: FIELD_TESTING_WORKBOOK_NOTE });
    expect(find(list, 'RX1', 'attendances_type1')?.value).toBe(800);
  });

  it('refuses an England share computed over every trust, field-testing ones included', async () => {
    // The share as a naive reader would publish it: the field-testing trust's attendances counted as on time.
    const bytes = aeWorkbook('ae-xls-2018', {
      providers: FIELD_TESTING,
      edit: (rows) => (rows[16]![16] = 1 - 105 / (1000 + 0 + 200 + 0 + 0 + 300 + 800 + 50 + 0)),
    });
    await expectPlanwatchError(() => parse('s.xls', bytes), 'E_TOTAL_MISMATCH', { line: 17, column: 'Percentage in 4 hours or less (all)' });
  });

  it('accepts N/A (2015–2017) and - (from April 2017) as the share of a type with no attendances', async () => {
    for (const era of ['ae-xls-2015', 'ae-xls-2017-04'] as const) {
      const { items } = await parse('s.xls', aeWorkbook(era));
      expect(find(observations(items), 'NT901', 'attendances_type1')?.value, era).toBe(0);
    }
  });

  it('places providers in today\'s regions only where the published region maps whole onto one', async () => {
    const region = async (era: Era) => facts((await parse('s.xls', aeWorkbook(era, era === 'ae-xls-2018' ? { providers: FIELD_TESTING } : {}))).items)[0]!.parent;
    expect(await region('ae-xls-2015')).toBe('Y56'); // London Commissioning Region: London
    expect(await region('ae-xls-2017')).toBeUndefined(); // North of England: now two regions
    expect(await region('ae-xls-2017-04')).toBeUndefined(); // South of England: now two regions
    expect(await region('ae-xls-2018')).toBe('Y60'); // NHS England Midlands (seven regions)
  });
});

describe('ae.parse(file) — bad workbooks are refused and nothing stored changes', () => {
  const refuse = async (bytes: Uint8Array, code: PlanwatchError['code'], at: Record<string, unknown>, name = 'synthetic-bad.xls') => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2019.csv');
    const error = await expectStoreUnchanged(store, () => ingestFile(store, { name, bytes }));
    expect(error).toBeInstanceOf(PlanwatchError);
    expect({ code: (error as PlanwatchError).code, ...Object.fromEntries(Object.keys(at).map((k) => [k, ((error as PlanwatchError).at as unknown as Record<string, unknown>)?.[k]])) })
      .toEqual({ code, ...at });
  };

  it('a wrong header, naming the column', async () => {
    await refuse(edited('ae-xls-2015', (rows) => (rows[15]![7] = 'Total visits')), 'E_HEADER', { line: 16, column: 'Total attendances' });
  });

  it('text in a number, naming row and column', async () => {
    const bytes = edited('ae-xls-2017', (rows) => (rows[rowOf(rows, 'RAA')]![4] = '1,000 approx'));
    await refuse(bytes, 'E_NUMBER', { sheet: 'Provider Level Data', line: 19, column: 'Type 1 Departments - Major A&E' });
  });

  it('a "-" outside the 4-hour columns', async () => {
    const bytes = edited('ae-xls-2018', (rows) => (rows[rowOf(rows, 'RAA')]![20] = '-'));
    await refuse(bytes, 'E_NUMBER', { line: 19, column: 'Emergency Admissions via Type 1 A&E' });
  });

  it('a truncated file', async () => {
    const bytes = aeWorkbook('ae-xls-2017-04');
    // Claimed by its published name, since a cut-short workbook has no readable sheet index.
    const name = 'synthetic-AE-by-provider-April-2017.xls';
    await refuse(bytes.subarray(0, Math.floor(bytes.length / 2)), 'E_TRUNCATED', { file: name }, name);
  });

  it('an empty sheet', async () => {
    const sheets = aeWorkbookSheets('ae-xls-2015');
    sheets.set('A&E Data', [[]]);
    await refuse(writeXls(sheets), 'E_EMPTY', { sheet: 'A&E Data' });
  });

  it('a workbook cut after the England row', async () => {
    await refuse(edited('ae-xls-2015', (rows) => rows.splice(18)), 'E_EMPTY', { line: 18 });
  });

  it('a duplicate row', async () => {
    const bytes = edited('ae-xls-2015', (rows) => rows.push([...rows[rowOf(rows, 'RAA')]!]));
    await refuse(bytes, 'E_DUPLICATE', { line: 22, column: 'Code' });
  });

  it('an England row that is not the sum of its providers', async () => {
    await refuse(edited('ae-xls-2015', (rows) => (rows[16]![4] = 1801)), 'E_TOTAL_MISMATCH', { line: 17, column: 'Type 1 Departments - Major A&E' });
  });

  it('a provider whose types do not add up to its total', async () => {
    const bytes = edited('ae-xls-2017-04', (rows) => (rows[rowOf(rows, 'RAA')]![7] = 1201));
    await refuse(bytes, 'E_TOTAL_MISMATCH', { line: 19, column: 'Total attendances' });
  });
});
