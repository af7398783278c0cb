import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOrg, getStatus } from '../../../src/assessment/index.js';
import { measureById } from '../../../src/measures/index.js';
import { measureSeries, measureValues, unplacedOrgs } from '../../../src/measures/query.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

const EXTRACT = ['rtt', 'full_extract', '2026-04_20260430-RTT-April-2026-full-extract.csv.zip'];
/** England's incomplete pathways, Part_2 C_999 summed over every row (data README §10). */
const ENGLAND_APRIL_2026 = 7_123_980;
const APRIL = { from: '2026-04', to: '2026-04' };
const TIMESERIES = ['rtt', 'overview_timeseries', '2025-12_RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Dec25-XLS-115K-6jPlxd.xlsx'];

describe.skipIf(!realDataDir)('RTT full CSV extract, every provider, April 2026 (real data)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestPath(store, realPath(...EXTRACT));
    for (const name of ['etr.csv', '2026-06_etr.csv', '2026-04_succ.csv']) await ingestPath(store, realPath('ods', name));
    await ingestPath(store, realPath(...TIMESERIES));
  }, 600_000);
  afterAll(() => store.close());

  it('is claimed inside a zip that also carries a __MACOSX entry', () => {
    const head = readHead('extract.zip', readFileSync(realPath(...EXTRACT)));
    expect(claim(head).plugin.id).toBe('rtt');
    expect(head.member).toBe('20260430-RTT-April-2026-full-extract.csv');
  });

  it("gives England's waiting list as the data README's check value, the sum over every provider", async () => {
    const [england] = await measureValues(store, measureById('rtt_waiting'), { level: 'england', ...APRIL });
    expect(england!.value).toBe(ENGLAND_APRIL_2026);
    const providers = await measureValues(store, measureById('rtt_waiting'), { level: 'provider', ...APRIL });
    expect(providers.length).toBe(528);
    expect(providers.reduce((sum, p) => sum + p.value!, 0)).toBe(ENGLAND_APRIL_2026);
  });

  for (const level of ['region', 'icb'] as const) {
    it(`splits England into ${level}s and the providers no ${level} contains, losing nobody`, async () => {
      const measure = measureById('rtt_waiting');
      const areas = await measureValues(store, measure, { level, ...APRIL });
      const unplaced = new Set(await unplacedOrgs(store, measure, level, '2026-04'));
      const providers = await measureValues(store, measure, { level: 'provider', ...APRIL });
      const outside = providers.filter((p) => unplaced.has(p.org)).reduce((sum, p) => sum + p.value!, 0);
      expect(areas.reduce((sum, a) => sum + a.value!, 0) + outside).toBe(ENGLAND_APRIL_2026);
      if (level === 'region') expect(areas).toHaveLength(7);
    });
  }

  it('rolls April 2026 up by the ICBs in force then: the merged boards, not their predecessors', async () => {
    const icbs = new Map((await measureValues(store, measureById('rtt_waiting'), { level: 'icb', ...APRIL })).map((v) => [v.org, v]));
    for (const merged of ['Z9B2Z', 'S9B9J', 'S1Y5D', 'S0E4D', 'D7T5G', 'T6Y0W']) expect(icbs.get(merged)?.value, merged).toBeGreaterThan(0);
    for (const old of ['QMJ', 'QRV', 'QH8', 'QNX']) expect(icbs.has(old), old).toBe(false);
    const z9 = icbs.get('Z9B2Z')!;
    const trusts = new Map((await measureValues(store, measureById('rtt_waiting'), { level: 'provider', orgs: z9.members!, ...APRIL })).map((v) => [v.org, v.value!]));
    expect(z9.members).toContain('RAL');
    expect(z9.value).toBe([...trusts.values()].reduce((a, b) => a + b, 0));
    expect((await describeOrg(store, 'Z9B2Z')).name).toBe('NHS WEST AND NORTH LONDON INTEGRATED CARE BOARD');
  });

  it('gives England every RTT measure, the percentiles from the summed bands', async () => {
    const value = async (id: string) => (await measureValues(store, measureById(id), { level: 'england', ...APRIL }))[0]!;
    const within = await value('rtt_18wk');
    expect(within.denominator).toBe(ENGLAND_APRIL_2026);
    expect(within.value).toBeCloseTo((100 * within.numerator!) / ENGLAND_APRIL_2026, 10);
    const counts: number[] = [];
    for (const weeks of [52, 65, 78, 104]) counts.push((await value(`rtt_${weeks}wk`)).value!);
    expect(counts.every((count, i) => count > 0 && (i === 0 || count <= counts[i - 1]!))).toBe(true);
    const median = (await value('rtt_median_weeks')).value!;
    const p92 = (await value('rtt_p92_weeks')).value!;
    expect(median).toBeGreaterThan(0);
    expect(p92).toBeGreaterThan(median);
    expect(p92).toBeLessThanOrEqual(104);
  });

  it('keeps the sum of providers for April 2026, which the overview timeseries (to December 2025) does not hold', async () => {
    const series = await measureSeries(store, measureById('rtt_waiting'), 'ENG', { from: '2025-12' });
    // No month is in both files: the timeseries ends in December 2025, the extract is April 2026.
    const april = series.find((point) => point.period === '2026-04')!;
    expect(april).toMatchObject({ value: ENGLAND_APRIL_2026, basis: expect.stringContaining('sum of the providers') });
    expect(april.includesEstimates).toBeUndefined();
    // December 2025: "Total waiting (mil) with estimates for missing data", row 237 of the timeseries.
    expect(series[0]).toMatchObject({ period: '2025-12', value: 7_290_880, includesEstimates: true });
    expect(series.filter((point) => point.period > '2025-12' && point.period < '2026-04').every((point) => point.value === null)).toBe(true);
  });

  it("shows England's April 2026 position against the RTT targets, and says when a trust's baseline month is not held", async () => {
    const england = await getStatus(store, 'ENG');
    const rtt = england.lines.filter((line) => line.metric === 'rtt_18wk');
    expect(rtt.some((line) => line.assessedPeriod === '2026-04' && line.value !== null)).toBe(true);
    // The timeseries gives England's 18-week share a history to project from.
    expect(rtt.some((line) => line.projection)).toBe(true);
    const trust = await getStatus(store, 'RAL');
    const relative = trust.lines.filter((line) => line.metric === 'rtt_18wk' && line.note?.includes('baseline month'));
    expect(relative.length).toBeGreaterThan(0);
    for (const line of relative) expect(line.note).toMatch(/baseline month \d{4}-\d{2} not held/);
  });
});
