import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerGroupMembers } from '../../src/assessment/peer-groups.js';
import { getPeerLeague } from '../../src/assessment/peer-league.js';
import { ingestPaths } from '../../src/cli/commands/ingest.js';
import { Store } from '../../src/store/store.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

/**
 * The peer groups on NHS England's real files: the A&E league's default compares only trusts
 * with a type 1 department, checked against the October 2025 CSV read here on its own.
 */
const MONTH = '2025-10';
const file = (folder: string, prefix: string) => realPath(folder, readdirSync(realPath(folder)).find((name) => name.startsWith(prefix))!);

describe.skipIf(!realDataDir)('peer groups on the real A&E, beds and ODS files', () => {
  let store: Store;
  let csv: Record<string, string>[];
  beforeAll(async () => {
    store = await Store.open(':memory:');
    const aeFile = file('ae_monthly', `${MONTH}_`);
    await ingestPaths(store, [file('ae_monthly', '2025-09_'), aeFile, file('beds_kh03', '2025-06_'), realPath('ods', 'etr.csv')]);
    csv = parse(readFileSync(aeFile), { bom: true, columns: true }) as Record<string, string>[];
  }, 300_000);
  afterAll(() => store?.close());

  const trustsWhere = (test: (row: Record<string, string>) => boolean) =>
    new Set(csv.filter((row) => /^[RT][A-Z0-9]{2}$/.test(row['Org Code']!) && test(row)).map((row) => row['Org Code']!));
  const attendances = (row: Record<string, string>, type: string) => Number(row[`A&E attendances ${type}`] || 0);

  it("holds no trust without a type 1 department in the A&E league's default group", async () => {
    const league = await getPeerLeague(store, 'ae_4hr');
    expect(league.period).toBe(MONTH);
    expect(league.peerGroup?.group).toBe('type1');
    const withType1 = trustsWhere((row) => attendances(row, 'Type 1') > 0);
    expect(withType1.size).toBeGreaterThan(100);
    expect(new Set(league.rows.map((row) => row.org))).toEqual(withType1);
    // Kent Community Health runs minor injury units only: in the all-trust table, not this one.
    expect(csv.find((row) => row['Org Code'] === 'RYY')).toBeDefined();
    expect(league.rows.some((row) => row.org === 'RYY')).toBe(false);
    const all = await getPeerLeague(store, 'ae_4hr', { peerGroup: 'all' });
    expect(all.rows.some((row) => row.org === 'RYY')).toBe(true);
    // Ranks are counted within the group: 1 to n without gaps (ties aside).
    expect(league.rows[0]!.rank).toBe(1);
    expect(Math.max(...league.rows.map((row) => row.rank ?? 0))).toBeLessThanOrEqual(league.rows.length);
  });

  it('gives every row Making Data Count variation, and assurance against the target', async () => {
    const league = await getPeerLeague(store, 'ae_4hr');
    for (const row of league.rows.filter((r) => r.value !== null)) {
      expect(row.variation, row.org).not.toBeNull();
      expect(row.assurance, row.org).not.toBeNull();
    }
  });

  it('reads specialist, community and mental health trusts from the beds return', async () => {
    const specialist = await peerGroupMembers(store, 'specialist', MONTH);
    const community = await peerGroupMembers(store, 'community', MONTH);
    const mentalHealth = await peerGroupMembers(store, 'mental_health', MONTH);
    // Moorfields Eye Hospital publishes a type 2 (single-specialty) department and no type 1.
    expect(trustsWhere((row) => attendances(row, 'Type 2') > 0 && attendances(row, 'Type 1') === 0).has('RP6')).toBe(true);
    expect(specialist.members.has('RP6')).toBe(true);
    expect(community.members.has('RYY')).toBe(true);
    expect(specialist.bedsPeriod).toBe('2025-06');
    const type1 = trustsWhere((row) => attendances(row, 'Type 1') > 0);
    for (const group of [specialist, community, mentalHealth]) {
      for (const org of group.members) expect(type1.has(org), `${group.group} ${org}`).toBe(false);
    }
    expect(mentalHealth.members.size).toBeGreaterThan(30);
  });

  it('filters by ICB, as ODS places trusts', async () => {
    const league = await getPeerLeague(store, 'ae_4hr', { icb: 'QRL' });
    expect(league.rows.map((row) => row.org)).toContain('RHU');
    for (const row of league.rows) expect(row.icb).toBe('QRL');
  });
});
