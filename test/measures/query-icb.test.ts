import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOrg, getLeague, getSeries, getStatus } from '../../src/assessment/index.js';
import { listOrgs } from '../../src/assessment/index.js';
import { measureById } from '../../src/measures/index.js';
import { measureValues, unplacedOrgs } from '../../src/measures/query.js';
import { ingestFile } from '../../src/store/ingest.js';
import type { Store } from '../../src/store/store.js';
import { syntheticAmbsysWorkbook } from '../helpers/ambsys-workbook.js';
import { ingestFixture, memoryStore } from '../helpers/org-store.js';

// A synthetic A&E month (layout C header, made-up counts): an ODS trust in ICB QZB, a trust ODS
// closed in September 2024 (so in no ICB in January 2025), and a provider ODS does not list.
const AE_HEADER = 'Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,A&E attendances Other A&E Department,A&E attendances Booked Appointments Type 1,A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over 4hrs Other Department,Attendances over 4hrs Booked Appointments Type 1,Attendances over 4hrs Booked Appointments Type 2,Attendances over 4hrs Booked Appointments Other Department,Patients who have waited 4-12 hs from DTA to admission,Patients who have waited 12+ hrs from DTA to admission,Emergency admissions via A&E - Type 1,Emergency admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other emergency admissions';
const aeRow = (org: string, parent: string, name: string, attendances: number, over4: number) =>
  `MSitAE-JANUARY-2025,${org},${parent},${name},${attendances},0,0,0,0,0,${over4},0,0,0,0,0,1,0,10,0,0,5`;
const AE_CSV = [
  AE_HEADER,
  aeRow('RZC', 'NHS ENGLAND SOUTH EAST', 'SYNTHETIC SOUTH NHS TRUST', 1000, 300),
  aeRow('RZE', 'NHS ENGLAND SOUTH EAST', 'SYNTHETIC NEW NHS TRUST', 500, 50),
  aeRow('NZZ01', 'NHS ENGLAND SOUTH EAST', 'SYNTHETIC INDEPENDENT UTC', 200, 10),
  'TOTAL,TOTAL,TOTAL,TOTAL,1700,0,0,0,0,0,360,0,0,0,0,0,3,0,30,0,0,15',
].join('\n');

describe('ICB roll-ups over ODS links and AmbSYS shares (synthetic)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
    await ingestFixture(store, 'ods', 'synthetic-ods-etr.csv');
    await ingestFile(store, { name: 'Monthly-AE-January-2025.csv', bytes: new TextEncoder().encode(AE_CSV) });
    await ingestFile(store, { name: 'AmbSYS.xlsx', bytes: await syntheticAmbsysWorkbook() });
  });
  afterAll(() => store.close());

  it('sums an ICB\'s trusts as ODS places them, naming the members', async () => {
    const [icb] = await measureValues(store, measureById('ae_4hr'), { level: 'icb', orgs: ['QZB'] });
    expect(icb).toMatchObject({ org: 'QZB', period: '2025-01', numerator: 450, denominator: 500, members: ['RZE'] });
    expect(icb!.value).toBeCloseTo(90, 10);
  });

  it('lists the providers ODS places in no ICB', async () => {
    expect(await unplacedOrgs(store, measureById('ae_4hr'), 'icb', '2025-01')).toEqual(['NZZ01', 'RZC']);
    const league = await getLeague(store, 'ae_4hr', { level: 'icb', period: '2025-01' });
    expect(league.unplaced).toEqual(['NZZ01', 'RZC']);
    expect(league.rows.map((row) => [row.org, row.name])).toEqual([['QZB', 'NHS Synthetic South']]);
  });

  it('mixes ambulance services\' means into an ICB by their shares, never ODS\'s host ICB', async () => {
    const [north] = await measureValues(store, measureById('amb_c2_mean'), { level: 'icb', orgs: ['QZA'], from: '2025-01', to: '2025-01' });
    // RZA: 540000×3 s over 300×3 incidents (1800 s); RZB: 240000×3 s over 100×3 (2400 s); shares 0.75 / 0.25.
    expect(north!.value).toBeCloseTo(0.75 * 1800 + 0.25 * 2400, 6);
    expect(north).toMatchObject({ members: ['RZA', 'RZB'], apportioned: true });
    // Counts cannot be apportioned by these shares, so ICBs get none.
    expect(await measureValues(store, measureById('amb_c2_incidents'), { level: 'icb' })).toEqual([]);
  });

  it('counts each ambulance service once in England, however many ICBs it serves', async () => {
    const [england] = await measureValues(store, measureById('amb_c2_incidents'), { level: 'england', from: '2025-01', to: '2025-01' });
    expect(england).toMatchObject({ value: 1200, members: ['RZA', 'RZB'] });
  });

  it('gives ICB series their name, members and the unplaced providers', async () => {
    const series = await getSeries(store, 'QZB', 'ae_4hr');
    expect(series.org).toMatchObject({ code: 'QZB', name: 'NHS Synthetic South', level: 'icb' });
    expect(series.unplaced).toEqual({ period: '2025-01', orgs: ['NZZ01', 'RZC'] });
  });

  it('knows an ambulance service as an ambulance trust and lists its targets', async () => {
    const org = await describeOrg(store, 'RZA');
    expect(org.level).toBe('ambulance_trust');
    const status = await getStatus(store, 'RZA', { period: '2025-01' });
    expect(status.lines.map((line) => line.metric)).toContain('amb_c2_mean');
    expect(status.lines.map((line) => line.metric)).not.toContain('ae_4hr');
  });

  it('reaches a predecessor from its successor, with a rebase marker', async () => {
    // synthetic-ods-etr.csv has no successions of its own; RZB → RZA comes from the successor file.
    await ingestFixture(store, 'ods', 'synthetic-ods-succ.csv');
    const successor = await describeOrg(store, 'RZE');
    expect(successor.predecessors).toEqual([{ code: 'RZC', name: 'SYNTHETIC SOUTH NHS TRUST', from: '2024-10' }]);
    const series = await getSeries(store, 'RZE', 'ae_4hr', { withPredecessors: true });
    expect(series.rebase).toEqual([{ period: '2024-10', reason: 'SYNTHETIC SOUTH NHS TRUST (RZC) services joined SYNTHETIC NEW NHS TRUST (RZE)' }]);
  });

  it('lists organisations by level and search text', async () => {
    const trusts = await listOrgs(store, { level: 'trust', search: 'synthetic' });
    expect(trusts.map((row) => [row.code, row.level, row.icb ?? null])).toEqual([
      ['RZA', 'ambulance_trust', 'QZA'], ['RZB', 'ambulance_trust', null], ['RZC', 'trust', 'QZB'], ['RZD', 'trust', null], ['RZE', 'trust', 'QZB'],
    ]);
    expect((await listOrgs(store, { level: 'icb' })).map((row) => [row.code, row.name, row.region ?? null])).toEqual([
      ['QZA', 'NHS Synthetic North', 'Y62'], ['QZB', 'NHS Synthetic South', 'Y59'],
    ]);
  });
});
