import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, dueAt, Refresher, type RefresherLogger } from '../../src/cli/refresher.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { refreshStates, wasInterrupted, type RefreshState } from '../../src/store/refresh-state.js';
import { Store } from '../../src/store/store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { fetchOnly } from '../helpers/local-server.js';
import { AE_LANDING, AQI_LANDING, aeFile, startNhsSite } from '../helpers/nhs-site.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function collectingLogger(): RefresherLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (object: object, message: string) => void lines.push(`${message} ${JSON.stringify(object)}`);
  return { lines, info: log, warn: log, error: log };
}

async function setUp(aeMonths: string[], intervalMs = 60_000) {
  const site = await startNhsSite(aeMonths);
  cleanups.push(() => site.close());
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-refresh-'));
  const db = path.join(dir, 'store.duckdb');
  const config = loadConfig({ db }, { PLANWATCH_BASE_URL: site.baseUrl });
  const store = await Store.open(db);
  cleanups.push(() => store.close());
  const app = await buildApp({ store });
  cleanups.push(() => app.close());
  const logger = collectingLogger();
  const refresher = new Refresher(store, config, {
    intervalMs,
    collections: ['ae', 'ambulance'],
    logger,
    minIntervalMs: 0,
    retryBaseMs: 50,
    io: { fetch: fetchOnly(site.origin), logger: { info: () => {}, debug: () => {}, warn: () => {} } as never, now: () => new Date() },
  });
  cleanups.push(() => refresher.stop());
  return { site, store, app, refresher, logger };
}

async function periodsServed(app: Awaited<ReturnType<typeof buildApp>>, org: string, metric: string): Promise<string[]> {
  const response = await app.inject(`/api/v1/series/${org}/${metric}`);
  if (response.statusCode === 404) return [];
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { points: { period: string }[] }).points.map((point) => point.period);
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('Refresher: a running server keeps itself current', { timeout: 30_000 }, () => {
  it('shows a file added to a publication page without a restart', async () => {
    const { site, app, refresher, store } = await setUp(['2025-04', '2025-05'], 300);
    await refresher.start();
    await eventually(async () => (await periodsServed(app, 'RXA', 'ae_attendances')).includes('2025-05'), 'the first months');
    expect(await periodsServed(app, 'RXA', 'ae_attendances')).toEqual(['2025-04', '2025-05']);

    site.setAeMonths(['2025-04', '2025-05', '2025-06']);
    await eventually(async () => (await periodsServed(app, 'RXA', 'ae_attendances')).includes('2025-06'), 'the added month');
    // A run of its own, after the one under way, so the state read is that of a finished run.
    await refresher.refreshNow('ae');
    const states = await refreshStates(store);
    expect(states.get('ae')).toMatchObject({ lastError: null, attempts: 0, waiting: 0 });
    expect(states.get('ae')!.checkedAt).not.toBeNull();
  });

  it('downloads only what the store lacks on later runs', async () => {
    const { site, refresher } = await setUp(['2025-04']);
    await refresher.refreshNow('ae');
    const downloads = () => site.requests.filter((request) => request.path.endsWith('.csv')).length;
    const before = downloads();
    const [again] = await refresher.refreshNow('ae');
    expect(again).toMatchObject({ ingested: [], error: null, waiting: 0 });
    expect(downloads()).toBe(before);
  });

  it('asks again for a file republished at the same address (the ODS reports) and reads its new edition', async () => {
    const site = await startNhsSite([]);
    cleanups.push(() => site.close());
    const reports = '/ods/getReport';
    site.setBody(`${reports}?report=etr`, fixtureText('ods', 'synthetic-ods-etr.csv'));
    site.setBody(`${reports}?report=succ`, fixtureText('ods', 'synthetic-ods-succ.csv'));
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-refresh-'));
    const config = loadConfig({ db: path.join(dir, 'store.duckdb') }, { PLANWATCH_BASE_URL: site.baseUrl, PLANWATCH_ODS_URL: `${site.origin}${reports}` });
    const store = await Store.open(config.dbPath);
    cleanups.push(() => store.close());
    const refresher = new Refresher(store, config, {
      intervalMs: 60_000,
      collections: ['ods'],
      logger: collectingLogger(),
      minIntervalMs: 0,
      io: { fetch: fetchOnly(site.origin), logger: { info: () => {}, debug: () => {}, warn: () => {} } as never, now: () => new Date() },
    });
    cleanups.push(() => refresher.stop());
    const etrFiles = async () => (await store.all<{ n: bigint }>(`SELECT count(*) AS n FROM files WHERE layout = 'ods-etr'`))[0]!.n;

    expect((await refresher.refreshNow('ods'))[0]).toMatchObject({ ingested: ['etr.csv', 'succ.csv'], error: null, waiting: 0 });
    // Unchanged: asked for again, found unchanged, nothing stored twice.
    expect((await refresher.refreshNow('ods'))[0]).toMatchObject({ ingested: [], error: null, waiting: 0 });
    expect(site.requests.filter((request) => request.path.startsWith(`${reports}?report=etr`))).toHaveLength(2);
    expect(await etrFiles()).toBe(1n);
    // NHS England's next edition at the same address (the synthetic 2026 extract moves RZA to another ICB).
    site.setBody(`${reports}?report=etr`, fixtureText('ods', 'synthetic-ods-etr-2026.csv'));
    expect((await refresher.refreshNow('ods'))[0]).toMatchObject({ ingested: ['etr.csv'], error: null, waiting: 0 });
    expect(await etrFiles()).toBe(2n);
  });

  it('keeps the other collections updating when one page answers 503, and records the error', async () => {
    const { site, app, refresher, store } = await setUp(['2025-04']);
    site.fail(AQI_LANDING, 'server-error');
    const runs = await refresher.refreshNow();
    expect(runs.find((run) => run.collection === 'ambulance')!.error).toMatch(/503/);
    expect(runs.find((run) => run.collection === 'ae')!.error).toBeNull();

    site.setAeMonths(['2025-04', '2025-05']);
    await refresher.refreshNow();
    expect(await periodsServed(app, 'RXA', 'ae_attendances')).toEqual(['2025-04', '2025-05']);
    const ambulance = (await refreshStates(store)).get('ambulance')!;
    expect(ambulance.attempts).toBe(2);
    expect(ambulance.lastError).toMatch(/503/);
    expect(ambulance.checkedAt).toBeNull();

    // The site comes back: the next run goes through and clears the error.
    site.fail(AQI_LANDING, 'server-error', 0);
    const [recovered] = await refresher.refreshNow('ambulance');
    expect(recovered!.error).toBeNull();
    expect((await refreshStates(store)).get('ambulance')).toMatchObject({ attempts: 0, lastError: null });
  });

  it('reports a page whose layout changed (no year pages) as that collection\'s error', async () => {
    const { site, refresher, store } = await setUp(['2025-04']);
    site.setBody(AE_LANDING, '<html><body><main><h1>A&amp;E statistics have moved</h1></main></body></html>');
    const runs = await refresher.refreshNow();
    expect(runs.find((run) => run.collection === 'ae')!.error).toMatch(/Could not find any A&E year pages/);
    expect(runs.find((run) => run.collection === 'ambulance')!.error).toBeNull();
    expect((await refreshStates(store)).get('ae')!.lastError).toMatch(/year pages/);
  });

  it('records a refused file, keeps the rest, and does not count it as waiting', async () => {
    const { site, refresher, app } = await setUp(['2025-04', '2025-05']);
    site.setBody('/statistics/wp-content/uploads/sites/2/2025/05/Monthly-AE-April-2025.csv', 'Period,Org Code\nnot,an A&E file\n');
    const [run] = await refresher.refreshNow('ae');
    expect(run!.ingested).toEqual(['Monthly-AE-May-2025.csv']);
    expect(run!.refused.map((file) => file.url.split('/').pop())).toEqual(['Monthly-AE-April-2025.csv']);
    expect(run!.error).toMatch(/1 file\(s\) refused \(Monthly-AE-April-2025.csv\)/);
    expect(run!.waiting).toBe(0);
    expect(await periodsServed(app, 'RXA', 'ae_attendances')).toEqual(['2025-05']);
  });
});

