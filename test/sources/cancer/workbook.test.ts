import { describe, expect, it } from 'vitest';
import { cwt, cwtCommissioner } from '../../../src/sources/cancer/index.js';
import type { Observation, OrgFact, SourcePlugin } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { collect, sourceFile, toJsonLines } from '../../helpers/fixtures.js';
import { memoryStore, rowCounts } from '../../helpers/store.js';
import { cwtSheets, rowOf, writeXlsx, type Sheets } from '../../fixtures/cancer/synthetic-cwt.js';

const PROVIDER = 'MARCH-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx';
const COMMISSIONER = 'MARCH-2025-CWT-CRS-COMMISSIONER-WORKBOOK-FINAL.xlsx';
const FDS = '28-DAY FDS (ALL ROUTES)';
const D31 = '31-DAY (ALL CANCER)';
const D62 = '62-DAY (ALL CANCER)';

async function parse(sheets: Sheets, name = PROVIDER, plugin: SourcePlugin = cwt) {
  const { items, summary } = await collect(plugin.parse(sourceFile(name, await writeXlsx(sheets)), plugin.options.parse({})));
  const observations = items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
  const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
  return { items, summary, observations, facts };
}
const value = (list: readonly Observation[], org: string, metric: string) => list.find((o) => o.org === org && o.metric === metric)?.value;
const edited = (edit: (sheets: Sheets) => void, basis: 'provider' | 'commissioner' = 'provider'): Sheets => {
  const sheets = cwtSheets(basis);
  edit(sheets);
  return sheets;
};

describe('cwt.detect(head) and cwtCommissioner.detect(head)', () => {
  const head = async (name: string, sheets: Sheets) => readHead(name, await writeXlsx(sheets));

  it('gives the provider workbook to cwt and the commissioner workbook to cwt_commissioner', async () => {
    const provider = await head(PROVIDER, cwtSheets());
    const commissioner = await head(COMMISSIONER, cwtSheets('commissioner'));
    expect([cwt.detect(provider), cwtCommissioner.detect(provider)]).toEqual([{ layout: 'cwt-provider-2023' }, null]);
    expect([cwt.detect(commissioner), cwtCommissioner.detect(commissioner)]).toEqual([null, { layout: 'cwt-commissioner-2023' }]);
  });

  it('tells the two bases apart by their headers, whatever the files are called', async () => {
    const provider = await head('renamed.xlsx', cwtSheets());
    const commissioner = await head('renamed-provider-workbook.xlsx', cwtSheets('commissioner'));
    expect([cwt.detect(provider), cwtCommissioner.detect(provider)]).toEqual([{ layout: 'cwt-provider-2023' }, null]);
    expect([cwt.detect(commissioner), cwtCommissioner.detect(commissioner)]).toEqual([null, { layout: 'cwt-commissioner-2023' }]);
  });

  it('claims a workbook missing one of its sheets, and an unreadable one by its published name', async () => {
    const partial = await head(PROVIDER, edited((s) => s.delete(D62)));
    expect(cwt.detect(partial)).not.toBeNull();
    expect(cwt.detect({ name: PROVIDER, lines: [], isWorkbook: true, sheets: [] })).not.toBeNull();
  });

  it('leaves other workbooks and CSVs alone', () => {
    for (const plugin of [cwt, cwtCommissioner]) {
      expect(plugin.detect({ name: 'x.xls', lines: [], isWorkbook: true, sheets: ['Provider', 'Provider by Test'] })).toBeNull();
      expect(plugin.detect({ name: 'x.csv', lines: ['a,b'], isWorkbook: false })).toBeNull();
    }
  });
});

