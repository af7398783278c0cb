import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import type { Effects, Publication } from '../../../src/sources/contract.js';
import { discoverRtt } from '../../../src/sources/rtt/discover.js';
import { rtt } from '../../../src/sources/rtt/index.js';
import { Store } from '../../../src/store/store.js';
import { PATHS, landingPage, yearPage2023, yearPage2024, yearPage2025 } from '../../fixtures/rtt/synthetic-rtt-pages.js';
import { runCli, tempDb } from '../../helpers/cli.js';
import { timeseriesSheet } from '../../fixtures/rtt/synthetic-overview-timeseries.js';
import { writeWorkbook } from '../../helpers/xlsx.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { fetchOnly, startLocalServer, type LocalServer } from '../../helpers/local-server.js';

const csv = readFileSync(new URL('../../fixtures/rtt/synthetic-rtt-csv-104-nov24.csv', import.meta.url), 'utf8').replaceAll('RTT-November-2024', 'RTT-July-2025');
const JUL25 = zipSync({ '20250731-RTT-July-2025-full-extract.csv': new TextEncoder().encode(csv) });

const TIMESERIES_JUL25 = 'RTT-Overview-Timeseries-Including-Estimates-for-Missing-Trusts-Jul25-XLS-114K-92707.xlsx';
let timeseries: Uint8Array;

const silent: Effects['logger'] = { info: () => undefined, warn: () => undefined, debug: () => undefined };

describe('discoverRtt(options, io) against a local copy of the RTT pages', () => {
  let server: LocalServer;
  let failLanding = 0;
  const pages: Record<string, () => string> = {
    [PATHS.landing]: landingPage,
    [PATHS.year2025]: yearPage2025,
    [PATHS.year2024]: yearPage2024,
    [PATHS.year2023]: yearPage2023,
  };

  beforeAll(async () => {
    timeseries = await writeWorkbook([timeseriesSheet()]);
    server = await startLocalServer((request, response) => {
      // The site is inconsistent about trailing slashes; serve both.
      const path = request.url ?? '/';
      const page = pages[path] ?? pages[path.endsWith('/') ? path.slice(0, -1) : `${path}/`];
      if (path === PATHS.landing && failLanding > 0) {
        failLanding -= 1;
        response.writeHead(503).end();
      } else if (path === PATHS.jul25Zip) {
        response.writeHead(200, { 'content-type': 'application/zip' }).end(JUL25);
      } else if (path === PATHS.jul25Timeseries) {
        response.writeHead(200, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }).end(timeseries);
      } else if (page) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
      } else {
        response.writeHead(404).end('not found');
      }
    });
  });
  afterAll(() => server.close());

  const io = (): Effects => ({ fetch: fetchOnly(server.origin), logger: silent, now: () => new Date('2025-09-15T10:00:00Z') });

  async function discover(options: { since?: string } = {}): Promise<Publication[]> {
    const found: Publication[] = [];
    for await (const publication of discoverRtt({ baseUrl: server.origin, retry: { attempts: 2, delayMs: 0 }, ...options }, io())) found.push(publication);
    return found;
  }

  it('finds one file per month from the year pages linked on the landing page', async () => {
    server.requests.length = 0;
    const found = await discover({ since: '2025-02' });
    expect(found.map((p) => [p.period, p.name])).toEqual([
      ['2025-02', 'Full-CSV-data-file-Feb25-ZIP-4M-22222.zip'],
      ['2025-03', 'Full-CSV-data-file-Mar25-ZIP-4M-revised.zip'],
      ['2025-05', 'Incomplete-Provider-May25-XLSX-9M-32711.xlsx'],
      ['2025-06', 'Full-CSV-data-file-Jun25-ZIP-4M-94367.zip'],
      ['2025-07', 'Full-CSV-data-file-Jul25-ZIP-4M-92707.zip'],
      // The newest overview timeseries (England's history), from the "latest" block, once.
      ['2025-07', TIMESERIES_JUL25],
    ]);
    expect(found[1]).toMatchObject({ collection: 'rtt', revised: true, title: 'Full CSV data file Mar25 (ZIP, 4M)', url: `${server.origin}/statistics/wp-content/uploads/sites/2/2025/05/Full-CSV-data-file-Mar25-ZIP-4M-revised.zip` });
    // Year pages wholly before `since` are not fetched.
    expect(server.requests.some((request) => request.path.includes('rtt-data-2023-24'))).toBe(false);
  });

  it('reads every year page when no month is given', async () => {
    const found = await discover();
    expect(found[0]).toMatchObject({ period: '2024-03', name: 'Full-CSV-data-file-Mar24-ZIP-3832K-revised.zip' });
    expect(found).toHaveLength(8);
    // Each year page's "latest" block links its own edition; only the newest is taken.
    expect(found.filter((p) => p.name.startsWith('RTT-Overview-Timeseries')).map((p) => p.name)).toEqual([TIMESERIES_JUL25]);
  });

  it('fetches from April 2024 unless asked for an earlier month, through the plugin', async () => {
    const found: Publication[] = [];
    for await (const publication of rtt.discover!(rtt.options.parse({ baseUrl: server.origin }), io())) found.push(publication);
    expect(found[0]!.period).toBe('2025-01');
    expect(found.some((p) => p.period === '2024-03')).toBe(false);
  });

  it('lets `planwatch fetch rtt` download and ingest a month: July 2025 gives its waiting list', async () => {
    const saved = process.env.PLANWATCH_BASE_URL;
    process.env.PLANWATCH_BASE_URL = server.origin;
    const db = tempDb();
    try {
      const run = await runCli('fetch', 'rtt', '--since', '2025-07', '--db', db, '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([
        { url: `${server.origin}${PATHS.jul25Zip}`, result: { collection: 'rtt', periods: ['2025-07'], layout: 'rtt-csv-104' } },
        { url: `${server.origin}${PATHS.jul25Timeseries}`, result: { collection: 'rtt_england', layout: 'rtt-overview-timeseries' } },
      ]);
    } finally {
      if (saved === undefined) delete process.env.PLANWATCH_BASE_URL;
      else process.env.PLANWATCH_BASE_URL = saved;
    }
    const store = await Store.open(db);
    try {
      // The synthetic extract lists a couple of providers: their sum is theirs, not England's.
      const providers = await measureValues(store, measureById('rtt_waiting'), { level: 'provider' });
      expect(providers.reduce((sum, provider) => sum + provider.value!, 0)).toBe(71);
      const england = await measureValues(store, measureById('rtt_waiting'), { level: 'england', from: '2025-07' });
      expect(england).toMatchObject([{ period: '2025-07', value: null }]);
    } finally {
      store.close();
    }
  }, 30_000);

  it('retries a failed page once', async () => {
    failLanding = 1;
    expect(await discover({ since: '2025-07' })).toHaveLength(2);
  });

  it('reports a landing page that keeps failing as a fetch error', async () => {
    failLanding = 2;
    await expectPlanwatchError(() => discover({ since: '2025-07' }), 'E_FETCH');
  });
});
