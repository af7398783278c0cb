import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import type { Effects, Publication } from '../../../src/sources/contract.js';
import { periodFromText } from '../../../src/sources/rtt/discover.js';
import { rtt } from '../../../src/sources/rtt/index.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { PATHS, landingPage, yearPage2023, yearPage2024, yearPage2025 } from '../../fixtures/rtt/synthetic-rtt-pages.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const csv = readFileSync(new URL('../../fixtures/rtt/synthetic-rtt-csv-104-nov24.csv', import.meta.url), 'utf8').replaceAll('RTT-November-2024', 'RTT-July-2025');
const JUL25 = zipSync({ '20250731-RTT-July-2025-full-extract.csv': new TextEncoder().encode(csv) });

const silent: Effects['logger'] = { info: () => undefined, warn: () => undefined, debug: () => undefined };

describe('rtt.discover(options, io) against a local copy of the RTT pages', () => {
  let server: Server;
  let origin: string;
  const requests: string[] = [];
  let failLanding = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = (request.url ?? '/').replace(/\/$/, '') || '/';
      requests.push(path);
      const pages: Record<string, () => string> = {
        [PATHS.landing.replace(/\/$/, '')]: () => landingPage(origin),
        [PATHS.year2025]: () => yearPage2025(origin),
        [PATHS.year2024]: () => yearPage2024(origin),
        [PATHS.year2023.replace(/\/$/, '')]: () => yearPage2023(origin),
      };
      if (path === PATHS.landing.replace(/\/$/, '') && failLanding > 0) {
        failLanding -= 1;
        response.writeHead(503).end();
        return;
      }
      if (path === PATHS.jul25Zip) {
        response.writeHead(200, { 'content-type': 'application/zip' }).end(JUL25);
        return;
      }
      const page = pages[path];
      if (page) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const io = (): Effects => ({ fetch: globalThis.fetch, logger: silent, now: () => new Date('2025-09-15T10:00:00Z') });

  async function discover(options: { since?: string } = {}): Promise<Publication[]> {
    const found: Publication[] = [];
    for await (const publication of rtt.discover!(rtt.options.parse({ baseUrl: origin, ...options }), io())) found.push(publication);
    return found;
  }

  it('finds one file per month from the year pages linked on the landing page', async () => {
    requests.length = 0;
    const found = await discover({ since: '2025-02' });
    expect(found.map((p) => [p.period, p.name])).toEqual([
      ['2025-02', 'Full-CSV-data-file-Feb25-ZIP-4M-22222.zip'],
      ['2025-03', 'Full-CSV-data-file-Mar25-ZIP-4M-revised.zip'],
      ['2025-05', 'Incomplete-Provider-May25-XLSX-9M-32711.xlsx'],
      ['2025-06', 'Full-CSV-data-file-Jun25-ZIP-4M-94367.zip'],
      ['2025-07', 'Full-CSV-data-file-Jul25-ZIP-4M-92707.zip'],
    ]);
    expect(found[1]).toMatchObject({ collection: 'rtt', revised: true, title: 'Full CSV data file Mar25 (ZIP, 4M)', url: `${origin}/statistics/wp-content/uploads/sites/2/2025/05/Full-CSV-data-file-Mar25-ZIP-4M-revised.zip` });
    // Year pages wholly before `since` are not fetched.
    expect(requests.some((path) => path.includes('rtt-data-2023-24'))).toBe(false);
  });

  it('reads every year page when no month is given', async () => {
    const found = await discover();
    expect(found[0]).toMatchObject({ period: '2024-03', name: 'Full-CSV-data-file-Mar24-ZIP-3832K-revised.zip' });
    expect(found).toHaveLength(7);
  });

  it('yields links whose files ingest: the July 2025 zip gives its waiting list', async () => {
    const july = (await discover({ since: '2025-07' }))[0]!;
    const response = await fetch(july.url);
    const store = await Store.open(':memory:');
    try {
      const result = await ingestFile(store, { name: july.name, bytes: new Uint8Array(await response.arrayBuffer()), url: july.url });
      expect(result).toMatchObject({ collection: 'rtt', periods: ['2025-07'], layout: 'rtt-csv-104' });
      const [england] = await measureValues(store, measureById('rtt_waiting'), { level: 'england' });
      expect(england).toMatchObject({ period: '2025-07', value: 71 });
    } finally {
      store.close();
    }
  });

  it('retries a failed page once', async () => {
    failLanding = 1;
    expect(await discover({ since: '2025-07' })).toHaveLength(1);
  });

  it('reports a landing page that keeps failing as a fetch error', async () => {
    failLanding = 2;
    await expectPlanwatchError(() => discover({ since: '2025-07' }), 'E_FETCH');
  });
});

describe('periodFromText(...texts)', () => {
  it('reads MonYY from anchor texts and file names, and full month names', () => {
    expect(periodFromText('Full CSV data file Jul25 ')).toBe('2025-07');
    expect(periodFromText('Latest full extract CSV data file Feb26')).toBe('2026-02');
    expect(periodFromText('no period here', 'NonAdmitted-Provider-Apr-22-XLS-8573K-57873.xls')).toBe('2022-04');
    expect(periodFromText('RTT data for September 2019')).toBe('2019-09');
    expect(periodFromText('Full CSV data file (ZIP, 4M)')).toBeUndefined();
  });
});
