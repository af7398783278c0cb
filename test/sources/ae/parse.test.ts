import { describe, expect, it } from 'vitest';
import { ae } from '../../../src/sources/ae/index.js';
import { FIELD_TESTING_NOTE } from '../../../src/sources/ae/layouts.js';
import type { Observation, OrgFact } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { collect, fixtureText, sourceFile, toJsonLines } from '../../helpers/fixtures.js';

const parse = (name: string, text: string) => collect(ae.parse(sourceFile(name, text), ae.options.parse({})));
const observations = (items: Awaited<ReturnType<typeof parse>>['items']) =>
  items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
const facts = (items: Awaited<ReturnType<typeof parse>>['items']) => items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
const find = (list: Observation[], org: string, metric: string) => list.find((o) => o.org === org && o.metric === metric);

describe('ae.detect(head)', () => {
  it.each(['synthetic-ae-2019.csv', 'synthetic-ae-2020.csv', 'synthetic-ae-2020-booked.csv', 'synthetic-ae-nhsr-tidy.csv'])(
    'recognises %s by its content, whatever the file is called',
    (name) => {
      const head = readHead('renamed.csv', new TextEncoder().encode(fixtureText('ae', name)));
      expect(ae.detect(head)).not.toBeNull();
    },
  );

  it('names each layout', () => {
    const layout = (name: string) => ae.detect(readHead(name, new TextEncoder().encode(fixtureText('ae', name))))?.layout;
    expect(layout('synthetic-ae-2019.csv')).toBe('ae-2019');
    expect(layout('synthetic-ae-2020.csv')).toBe('ae-2020');
    expect(layout('synthetic-ae-2020-booked.csv')).toBe('ae-2020-booked');
    expect(layout('synthetic-ae-nhsr-tidy.csv')).toBe('ae-nhsr-tidy');
  });

  it('leaves other CSVs and workbooks alone', () => {
    expect(ae.detect(readHead('x.csv', new TextEncoder().encode('period,value\n2024-01,3\n')))).toBeNull();
    expect(ae.detect({ name: 'x.xlsx', lines: [], isWorkbook: true, sheets: ['Raw'] })).toBeNull();
  });
});

describe('ae.parse(file) — the three monthly layouts and the NHS-R tidy file', () => {
  it.each([
    ['synthetic-ae-2019.csv', 'ae-2019', ['2019-06']],
    ['synthetic-ae-2020.csv', 'ae-2020', ['2020-05']],
    ['synthetic-ae-2020-booked.csv', 'ae-2020-booked', ['2024-09']],
    ['synthetic-ae-nhsr-tidy.csv', 'ae-nhsr-tidy', ['2017-01', '2017-02']],
  ])('parses %s', async (name, layout, periods) => {
    const { items, summary } = await parse(name, fixtureText('ae', name));
    expect(summary).toEqual({ layout, periods });
    await expect(toJsonLines(items)).toMatchFileSnapshot(`./__output__/${name.replace('.csv', '.jsonl')}`);
  });

  it('never treats the TOTAL row as an organisation, in any of its spellings', async () => {
    for (const name of ['synthetic-ae-2019.csv', 'synthetic-ae-2020.csv', 'synthetic-ae-2020-booked.csv']) {
      const orgs = new Set(observations((await parse(name, fixtureText('ae', name))).items).map((o) => o.org));
      expect([...orgs].some((org) => /total/i.test(org) || org === '')).toBe(false);
    }
  });

  it('reports a field-testing trust\'s 4-hour breaches as not reported, never 0', async () => {
    const list = observations((await parse('f.csv', fixtureText('ae', 'synthetic-ae-2019.csv'))).items);
    expect(find(list, 'RHU', 'over4_type1')).toMatchObject({ value: null, note: FIELD_TESTING_NOTE });
    expect(find(list, 'RHU', 'attendances_type1')?.value).toBeGreaterThan(0);
    expect(find(list, 'RAA', 'over4_type1')?.value).toBeGreaterThan(0);
  });

  it('places organisations in regions from the parent name, sub-regions and trailing spaces included', async () => {
    const byOrg = (list: OrgFact[]) => Object.fromEntries(list.map((f) => [f.org, f.parent]));
    expect(byOrg(facts((await parse('a.csv', fixtureText('ae', 'synthetic-ae-2019.csv'))).items))).toEqual({ RAA: 'Y56', RBB: 'Y59', RHU: 'Y59', NXX01: 'Y60' });
    expect(byOrg(facts((await parse('b.csv', fixtureText('ae', 'synthetic-ae-2020.csv'))).items))).toEqual({ RAA: 'Y56', RCC: 'Y62', Y00001: 'Y58' });
  });

  it('reads booked appointments and ignores unnamed columns (September 2024)', async () => {
    const list = observations((await parse('c.csv', fixtureText('ae', 'synthetic-ae-2020-booked.csv'))).items);
    expect(find(list, 'RAA', 'booked_attendances_type1')?.column).toBe('A&E attendances Booked Appointments Type 1');
    expect(new Set(list.map((o) => o.metric)).size).toBe(18);
  });

  it('records the line and published column of every figure', async () => {
    const list = observations((await parse('c.csv', fixtureText('ae', 'synthetic-ae-2020-booked.csv'))).items);
    expect(find(list, 'RCC', 'dta_12hr_plus')).toMatchObject({ row: 3, column: 'Patients who have waited 12+ hrs from DTA to admission' });
  });

  it('counts a type with no row in the NHS-R file as none that month', async () => {
    const list = observations((await parse('t.csv', fixtureText('ae', 'synthetic-ae-nhsr-tidy.csv'))).items);
    expect(list.find((o) => o.org === 'RAA' && o.period === '2017-01' && o.metric === 'attendances_type2')?.value).toBe(0);
    expect(list.find((o) => o.org === 'RAA' && o.period === '2017-02' && o.metric === 'attendances_type2')?.value).toBe(300);
  });
});

