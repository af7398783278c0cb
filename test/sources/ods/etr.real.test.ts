import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOrg, getSeries } from '../../../src/assessment/index.js';
import { listOrgs } from '../../../src/assessment/index.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues, unplacedOrgs } from '../../../src/measures/query.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

const FY_2024_25 = ['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];

/** etr.csv read independently of the plugin: code → ICB, open and close dates. */
function readEtr(): Map<string, { icb: string; opened: string; closed: string }> {
  const rows = readFileSync(realPath('ods', 'etr.csv'), 'utf8').trim().split(/\r?\n/).map((line) => line.slice(1, -1).split('","'));
  return new Map(rows.map((cells) => [cells[0]!, { icb: cells[3]!, opened: cells[10]!, closed: cells[11]! }]));
}

describe.skipIf(!realDataDir)('ODS etr.csv with the A&E provider CSVs (real files)', () => {
  let store: Store;
  const aeFiles = realDataDir ? readdirSync(realPath('ae_monthly')).filter((name) => FY_2024_25.some((month) => name.startsWith(month)) || /^202(0-1[0-2]|1-)/.test(name)) : [];
  beforeAll(async () => {
    store = await Store.open(':memory:');
    for (const name of aeFiles) await ingestPath(store, realPath('ae_monthly', name));
    await ingestPath(store, realPath('ods', 'etr.csv'));
  });
  afterAll(() => store.close());

  it('places every A&E organisation of 2024/25 in the ICB etr.csv gives it, or lists it as unplaced', async () => {
    const etr = readEtr();
    const measure = measureById('ae_4hr');
    for (const period of FY_2024_25) {
      const providers = await store.all<{ org: string }>("SELECT DISTINCT org FROM current_observations WHERE collection = 'ae' AND period = $1 ORDER BY org", [period]);
      const icbs = await measureValues(store, measure, { level: 'icb', from: period, to: period });
      const placed = new Map(icbs.flatMap((icb) => [...(icb.members ?? []), ...(icb.excluded ?? [])].map((org) => [org, icb.org] as const)));
      const unplaced = new Set(await unplacedOrgs(store, measure, 'icb', period));
      for (const { org } of providers) {
        const entry = etr.get(org);
        const open = entry && entry.icb && entry.opened.slice(0, 6) <= period.replace('-', '') && (!entry.closed || entry.closed.slice(0, 6) >= period.replace('-', ''));
        if (open) expect(placed.get(org), `${org} in ${period}`).toBe(entry.icb);
        else expect(unplaced.has(org), `${org} in ${period} should be listed as unplaced`).toBe(true);
      }
      expect(placed.size + unplaced.size).toBe(providers.length);
    }
  });

  it('makes each ICB\'s 4-hour figure the sum over the trusts it lists', async () => {
    const measure = measureById('ae_4hr');
    const trusts = new Map((await measureValues(store, measure, { level: 'provider', from: '2025-03', to: '2025-03' })).map((v) => [v.org, v]));
    const icbs = await measureValues(store, measure, { level: 'icb', from: '2025-03', to: '2025-03' });
    expect(icbs).toHaveLength(42);
    for (const icb of icbs) {
      const members = icb.members!.map((org) => trusts.get(org)!);
      const numerator = members.reduce((sum, v) => sum + v.numerator!, 0);
      const denominator = members.reduce((sum, v) => sum + v.denominator!, 0);
      expect(icb.numerator).toBe(numerator);
      expect(icb.denominator).toBe(denominator);
      expect(icb.value).toBeCloseTo((100 * numerator) / denominator, 10);
    }
    const qrl = await getSeries(store, 'QRL', 'ae_4hr', { from: '2025-03', to: '2025-03' });
    const etr = readEtr();
    const hampshire = [...trusts.keys()].filter((org) => etr.get(org)?.icb === 'QRL' && !etr.get(org)?.closed).sort();
    expect(qrl.points[0]!.members).toEqual(hampshire);
    expect(qrl.unplaced?.orgs.length).toBeGreaterThan(0);
  });

  it('reaches RW6\'s history from both its successors', async () => {
    const manchester = await describeOrg(store, 'R0A');
    const northernCare = await describeOrg(store, 'RM3');
    expect(manchester.predecessors).toEqual([{ code: 'RW6', name: 'PENNINE ACUTE HOSPITALS NHS TRUST', from: '2021-04' }]);
    expect(northernCare.predecessors).toEqual([{ code: 'RW6', name: 'PENNINE ACUTE HOSPITALS NHS TRUST', from: '2021-10' }]);
    expect((await describeOrg(store, 'RW6')).successors?.map((s) => s.code)).toEqual(['R0A', 'RM3']);
    const series = await getSeries(store, 'RM3', 'ae_4hr', { withPredecessors: true });
    const pennine = series.predecessors![0]!;
    expect(pennine.points.at(-1)!.period).toBe('2021-09');
    expect(pennine.points.some((p) => p.value !== null)).toBe(true);
    expect(series.rebase).toEqual([{ period: '2021-10', reason: expect.stringContaining('RW6') }]);
  });

  it('lists trusts with their ODS dates, ICBs and successors', async () => {
    const [rw6] = await listOrgs(store, { search: 'RW6' });
    expect(rw6).toMatchObject({ code: 'RW6', level: 'trust', opened: '2002-04-01', closed: '2021-09-30' });
    expect(rw6?.successors?.map((s) => s.code)).toEqual(['R0A', 'RM3']);
    const icbs = await listOrgs(store, { level: 'icb' });
    expect(icbs).toHaveLength(42);
  });
});

describe.skipIf(!realDataDir)('evidence for the known successions (real files)', () => {
  const typeOne = (month: string, org: string): number | undefined => {
    const name = readdirSync(realPath('ae_monthly')).find((file) => file.startsWith(month))!;
    const line = readFileSync(realPath('ae_monthly', name), 'utf8').split(/\r?\n/).find((row) => row.split(',')[1] === org);
    return line ? Number(line.split(',')[4]) : undefined;
  };

  it('RW6 closed on 30 September 2021 and R0D opened as RDZ and RD3 closed (etr.csv)', () => {
    const etr = readEtr();
    expect(etr.get('RW6')?.closed).toBe('20210930');
    expect([etr.get('RDZ')?.closed, etr.get('RD3')?.closed, etr.get('R0D')?.opened]).toEqual(['20200930', '20200930', '20201001']);
    expect([etr.get('RE9')?.closed, etr.get('RLN')?.closed, etr.get('R0B')?.opened]).toEqual(['20190331', '20190331', '20190401']);
  });

  it('RW6 type 1 attendances moved to R0A in April 2021 and to RM3 in October 2021 (A&E CSVs)', () => {
    expect([typeOne('2021-03', 'R0A'), typeOne('2021-04', 'R0A')]).toEqual([18277, 27732]);
    expect([typeOne('2021-03', 'RW6'), typeOne('2021-04', 'RW6')]).toEqual([22024, 14486]);
    expect([typeOne('2021-09', 'RM3'), typeOne('2021-10', 'RM3')]).toEqual([8941, 25626]);
    expect(typeOne('2021-10', 'RW6')).toBeUndefined();
  });
});
