import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOrg } from '../../../src/assessment/index.js';
import { listOrgs } from '../../../src/assessment/index.js';
import { ICB_MERGERS_2026, isIcbCode } from '../../../src/sources/icbs.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

/** A headerless, fully quoted ODS CSV read independently of the plugin. */
function rows(name: string): string[][] {
  return readFileSync(realPath('ods', name), 'utf8').trim().split(/\r?\n/).map((line) => line.slice(1, -1).split('","'));
}

describe.skipIf(!realDataDir)('ODS: the April 2026 ICB mergers (real etr.csv vintages and succ.csv)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    // The newer extract first: the older one, ingested after it, must not win.
    await ingestPath(store, realPath('ods', '2026-06_etr.csv'));
    await ingestPath(store, realPath('ods', 'etr.csv'));
    await ingestPath(store, realPath('ods', '2026-04_succ.csv'));
  });
  afterAll(() => store.close());

  async function icbIn(org: string, period: string): Promise<string[]> {
    const found = await store.all<{ target: string }>(
      `SELECT target FROM current_org_links WHERE relation = 'parent' AND level = 'icb' AND org = $1
         AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to >= $2)`, [org, period]);
    return found.map((row) => row.target);
  }

  it('lists exactly the ICB successions of 1 April 2026 that succ.csv records', () => {
    const fromFile = rows('2026-04_succ.csv')
      .filter((cells) => cells[3] === '20260401' && isIcbCode(cells[0]!) && /^(Q..|[A-Z]\d[A-Z]\d[A-Z])$/.test(cells[1]!))
      .map((cells) => `${cells[0]}>${cells[1]}`).sort();
    const cited = ICB_MERGERS_2026.flatMap((m) => m.predecessors.map((p) => `${p}>${m.icb}`)).sort();
    expect(cited).toEqual(fromFile);
  });

  it('places each trust in its old ICB to March 2026 and in the merged board from April 2026', async () => {
    const before = new Map(rows('etr.csv').map((cells) => [cells[0]!, cells[3]!]));
    const merged = new Set(ICB_MERGERS_2026.map((m) => m.icb));
    const moved = rows('2026-06_etr.csv').filter((cells) => merged.has(cells[3]!) && cells[3] !== 'QRL' && cells[10]! < '20260401' && (!cells[11] || cells[11] >= '20260430'));
    expect(moved.length).toBeGreaterThan(40);
    for (const cells of moved) {
      const [org, , , icb] = cells as [string, string, string, string];
      expect(await icbIn(org, '2026-03'), `${org} in March 2026`).toEqual([before.get(org)]);
      expect(await icbIn(org, '2026-04'), `${org} in April 2026`).toEqual([icb]);
    }
    // 15 open London trusts sit in NHS West and North London ICB (Z9B2Z), from NCL (QMJ) and NWL (QRV).
    const london = moved.filter((cells) => cells[3] === 'Z9B2Z');
    expect(new Set(london.map((cells) => before.get(cells[0]!)))).toEqual(new Set(['QMJ', 'QRV']));
  });

  it('says when a merged board was formed and from which ICBs', async () => {
    const z9 = await describeOrg(store, 'Z9B2Z');
    expect(z9.level).toBe('icb');
    expect(z9.predecessors?.map((p) => [p.code, p.from])).toEqual([['QMJ', '2026-04'], ['QRV', '2026-04']]);
    const listing = (await listOrgs(store, { level: 'icb' })).find((row) => row.code === 'D7T5G');
    expect(listing?.formed).toEqual({ from: '2026-04', predecessors: ['QH8', 'QJG', 'QM7'] });
  });

  it('reads trust successions from succ.csv beside the cited list', async () => {
    const rw6 = await store.all<{ target: string; valid_from: string }>(
      "SELECT DISTINCT target, valid_from FROM current_org_links WHERE relation = 'successor' AND org = 'RW6' ORDER BY valid_from, target");
    // succ.csv dates both RW6 successions to October 2021; the cited list keeps the April 2021
    // transfer of North Manchester General Hospital to R0A that the A&E figures show.
    expect(rw6).toEqual([
      { target: 'R0A', valid_from: '2021-04' },
      { target: 'R0A', valid_from: '2021-10' },
      { target: 'RM3', valid_from: '2021-10' },
    ]);
    // An organisation page counts each succession once, from its first month.
    // succ.csv also gives R0A's formation in October 2017 from RM2 and RW3.
    expect((await describeOrg(store, 'R0A')).predecessors?.map((p) => [p.code, p.from])).toEqual([['RM2', '2017-10'], ['RW3', '2017-10'], ['RW6', '2021-04']]);
  });
});