/** Each bad input is a good fixture with one change (STYLE.md §4). */
describe('ae.parse(file) — bad input', () => {
  const good = fixtureText('ae', 'synthetic-ae-2020.csv');
  const lines = good.split('\r\n');
  const withLine = (index: number, line: string) => lines.map((l, i) => (i === index ? line : l)).join('\r\n');

  it('refuses a renamed column, naming it', async () => {
    const text = good.replace('Attendances over 4hrs Type 2', 'Breaches Type 2');
    await expectPlanwatchError(() => parse('bad.csv', text), 'E_HEADER', { file: 'bad.csv', line: 1, column: 'Attendances over 4hrs Type 2' });
  });

  it('refuses a header without "Org Code"', async () => {
    await expectPlanwatchError(() => parse('bad.csv', good.replace('Org Code', 'Organisation')), 'E_HEADER', { line: 1, column: 'Org Code' });
  });

  it('refuses text in a number column, naming line and column', async () => {
    const cells = lines[2]!.split(',');
    cells[5] = 'n/a';
    const error = await expectPlanwatchError(() => parse('bad.csv', withLine(2, cells.join(','))), 'E_NUMBER', { file: 'bad.csv', line: 3, column: 'A&E attendances Type 2' });
    expect(error.message).toBe('bad.csv line 3, column "A&E attendances Type 2": expected a number, found "n/a".');
  });

  it('refuses a file cut before its TOTAL row', async () => {
    await expectPlanwatchError(() => parse('bad.csv', lines.slice(0, 4).join('\r\n')), 'E_TRUNCATED', { file: 'bad.csv', line: 5 });
  });

  it('refuses a file whose last row is cut short', async () => {
    const cut = good.slice(0, good.lastIndexOf(',', good.length - 10));
    await expectPlanwatchError(() => parse('bad.csv', cut), 'E_TRUNCATED', { file: 'bad.csv', line: 5 });
  });

  it('refuses a TOTAL row that does not add up', async () => {
    const cells = lines[1]!.split(',');
    cells[4] = String(Number(cells[4]) + 1);
    await expectPlanwatchError(() => parse('bad.csv', withLine(1, cells.join(','))), 'E_TOTAL_MISMATCH', { line: 5, column: 'A&E attendances Type 1' });
  });

  it('refuses an empty file', async () => {
    await expectPlanwatchError(() => parse('empty.csv', ''), 'E_EMPTY', { file: 'empty.csv' });
  });

  it('refuses a header with no rows', async () => {
    await expectPlanwatchError(() => parse('bad.csv', `${lines[0]}\r\n`), 'E_EMPTY', { file: 'bad.csv' });
  });

  it('refuses an organisation that appears twice', async () => {
    const text = [lines[0], lines[1], lines[2], lines[2], lines[3], lines[4]].join('\r\n');
    const error = await expectPlanwatchError(() => parse('bad.csv', text), 'E_DUPLICATE', { line: 4, column: 'Org Code' });
    expect(error.message).toContain('lines 3 and 4');
  });

  it('refuses rows from two different months', async () => {
    await expectPlanwatchError(() => parse('bad.csv', withLine(2, lines[2]!.replace('MSitAE-MAY-2020', 'MSitAE-JUNE-2020'))), 'E_VALUE', { line: 3, column: 'Period' });
  });

  it('refuses a duplicated NHS-R row', async () => {
    const tidy = fixtureText('ae', 'synthetic-ae-nhsr-tidy.csv');
    const text = `${tidy}2017-01-01,RAA,1,1,1,1\n`;
    await expectPlanwatchError(() => parse('tidy.csv', text), 'E_DUPLICATE', { line: 8, column: 'org_code' });
  });
});