describe('cwt.parse(file) — the monthly provider workbook', () => {
  it('reads the headline table of each standard', async () => {
    const { items, summary } = await parse(cwtSheets());
    expect(summary).toEqual({ layout: 'cwt-provider-2023', periods: ['2025-03'], publication: { edition: 'final' } });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-cwt-provider.jsonl');
  });

  it('takes part A (all stages, all routes), never the route parts below it', async () => {
    const { observations } = await parse(cwtSheets());
    expect(value(observations, 'RAA', 'd31_total')).toBe(60);
    expect(value(observations, 'RAA', 'd62_total')).toBe(30.5);
    expect(observations.filter((o) => o.org === 'RAA' && o.metric === 'd62_total')).toHaveLength(1);
  });

  it('keeps shared patients\' halves as decimals', async () => {
    const { observations } = await parse(cwtSheets());
    expect(value(observations, 'RBB', 'd62_total')).toBe(19.5);
    expect(value(observations, 'RBB', 'd62_within')).toBe(15.5);
    expect(value(observations, 'ENG', 'd62_total')).toBe(52);
  });

  it('files the ALL ENGLISH PROVIDERS row, which has no code, as ENG and never as an organisation', async () => {
    const { observations, facts } = await parse(cwtSheets());
    expect(value(observations, 'ENG', 'fds_total')).toBe(700);
    expect(value(observations, 'ENG', 'fds_within')).toBe(563);
    expect(observations.some((o) => o.org === '')).toBe(false);
    expect(facts.map((f: OrgFact) => f.org)).toEqual(['RAA', 'RBB', 'NZZ']);
    expect(facts[2]).toMatchObject({ name: 'SYNTHETIC DIAGNOSTICS LIMITED', level: 'provider' });
  });

  it('keeps the longest 62-day waits (after 104 days) as their own field', async () => {
    const { observations } = await parse(cwtSheets());
    expect(value(observations, 'RAA', 'd62_after_104')).toBe(2);
    expect(value(observations, 'ENG', 'd62_after_104')).toBe(3);
  });

  it('takes the month from the sheets\' own labels, not the file name', async () => {
    const { summary } = await parse(cwtSheets(), 'JANUARY-2020-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx');
    expect(summary.periods).toEqual(['2025-03']);
    const dated = await parse(cwtSheets('provider', new Date(Date.UTC(2025, 2, 1))));
    expect(dated.summary.periods).toEqual(['2025-03']);
  });

  it('finds header rows by content when the template moves them down', async () => {
    const moved = edited((sheets) => {
      for (const name of [FDS, D31, D62]) sheets.get(name)!.splice(4, 0, [], [], []);
    });
    const { observations } = await parse(moved);
    expect(value(observations, 'RBB', 'fds_total')).toBe(250);
    expect(observations.find((o) => o.org === 'RAA' && o.metric === 'fds_total')!.row).toBe(13);
  });

  it('refuses a Frontpage that names another month than the sheets', async () => {
    await expectPlanwatchError(() => parse(cwtSheets('provider', 'Mar-25', 'April 2025')), 'E_VALUE', { file: PROVIDER, sheet: 'Frontpage' });
  });
});

describe('cwtCommissioner.parse(file) — ICBs and commissioning hubs', () => {
  it('lists ICBs by Q-code, hubs by their own codes, and England', async () => {
    const { observations, facts, summary } = await parse(cwtSheets('commissioner'), COMMISSIONER, cwtCommissioner);
    expect(summary).toEqual({ layout: 'cwt-commissioner-2023', periods: ['2025-03'], publication: { edition: 'final' } });
    expect(facts.map((f) => [f.org, f.level])).toEqual([['QAA', 'icb'], ['QBB', 'icb'], ['13Q', 'commissioner']]);
    expect(value(observations, 'ENG', 'fds_total')).toBe(700);
  });

  it('refuses a commissioner workbook whose name says provider, naming the column that shows it', async () => {
    await expectPlanwatchError(() => parse(cwtSheets('commissioner'), PROVIDER), 'E_HEADER',
      { file: PROVIDER, sheet: FDS, line: 9, column: 'ACCOUNTABLE PROVIDER' });
  });
});