describe('Refresher.stop()', { timeout: 30_000 }, () => {
  it('gives up a download the site never answers, and leaves the run to resume at the next start', async () => {
    const { site, refresher, store } = await setUp(['2025-04', '2025-05']);
    const may = aeFile('2025-05');
    site.fail(may, 'hang');
    const run = refresher.refreshNow('ae');
    await eventually(async () => site.requests.some((request) => request.path === may), 'the May download');
    await refresher.stop();
    expect(await run).toEqual([]);
    const ae = (await refreshStates(store)).get('ae')!;
    expect(wasInterrupted(ae)).toBe(true);
    expect(ae.waiting).toBe(1);
  });
});

describe('backoffMs(attempts, intervalMs)', () => {
  it('doubles from a minute and stops at six hours or the interval', () => {
    const day = 86_400_000;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, day))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(backoffMs(20, day)).toBe(6 * 3_600_000);
    expect(backoffMs(5, 5 * 60_000)).toBe(5 * 60_000);
  });
});

describe('dueAt(state, intervalMs, now)', () => {
  const now = new Date('2026-01-08T09:30:00Z');
  const state = (fields: Partial<RefreshState>): RefreshState => ({
    collection: 'ae', startedAt: null, finishedAt: null, checkedAt: null, lastError: null, errorAt: null, attempts: 0, nextDue: null, waiting: 0, ...fields,
  });

  it('is now for a collection never checked, or whose last run was interrupted', () => {
    expect(dueAt(undefined, 86_400_000, now)).toEqual(now);
    expect(dueAt(state({ startedAt: '2026-01-08T09:00:00.000Z', finishedAt: '2026-01-07T09:00:00.000Z', nextDue: '2026-01-09T09:00:00.000Z' }), 86_400_000, now)).toEqual(now);
  });

  it('is when the last run said, but never later than one interval from now', () => {
    const finished = state({ startedAt: '2026-01-08T09:00:00.000Z', finishedAt: '2026-01-08T09:01:00.000Z', nextDue: '2026-01-09T09:01:00.000Z' });
    expect(dueAt(finished, 86_400_000, now).toISOString()).toBe('2026-01-09T09:01:00.000Z');
    expect(dueAt(finished, 3_600_000, now).toISOString()).toBe('2026-01-08T10:30:00.000Z');
  });
});
