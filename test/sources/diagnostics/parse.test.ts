import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/sources/contract.js';
import { dm01 } from '../../../src/sources/diagnostics/index.js';
import { readHead } from '../../../src/sources/head.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { collect, sourceFile, toJsonLines } from '../../helpers/fixtures.js';
import { memoryStore, rowCounts } from '../../helpers/store.js';
import { dm01Sheets, rowOf, writeXls, type Sheets } from '../../fixtures/diagnostics/synthetic-dm01.js';

const NAME = 'Monthly-Diagnostics-Web-File-Provider-January-2025.xls';
const PROVIDER = 'Provider';
const BY_TEST = 'Provider by Test';

async function parse(sheets: Sheets = dm01Sheets(), name = NAME) {
  const { items, summary } = await collect(dm01.parse(sourceFile(name, writeXls(sheets)), dm01.options.parse({})));
  return {
    items,
    summary,
    observations: items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : [])),
    facts: items.flatMap((item) => (item.kind === 'org' ? [item.fact] : [])),
  };
}
const value = (list: readonly Observation[], org: string, metric: string) => list.find((o) => o.org === org && o.metric === metric)?.value;
const edited = (edit: (sheets: Sheets) => void): Sheets => {
  const sheets = dm01Sheets();
  edit(sheets);
  return sheets;
};

describe('dm01.detect(head)', () => {
  it('claims the provider web file by its sheets, whatever it is called', () => {
    expect(dm01.detect(readHead('renamed.xls', writeXls(dm01Sheets())))).toEqual({ layout: 'dm01-provider-2024' });
  });

  it('leaves an RTT provider workbook, which also has a "Provider" sheet, alone', () => {
    expect(dm01.detect({ name: 'NonAdmitted-Provider-Sep25.xlsx', lines: [], isWorkbook: true, sheets: ['Provider', 'IS Provider', 'Notes'] })).toBeNull();
  });
});

describe('dm01.parse(file)', () => {
  it('reads the waiting list, 6+ and 13+ week waits by provider and by test', async () => {
    const { items, summary } = await parse();
    expect(summary).toEqual({ layout: 'dm01-provider-2024', periods: ['2025-01'], publication: { published: '2025-03-13', edition: 'first', source: 'file' } });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-dm01.jsonl');
  });

  it('files the national Total row as ENG and places each provider in its region', async () => {
    const { observations, facts } = await parse();
    expect([value(observations, 'ENG', 'waiting'), value(observations, 'ENG', 'waiting_6wk_plus'), value(observations, 'ENG', 'waiting_13wk_plus')]).toEqual([2000, 400, 130]);
    expect(facts.find((f) => f.org === 'RBB')).toMatchObject({ parentLevel: 'region', parent: 'Y61', level: 'provider' });
  });

  it('keeps each test under its own field, and a provider with nobody waiting needs no test rows', async () => {
    const { observations } = await parse();
    expect(value(observations, 'RBB', 'waiting_13wk_plus_audiology')).toBe(40);
    expect(value(observations, 'RAA', 'waiting_mri')).toBe(600);
    expect(value(observations, 'NT902', 'waiting')).toBe(0);
    expect(observations.some((o) => o.metric.endsWith('_total'))).toBe(false);
  });

  it('finds the header by content when the template moves it up a row', async () => {
    const moved = edited((sheets) => {
      for (const name of [PROVIDER, BY_TEST]) sheets.get(name)!.splice(3, 1);
    });
    const { observations } = await parse(moved);
    expect(observations.find((o) => o.org === 'ENG' && o.metric === 'waiting')!.row).toBe(14);
  });

  it('takes the month from "Period:", not the file name', async () => {
    const { summary } = await parse(dm01Sheets('March 2025'), 'Monthly-Diagnostics-Web-File-Provider-January-2020.xls');
    expect(summary.periods).toEqual(['2025-03']);
  });
});

