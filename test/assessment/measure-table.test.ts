import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMeasureValues } from '../../src/assessment/measure-table.js';
import { getSignals } from '../../src/assessment/signals.js';
import { measureById } from '../../src/measures/index.js';
import { computeMeasureValues, measureValues } from '../../src/measures/query.js';
import { ingestFile } from '../../src/store/ingest.js';
import { pendingMarks } from '../../src/store/measure-table.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Store } from '../../src/store/store.js';
import { ingestFixture, memoryStore } from '../helpers/org-store.js';
import { syntheticAeMonth, syntheticStore } from '../helpers/synthetic-ae.js';
import { writeWorkbook } from '../helpers/xlsx.js';
import { incompleteProviderSheets } from '../fixtures/rtt/synthetic-incomplete-provider.js';
import { MONTHS, timeseriesSheet } from '../fixtures/rtt/synthetic-overview-timeseries.js';

type Row = Record<string, unknown> & { measure: string; period: string };

async function tableRows(store: Store): Promise<Row[]> {
  return store.all<Row>('SELECT * FROM measure_values ORDER BY measure, level, org, period');
}

const LEVELS = ['trust', 'provider', 'icb', 'region', 'england'] as const;

async function expectTableMatchesLive(store: Store, metrics: readonly string[]): Promise<void> {
  for (const metric of metrics) {
    for (const level of LEVELS) {
      const measure = measureById(metric);
      expect(await measureValues(store, measure, { level }), `${metric} at ${level}`).toEqual(await computeMeasureValues(store, measure, { level }));
    }
  }
}

