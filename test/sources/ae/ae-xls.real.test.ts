import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureSeries } from '../../../src/measures/query.js';
import { ae } from '../../../src/sources/ae/index.js';
import type { Observation, ParseSummary } from '../../../src/sources/contract.js';
import { ingestPath } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { collect } from '../../helpers/fixtures.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';
import { memoryStore } from '../../helpers/store.js';

/**
 * NHS England's monthly A&E provider workbooks (.xls), July 2015 – November 2019 (data README
 * §9), on their own, against the provider CSVs of the same months, and in the store with every
 * other A&E file. Expected figures are read from the workbooks' own England rows with SheetJS
 * directly, independently of the parser.
 */

const workbooks = realDataDir ? readdirSync(realPath('ae_monthly_xls')).filter((name) => name.endsWith('.xls')).sort() : [];
const csvs = realDataDir ? readdirSync(realPath('ae_monthly')).filter((name) => name.endsWith('.csv')).sort() : [];

/**
 * Each file parsed once for the whole file's tests: SheetJS takes about a second a workbook, and
 * three tests read the same fifty.
 */
const parsed = new Map<string, ReturnType<typeof parse>>();
function parse(folder: string, name: string) {
  const bytes = new Uint8Array(readFileSync(realPath(folder, name)));
  return collect(ae.parse({ name, bytes, sha256: '' }, ae.options.parse({})));
}
function parseOnce(folder: string, name: string): ReturnType<typeof parse> {
  const key = `${folder}/${name}`;
  let result = parsed.get(key);
  if (!result) parsed.set(key, (result = parse(folder, name)));
  return result;
}

async function observationsOf(folder: string, name: string): Promise<Observation[]> {
  const { items } = await parseOnce(folder, name);
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}

