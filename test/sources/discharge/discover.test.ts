import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverDischarge, discoverDischargeDelays } from '../../../src/sources/discharge/discover.js';
import type { Publication } from '../../../src/sources/contract.js';
import { fetchOnly, startLocalServer, type LocalServer } from '../../helpers/local-server.js';

// Synthetic pages in the published link shapes (publications.md §8.2): absolute links to NHS
// England's host (moved onto the test server), site-relative links, CSV twins, time series,
// the WordPress "-1-2" suffix and "v2" glued to the year, revised back-files, navigation.
const UP = 'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2';
const NAV = '<nav><a href="/">Home</a><a href="#main">Skip</a><a href="/statistics/statistical-work-areas/">Statistics</a></nav>';
const OLD_PAGE = `<html><body>${NAV}<h2>Acute discharge SitRep</h2>
<a href="${UP}/2022/08/Daily-discharge-sitrep-monthly-data-webfile-April2022-v2.xlsx">Daily discharge sitrep monthly data webfile April 2022 (XLSX, 190KB)</a>
<a href="${UP}/2023/08/Daily-discharge-sitrep-monthly-data-webfile-June2023.xlsx">Daily discharge sitrep monthly data webfile June 2023 (XLSX, 195KB)</a>
<a href="/statistics/wp-content/uploads/sites/2/2023/10/Daily-discharge-sitrep-monthly-data-webfile-June2023-revised.xlsx">Daily discharge sitrep monthly data webfile June 2023 revised (XLSX, 196KB)</a>
<a href="${UP}/2024/10/Daily-discharge-sitrep-monthly-data-webfile-September20241-2.xlsx">Daily discharge sitrep monthly data webfile September 2024 (XLSX, 199KB)</a>
<a href="${UP}/2024/10/Daily-discharge-sitrep-monthly-data-webfile-July2024.csv">Daily discharge sitrep monthly data webfile July 2024 (CSV, 900KB)</a>
<a href="${UP}/2024/02/Daily-discharge-sitrep-timeseries-data-webfile-April2021-January2024.xlsx">Daily discharge sitrep time series (XLSX, 160KB)</a>
<a href="${UP}/2024/02/Discharge-pre-release-access-list.pdf">Pre-release access list (PDF, 40KB)</a>
</body></html>`;
const NEW_PAGE = `<html><body>${NAV}
<a href="${UP}/2025/09/Daily-discharge-sitrep-monthly-data-webfile-August2025.xlsx">Daily discharge sitrep monthly data webfile August 2025 (XLSX, 200KB)</a>
<a href="${UP}/2025/08/Daily-discharge-sitrep-monthly-data-CSV-webfile-July2025v2.csv">Daily discharge sitrep CSV July 2025 (CSV, 1MB)</a>
<a href="${UP}/2026/07/Daily-discharge-sitrep-timeseries-data-webfile-April2021-June2026.xlsx">Time series April 2021 to June 2026 (XLSX, 3MB)</a>
</body></html>`;
const DRD_PAGE = `<html><body>${NAV}<h2>Discharge Ready Date</h2>
<a href="${UP}/2025/06/Discharge-Ready-Date-monthly-data-webfile-May2025.xlsx">Discharge Ready Date monthly data webfile May 2025 (XLSX, 300KB)</a>
<a href="${UP}/2025/01/Discharge-Ready-Date-monthly-data-Sept-2023-revised.xlsx">Discharge Ready Date monthly data September 2023 revised (XLSX, 250KB)</a>
<a href="${UP}/2025/11/Discharge-Ready-Date-Timeseries-webfile-Sept-2023-Sept-2025.xlsx">Discharge Ready Date time series (XLSX, 2MB)</a>
<a href="${UP}/2025/06/Daily-discharge-sitrep-monthly-data-webfile-May2025.xlsx">Acute sitrep May 2025 (XLSX, 200KB)</a>
</body></html>`;

const PAGES: Record<string, string> = {
  '/statistics/statistical-work-areas/discharge-delays-acute-data/': OLD_PAGE,
  '/statistics/statistical-work-areas/discharge-delays/acute-discharge-situation-report/': NEW_PAGE,
  '/statistics/statistical-work-areas/discharge-delays/discharge-ready-date/': DRD_PAGE,
};

describe('discharge discovery', () => {
  let server: LocalServer;
  const missing = new Set<string>();
  beforeAll(async () => {
    server = await startLocalServer((request, response) => {
      const page = PAGES[request.url ?? ''];
      if (page && !missing.has(request.url!)) response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Page not found</h1>');
    });
  });
  afterAll(() => server.close());

  const io = () => ({ fetch: fetchOnly(server.origin), logger: pino({ level: 'silent' }), now: () => new Date('2026-06-11T09:30:00Z') });
  async function all(found: AsyncIterable<Publication>) {
    const list: Publication[] = [];
    for await (const publication of found) list.push(publication);
    return list;
  }

  it('reads both sitrep pages (before and after the December 2024 move): monthly .xlsx only, by month, originals first', async () => {
    const found = await all(discoverDischarge({ baseUrl: server.origin }, io()));
    expect(found.map((p) => [p.period, p.name])).toEqual([
      ['2022-04', 'Daily-discharge-sitrep-monthly-data-webfile-April2022-v2.xlsx'],
      ['2023-06', 'Daily-discharge-sitrep-monthly-data-webfile-June2023.xlsx'],
      ['2023-06', 'Daily-discharge-sitrep-monthly-data-webfile-June2023-revised.xlsx'],
      ['2024-09', 'Daily-discharge-sitrep-monthly-data-webfile-September20241-2.xlsx'],
      ['2025-08', 'Daily-discharge-sitrep-monthly-data-webfile-August2025.xlsx'],
    ]);
    expect(found.every((p) => p.url.startsWith(server.origin) && p.collection === 'discharge')).toBe(true);
  });

  it('leaves out months before --since', async () => {
    const found = await all(discoverDischarge({ baseUrl: server.origin, since: '2024-01' }, io()));
    expect(found.map((p) => p.period)).toEqual(['2024-09', '2025-08']);
  });

  it('carries on when one of the two pages is gone, and fails when both are', async () => {
    missing.add('/statistics/statistical-work-areas/discharge-delays-acute-data/');
    try {
      expect((await all(discoverDischarge({ baseUrl: server.origin }, io()))).map((p) => p.period)).toEqual(['2025-08']);
      missing.add('/statistics/statistical-work-areas/discharge-delays/acute-discharge-situation-report/');
      await expect(all(discoverDischarge({ baseUrl: server.origin }, io()))).rejects.toMatchObject({ code: 'E_FETCH' });
    } finally {
      missing.clear();
    }
  });

  it('finds the Discharge Ready Date monthly files, webfile and revised back-files, not the time series', async () => {
    const found = await all(discoverDischargeDelays({ baseUrl: server.origin }, io()));
    expect(found.map((p) => [p.period, p.name, p.revised])).toEqual([
      ['2023-09', 'Discharge-Ready-Date-monthly-data-Sept-2023-revised.xlsx', true],
      ['2025-05', 'Discharge-Ready-Date-monthly-data-webfile-May2025.xlsx', false],
    ]);
    expect(found.every((p) => p.collection === 'discharge_delays')).toBe(true);
  });
});