describe('refreshMeasureValues(store) on synthetic A&E months', () => {
  let store: Store;
  beforeAll(async () => {
    store = await syntheticStore(14, '2024-12');
    await refreshMeasureValues(store);
  });
  afterAll(() => store.close());

  it('stores what computing from current figures gives, at every level, and clears its marks', async () => {
    expect(await pendingMarks(store)).toEqual([]);
    expect((await tableRows(store)).length).toBeGreaterThan(0);
    await expectTableMatchesLive(store, ['ae_4hr', 'ae_attendances', 'ae_dta_12hr']);
  });

  it('ranks each month among the level\'s organisations and judges the target as the league does', async () => {
    const rows = await store.all<{ org: string; rank: number; ranked: number; value: number; target_met: boolean | null }>(
      `SELECT org, rank, ranked, value, target_met FROM measure_values WHERE measure = 'ae_4hr' AND level = 'trust' AND period = '2024-12' ORDER BY rank`);
    expect(rows.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    expect(rows.every((row) => row.ranked === 4)).toBe(true);
    const values = rows.map((row) => row.value);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });

  it('keeps each organisation\'s SPC window to its latest month', async () => {
    const spc = await store.one<{ periods: string[]; mean: number[] }>(`SELECT periods, mean FROM measure_spc WHERE measure = 'ae_4hr' AND level = 'trust' AND org = 'RAA'`);
    expect(spc!.periods.at(-1)).toBe('2024-12');
    expect(spc!.periods).toHaveLength(14);
    expect(spc!.mean.every((mean) => typeof mean === 'number')).toBe(true);
  });

  it('after a revision of one month, reads it live until the refresh, then changes only that month\'s rows', async () => {
    const before = await tableRows(store);
    const revised = syntheticAeMonth('2024-06', 40);
    const result = await ingestFile(store, { name: 'synthetic-ae-2024-06-revised.csv', bytes: new TextEncoder().encode(revised) });
    expect(result.changed).toEqual(['2024-06']);
    expect(await pendingMarks(store)).toEqual([{ collection: 'ae', period: '2024-06', rollups_only: false }]);
    // Marked: read live, so the revision shows at once.
    await expectTableMatchesLive(store, ['ae_4hr']);
    const live = (await measureValues(store, measureById('ae_4hr'), { level: 'england', from: '2024-06', to: '2024-06' }))[0]!;
    expect(live.value).not.toBe(before.find((row) => row.measure === 'ae_4hr' && row.level === 'england' && row.period === '2024-06')!.value);

    await refreshMeasureValues(store);
    const after = await tableRows(store);
    const others = (rows: Row[]) => rows.filter((row) => row.period !== '2024-06');
    expect(others(after)).toEqual(others(before));
    const month = (rows: Row[]) => rows.filter((row) => row.period === '2024-06');
    expect(month(after)).toHaveLength(month(before).length);
    expect(month(after)).not.toEqual(month(before));
    await expectTableMatchesLive(store, ['ae_4hr', 'ae_dta_12hr']);
  });

  it('keeps the signals of the store, as computing them afresh gives', async () => {
    const stored = await getSignals(store);
    await store.run(`INSERT INTO measure_pending VALUES ('ae', NULL, false)`);
    expect(JSON.parse(JSON.stringify(await getSignals(store)))).toEqual(JSON.parse(JSON.stringify(stored)));
    await refreshMeasureValues(store);
  });
});

// A synthetic A&E month (layout C header, made-up counts) for two trusts of the synthetic ODS extract.
const AE_HEADER = 'Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,A&E attendances Other A&E Department,A&E attendances Booked Appointments Type 1,A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over 4hrs Other Department,Attendances over 4hrs Booked Appointments Type 1,Attendances over 4hrs Booked Appointments Type 2,Attendances over 4hrs Booked Appointments Other Department,Patients who have waited 4-12 hs from DTA to admission,Patients who have waited 12+ hrs from DTA to admission,Emergency admissions via A&E - Type 1,Emergency admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other emergency admissions';
const aeRow = (org: string, name: string, attendances: number, over4: number) =>
  `MSitAE-JANUARY-2025,${org},NHS ENGLAND NORTH WEST,${name},${attendances},0,0,0,0,0,${over4},0,0,0,0,0,1,0,10,0,0,5`;
const AE_CSV = [AE_HEADER, aeRow('RZA', 'SYNTHETIC NORTH HOSPITALS NHS FOUNDATION TRUST', 1000, 300), aeRow('RZE', 'SYNTHETIC NEW NHS TRUST', 500, 50),
  'TOTAL,TOTAL,TOTAL,TOTAL,1500,0,0,0,0,0,350,0,0,0,0,0,2,0,20,0,0,10'].join('\n');

// A later synthetic ODS extract (a trust opened in March 2025 dates it) that moves RZE from QZB to QZA.
const LATER_ETR = [
  '"RZA","SYNTHETIC NORTH HOSPITALS NHS FOUNDATION TRUST","Y62","QZA","SYNTHETIC HOUSE","MADE-UP ROAD","","NOWHERE","","ZZ1 1ZZ","20171001","","","","","","","","","","","1","","B","","",""',
  '"RZE","SYNTHETIC NEW NHS TRUST","Y59","QZA","SYNTHETIC HOUSE","MADE-UP ROAD","","NOWHERE","","ZZ1 1ZZ","20241101","","","","","","","","","","","1","","B","","",""',
  '"RZF","SYNTHETIC NEWER NHS TRUST","Y59","QZB","SYNTHETIC HOUSE","MADE-UP ROAD","","NOWHERE","","ZZ1 1ZZ","20250301","","","","","","","","","","","1","","B","","",""',
  '',
].join('\n');

describe('refreshMeasureValues(store) after an ODS extract', () => {
  it('moves the ICB roll-ups of every collection to the new membership', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ods', 'synthetic-ods-etr.csv');
    await ingestFile(store, { name: 'Monthly-AE-January-2025.csv', bytes: new TextEncoder().encode(AE_CSV) });
    await refreshMeasureValues(store);
    const icbs = async () => (await measureValues(store, measureById('ae_attendances'), { level: 'icb' })).map((value) => [value.org, value.members]);
    expect(await icbs()).toEqual([['QZA', ['RZA']], ['QZB', ['RZE']]]);

    await ingestFile(store, { name: 'etr.csv', bytes: new TextEncoder().encode(LATER_ETR) });
    expect(await pendingMarks(store)).toContainEqual({ collection: '*', period: null, rollups_only: true });
    await refreshMeasureValues(store);
    expect(await pendingMarks(store)).toEqual([]);
    expect(await icbs()).toEqual([['QZA', ['RZA', 'RZE']]]);
    await expectTableMatchesLive(store, ['ae_4hr', 'ae_attendances']);
    store.close();
  });
});