/** England's published "Percentage in 4 hours or less (all)" on the workbook's England row. */
function publishedEnglandShare(name: string): number {
  const XLSX = createRequire(import.meta.url)('@e965/xlsx') as typeof import('@e965/xlsx');
  const workbook = XLSX.read(readFileSync(realPath('ae_monthly_xls', name)), { type: 'buffer' });
  const sheet = workbook.Sheets[workbook.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
  const header = rows.find((row) => row.includes('Code'))!;
  const england = rows.find((row) => row.includes('England'))!;
  return england[header.indexOf('Percentage in 4 hours or less (all)')] as number;
}

describe.skipIf(!realDataDir)('A&E provider workbooks (.xls) on the real NHS England files', () => {
  it('reads all 50 workbooks, each in the layout of its era, each England row equal to its providers', async () => {
    expect(workbooks).toHaveLength(50);
    const layouts = new Map<string, string[]>();
    for (const name of workbooks) {
      const { summary } = await parseOnce('ae_monthly_xls', name);
      expect(summary.periods, name).toEqual([name.slice(0, 7)]);
      layouts.set(summary.layout, [...(layouts.get(summary.layout) ?? []), name.slice(0, 7)]);
    }
    const span = (layout: string) => [layouts.get(layout)?.[0], layouts.get(layout)?.at(-1), layouts.get(layout)?.length];
    expect(span('ae-xls-2015')).toEqual(['2015-07', '2016-12', 18]);
    expect(span('ae-xls-2017')).toEqual(['2017-01', '2017-03', 3]);
    expect(span('ae-xls-2017-04')).toEqual(['2017-04', '2018-03', 11]);
    expect(span('ae-xls-2018')).toEqual(['2018-04', '2019-11', 18]);
  });

  it('dates every workbook from its own "Published:" and "Revised:" rows', async () => {
    const said = new Map<string, unknown>();
    for (const name of workbooks) {
      const { summary } = await parseOnce('ae_monthly_xls', name);
      said.set(name, (summary as ParseSummary).publication);
    }
    expect([...said.values()].every((publication) => (publication as { source?: string }).source === 'file')).toBe(true);
    // As the cover rows read: July 2015 "Revised: 11th Febuary 2016" (sic); November 2019
    // "Published: 12th December 2019", "Revised: 13th August 2020".
    expect(said.get('2015-07_15-jul.xls')).toEqual({ published: '2016-02-11', edition: 'revised', source: 'file' });
    expect(said.get('2019-11_19-nov.xls')).toEqual({ published: '2020-08-13', edition: 'revised', source: 'file' });
  });

  it('gives the same figures as the provider CSV in every month held as both (March 2019 onwards)', async () => {
    const both = workbooks.filter((name) => csvs.some((csv) => csv.slice(0, 7) === name.slice(0, 7)));
    expect(both.map((name) => name.slice(0, 7))).toEqual(['2019-03', '2019-04', '2019-06', '2019-07', '2019-08', '2019-09', '2019-10', '2019-11']);
    for (const name of both) {
      const csv = csvs.find((file) => file.slice(0, 7) === name.slice(0, 7))!;
      const key = (o: Observation) => `${o.org} ${o.metric}`;
      const fromCsv = new Map((await observationsOf('ae_monthly', csv)).map((o) => [key(o), o.value]));
      const fromXls = new Map((await observationsOf('ae_monthly_xls', name)).map((o) => [key(o), o.value]));
      expect(fromXls.size, name).toBeGreaterThan(2000);
      expect([...fromXls.keys()].sort(), name).toEqual([...fromCsv.keys()].sort());
      const differing = [...fromXls].filter(([k, value]) => fromCsv.get(k) !== value).map(([k, value]) => `${k}: xls ${value}, csv ${fromCsv.get(k)}`);
      expect(differing, `${name} against ${csv}`).toEqual([]);
    }
  });

  describe('in the store with every A&E file', () => {
    let store: Store;
    beforeAll(async () => {
      store = await memoryStore();
      const files = [
        ...workbooks.map((name) => realPath('ae_monthly_xls', name)),
        ...csvs.map((name) => realPath('ae_monthly', name)),
        // Ingested last on purpose: the NHS-R tidy file must not displace NHS England's own files.
        realPath('ae_nhsrdatasets', 'ae_attendances_2016-04_to_2019-03.csv'),
      ];
      for (const file of files) expect((await ingestPath(store, file)).status, path.basename(file)).toBe('ingested');
    }, 600_000);

    it('gives England an ae_4hr series from July 2015, the NHS-R file filling only months no NHS England file covers', async () => {
      const series = await measureSeries(store, measureById('ae_4hr'), 'ENG');
      expect(series[0]!.period).toBe('2015-07');
      expect(series.filter((p) => p.value === null).map((p) => p.period)).toEqual(['2019-12', '2022-06', '2023-12', '2024-01', '2024-02', '2024-03']);
      const sources = await store.all<{ period: string; name: string }>(
        `SELECT p.period, f.name FROM file_periods p JOIN files f USING (file_id)
         WHERE p.collection = 'ae' AND p.superseded_by IS NULL AND p.period < '2019-12' ORDER BY p.period`);
      const fromNhsr = sources.filter((s) => s.name.startsWith('ae_attendances')).map((s) => s.period);
      expect(fromNhsr).toEqual(['2017-12', '2019-01']);
    });

    it.each(['2015-07', '2016-12', '2017-04', '2018-04', '2019-02', '2019-06', '2019-11'])(
      'matches the England 4-hour percentage the %s workbook publishes',
      async (period) => {
        const name = workbooks.find((file) => file.startsWith(period))!;
        const [point] = await measureSeries(store, measureById('ae_4hr'), 'ENG', { from: period, to: period });
        expect(point!.value! / 100).toBeCloseTo(publishedEnglandShare(name), 9);
      },
    );

    it('leaves the field-testing trusts out of England from May 2019, as the workbooks do', async () => {
      const [june] = await measureSeries(store, measureById('ae_4hr'), 'ENG', { from: '2019-06', to: '2019-06' });
      expect(june!.excluded).toHaveLength(14);
    });
  });
});