describe('dm01.parse(file) — bad input is refused, naming file, sheet, row and column, and nothing is stored', () => {
  const provider = (s: Sheets) => s.get(PROVIDER)!;
  const byTest = (s: Sheets) => s.get(BY_TEST)!;
  const cases: [string, () => Uint8Array, Parameters<typeof expectPlanwatchError>[1], Record<string, unknown>][] = [
    ['a workbook without the by-test sheet', () => writeXls(edited((s) => s.delete(BY_TEST))), 'E_HEADER', { sheet: BY_TEST }],
    ['a header missing a column', () => writeXls(edited((s) => (provider(s)[13]![7] = 'Waiting 13+'))), 'E_HEADER', { sheet: PROVIDER, line: 14, column: 'Number waiting 13+ Weeks' }],
    ['a sheet with no header row', () => writeXls(edited((s) => (byTest(s)[13]![3] = 'Code'))), 'E_HEADER', { sheet: BY_TEST, column: 'Provider Code' }],
    ['text in a number', () => writeXls(edited((s) => (provider(s)[rowOf(provider(s), 'RBB')]![6] = 'n/a'))), 'E_NUMBER', { sheet: PROVIDER, line: 19, column: 'Number waiting 6+ Weeks' }],
    ['a truncated workbook', () => writeXls(dm01Sheets()).slice(0, 4000), 'E_TRUNCATED', {}],
    ['an empty workbook', () => writeXls(new Map([[PROVIDER, []], [BY_TEST, []]])), 'E_EMPTY', { sheet: PROVIDER }],
    ['a duplicate provider row', () => writeXls(edited((s) => provider(s).push([...provider(s)[rowOf(provider(s), 'RAA')]!]))), 'E_DUPLICATE', { sheet: PROVIDER, line: 21, column: 'Provider Code' }],
    ['a Total row that is not the sum of the providers', () => writeXls(edited((s) => (provider(s)[14]![5] = 2001))), 'E_TOTAL_MISMATCH', { sheet: PROVIDER, line: 15, column: 'Total Waiting List' }],
    ['a provider cut off the end of the file', () => writeXls(edited((s) => provider(s).splice(rowOf(provider(s), 'RBB'), 1))), 'E_TOTAL_MISMATCH', { sheet: PROVIDER, line: 15 }],
    ['tests that do not add up to their provider\'s total', () => writeXls(edited((s) => (byTest(s)[rowOf(byTest(s), 'RAA')]![7] = 601))), 'E_TOTAL_MISMATCH', { sheet: BY_TEST, line: 19, column: 'Total Waiting List' }],
    ['an unknown Diagnostic ID', () => writeXls(edited((s) => (byTest(s)[rowOf(byTest(s), 'NT901')]![5] = 17))), 'E_VALUE', { sheet: BY_TEST, line: 20, column: 'Diagnostic ID' }],
    ['a test renamed under its ID', () => writeXls(edited((s) => (byTest(s)[rowOf(byTest(s), 'NT901')]![6] = 'Computed Tomography'))), 'E_VALUE', { sheet: BY_TEST, line: 20, column: 'Diagnostic Test Name' }],
    ['no "Period:" line', () => writeXls(edited((s) => (provider(s)[4]![1] = 'Month:'))), 'E_VALUE', { sheet: PROVIDER, column: 'Period:' }],
  ];

  it.each(cases)('refuses %s', async (_, bytes, code, at) => {
    const data = bytes();
    await expectPlanwatchError(() => collect(dm01.parse(sourceFile(NAME, data), dm01.options.parse({}))), code, { file: NAME, ...at });
    const store = await memoryStore();
    await ingestFile(store, { name: 'Monthly-Diagnostics-Web-File-Provider-December-2024.xls', bytes: writeXls(dm01Sheets('December 2024')) });
    const before = await rowCounts(store);
    await expectPlanwatchError(() => ingestFile(store, { name: NAME, bytes: data }), code, { file: NAME });
    expect(await rowCounts(store)).toEqual(before);
  });
});