describe('refreshMeasureValues(store) with NHS England\'s published England RTT series', () => {
  const RTT = ['rtt_18wk', 'rtt_52wk_share', 'rtt_waiting', 'rtt_median_weeks', 'rtt_p92_weeks'];
  const series = (months: typeof MONTHS, to: string) => writeWorkbook([timeseriesSheet({ months, coverTo: to, rows: (rows) => [...rows, [null, 'Notes:']] })]);
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
    await ingestFile(store, { name: 'Incomplete-Provider-Nov24-synthetic.xlsx', bytes: await writeWorkbook(incompleteProviderSheets()) });
    await ingestFile(store, { name: 'RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Mar24-XLS-114K-synthetic.xlsx', bytes: await series(MONTHS, 'March 2024') });
    await refreshMeasureValues(store);
  });
  afterAll(() => store.close());

  const england = async () => store.all<Row>(`SELECT * FROM measure_values WHERE level = 'england' AND measure LIKE 'rtt%' ORDER BY measure, period`);

  it('stores England\'s rows merged with the published series, as computing them live gives', async () => {
    await expectTableMatchesLive(store, RTT);
    const rows = await england();
    // Published months say so and are not sums; the extract's month is the providers' sum, saying so too.
    expect(rows.filter((row) => row.measure === 'rtt_waiting').map((row) => [row.period, row.rolled_up, row.includes_estimates])).toEqual([
      ['2024-01', false, true], ['2024-02', false, true], ['2024-03', false, true], ['2024-11', true, null],
    ]);
    expect(rows.every((row) => typeof row.basis === 'string')).toBe(true);
  });

  it('reads England live once a newer series is ingested, and stores it merged after the refresh', async () => {
    // March revised (500 more waiting) in the next month's edition, which adds April.
    const revised = [
      ...MONTHS.map((month, i) => (i === MONTHS.length - 1 ? { ...month, total: month.total + 500 } : month)),
      { month: new Date(Date.UTC(2024, 3, 1)), year: '2024/25', total: 1300, within18: 720, over52: 35, median: 13, p92: 44 },
    ];
    await ingestFile(store, { name: 'RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Apr24-XLS-114K-synthetic.xlsx', bytes: await series(revised, 'April 2024') });
    expect(await pendingMarks(store)).not.toEqual([]);
    const before = (await england()).find((row) => row.measure === 'rtt_waiting' && row.period === '2024-03')!;
    const live = (await measureValues(store, measureById('rtt_waiting'), { level: 'england', from: '2024-03', to: '2024-03' }))[0]!;
    expect(live.value).toBe(1200 + 500);
    expect(before.value).toBe(1200);
    await refreshMeasureValues(store);
    expect((await england()).find((row) => row.measure === 'rtt_waiting' && row.period === '2024-03')!.value).toBe(1200 + 500);
    await expectTableMatchesLive(store, RTT);
  });
});

describe('Store.open(a store whose measure values an older version made)', () => {
  it('marks every roll-up to be made again, since England\'s rows now hold the published series', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-measure-table-'));
    const file = path.join(dir, 'old.duckdb');
    try {
      const old = await Store.open(file);
      await old.run(`INSERT OR REPLACE INTO meta VALUES ('measure_table', '1')`);
      old.close();
      const reopened = await Store.open(file);
      expect(await pendingMarks(reopened)).toEqual([{ collection: '*', period: null, rollups_only: true }]);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