describe('cwt.parse(file) — bad input is refused, naming file, sheet, row and column, and nothing is stored', () => {
  const fds = (sheets: Sheets) => sheets.get(FDS)!;
  const cases: [string, () => Promise<Uint8Array>, Parameters<typeof expectPlanwatchError>[1], Record<string, unknown>][] = [
    ['a workbook without the 62-day sheet', () => writeXlsx(edited((s) => s.delete(D62))), 'E_HEADER', { sheet: D62 }],
    ['a header missing a column', () => writeXlsx(edited((s) => (s.get(D62)![8]![6] = 'WITHIN 2 MONTHS'))), 'E_HEADER', { sheet: D62, line: 9, column: 'WITHIN 62 DAYS' }],
    ['a sheet with no header row', () => writeXlsx(edited((s) => (fds(s)[8]![1] = 'CODE'))), 'E_HEADER', { sheet: FDS, column: 'ODS CODE (1)' }],
    ['a sheet without its all-routes part', () => writeXlsx(edited((s) => (s.get(D31)![6]![0] = 'PART Z: SOMETHING ELSE'))), 'E_HEADER', { sheet: D31 }],
    ['text in a number', () => writeXlsx(edited((s) => (fds(s)[rowOf(fds(s), 'RBB')]![4] = 'n/a'))), 'E_NUMBER', { sheet: FDS, line: 11, column: 'TOTAL' }],
    ['a truncated workbook', async () => (await writeXlsx(cwtSheets())).slice(0, 3000), 'E_TRUNCATED', {}],
    ['an empty workbook', () => writeXlsx(new Map([...cwtSheets().keys()].map((name) => [name, []]))), 'E_EMPTY', { sheet: FDS }],
    ['a duplicate provider row', () => writeXlsx(edited((s) => fds(s).splice(11, 0, [...fds(s)[rowOf(fds(s), 'RAA')]!]))), 'E_DUPLICATE', { sheet: FDS, line: 12, column: 'ODS CODE (1)' }],
    ['a sheet cut short before its England row', () => writeXlsx(edited((s) => s.set(FDS, fds(s).slice(0, 12)))), 'E_TRUNCATED', { sheet: FDS, line: 13 }],
    ['an England row that is not the sum of the providers', () => writeXlsx(edited((s) => fds(s)[13]!.splice(5, 2, 564, 136))), 'E_TOTAL_MISMATCH', { sheet: FDS, line: 14, column: 'WITHIN 28 DAYS' }],
    ['counts that do not add up', () => writeXlsx(edited((s) => (fds(s)[rowOf(fds(s), 'RAA')]![6] = 91))), 'E_VALUE', { sheet: FDS, line: 10, column: 'TOTAL' }],
    ['a route part where the all-routes part should be', () => writeXlsx(edited((s) => (s.get(D62)![9]![3] = 'Screening'))), 'E_VALUE', { sheet: D62, line: 10, column: 'REFERRAL ROUTE' }],
    ['a sheet without its month label', () => writeXlsx(edited((s) => (s.get(D31)![1]![0] = null))), 'E_VALUE', { sheet: D31, line: 2 }],
  ];

  it.each(cases)('refuses %s', async (_, bytes, code, at) => {
    const data = await bytes();
    await expectPlanwatchError(() => collect(cwt.parse(sourceFile(PROVIDER, data), cwt.options.parse({}))), code, { file: PROVIDER, ...at });
    const store = await memoryStore();
    await ingestFile(store, { name: 'FEBRUARY-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx', bytes: await writeXlsx(cwtSheets('provider', 'Feb-25', 'February 2025')) });
    const before = await rowCounts(store);
    await expectPlanwatchError(() => ingestFile(store, { name: PROVIDER, bytes: data }), code, { file: PROVIDER });
    expect(await rowCounts(store)).toEqual(before);
  });
});
