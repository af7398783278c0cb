import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLeague, getSeries, getStatus, orgDirectory, searchOrgs } from '../../src/assessment/index.js';
import { ingestFile } from '../../src/store/ingest.js';
import type { Store } from '../../src/store/store.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { syntheticAeMonth, syntheticStore } from '../helpers/synthetic-ae.js';

let store: Store;
beforeAll(async () => {
  store = await syntheticStore(24, '2025-03');
});
afterAll(() => store.close());

describe('getSeries(store, org, metric)', () => {
  it('answers a repeated question from memory until something is ingested', async () => {
    const own = await syntheticStore(13, '2024-12');
    const first = await getSeries(own, 'RAA', 'ae_4hr');
    expect(await getSeries(own, 'raa', 'ae_4hr')).toBe(first);
    await ingestFile(own, { name: 'synthetic-ae-2025-01.csv', bytes: new TextEncoder().encode(syntheticAeMonth('2025-01', 13)) });
    const after = await getSeries(own, 'RAA', 'ae_4hr');
    expect(after).not.toBe(first);
    expect(after.points.at(-1)?.period).toBe('2025-01');
    own.close();
  });

  it('refuses a month that is not YYYY-MM', async () => {
    await expectPlanwatchError(() => getSeries(store, 'RAA', 'ae_4hr', { from: '2025-13' }), 'E_USAGE');
  });
});

describe('searchOrgs(store, query)', () => {
  it('puts an exact code first, then names holding every word', async () => {
    expect((await searchOrgs(store, 'rbb')).map((org) => org.code)[0]).toBe('RBB');
    expect((await searchOrgs(store, 'north west synthetic')).map((org) => org.code)).toEqual(['RCC']);
    expect((await searchOrgs(store, 'london')).map((org) => org.code)).toEqual(['Y56', 'RAA']);
  });

  it('finds nothing for an empty query or a name nobody has', async () => {
    expect(await searchOrgs(store, '  ')).toEqual([]);
    expect(await searchOrgs(store, 'no such hospital')).toEqual([]);
  });
});

describe('orgDirectory(store)', () => {
  it('lists England and the seven regions first, then organisations with their region and last month', async () => {
    const orgs = await orgDirectory(store);
    expect(orgs.slice(0, 8).map((org) => org.level)).toEqual(['england', ...Array(7).fill('region')]);
    expect(orgs.find((org) => org.code === 'RCC')).toEqual({ code: 'RCC', name: 'SYNTHETIC NORTH WEST NHS TRUST', level: 'trust', region: 'Y62', lastPeriod: '2025-03' });
  });
});

describe('getLeague(store, metric, {from})', () => {
  it('ranks the change between two months, best change first for the measure direction', async () => {
    const league = await getLeague(store, 'ae_4hr', { period: '2025-03', from: '2025-01' });
    const byImprovement = [...league.rows].sort((a, b) => a.improvementRank! - b.improvementRank!);
    const changes = byImprovement.map((row) => row.changeSinceFrom!);
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    for (const row of league.rows) expect(row.changeSinceFrom).toBeCloseTo(row.value! - row.fromValue!, 10);
  });

  it('filters by region', async () => {
    const league = await getLeague(store, 'ae_4hr', { region: 'y56' });
    expect(league.rows.map((row) => row.org).sort()).toEqual(['RAA', 'RBB']);
  });

  it('refuses a from month not before the period, months without figures, and unknown regions', async () => {
    await expectPlanwatchError(() => getLeague(store, 'ae_4hr', { period: '2025-01', from: '2025-03' }), 'E_USAGE');
    await expectPlanwatchError(() => getLeague(store, 'ae_4hr', { period: '2031-01' }), 'E_NOT_FOUND');
    await expectPlanwatchError(() => getLeague(store, 'ae_4hr', { region: 'Y99' }), 'E_USAGE');
  });
});

describe('getStatus(store, org)', () => {
  it('assesses every target that applies to the organisation', async () => {
    const status = await getStatus(store, 'RAA');
    expect(status.period).toBe('2025-03');
    expect(status.lines.map((line) => line.targetId)).toContain('std-ae-4hr');
  });
});
