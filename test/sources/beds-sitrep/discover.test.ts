import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverBedsSitrep } from '../../../src/sources/beds-sitrep/discover.js';
import type { Publication } from '../../../src/sources/contract.js';
import { fetchOnly, startLocalServer, type LocalServer } from '../../helpers/local-server.js';

// Synthetic pages in the link shapes of publications.md §7.6: the index page links year pages
// in three places (under the index, outside statistical-work-areas, a two-digit "25-26" slug);
// year pages hold the .xlsx and the CSV of each month, a mislabelled "202506-July-2025" name and
// navigation.
const UP = 'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2';
const SLUG = 'critical-care-and-general-acute-beds-urgent-and-emergency-care-daily-situation-reports';
const INDEX = `/statistics/statistical-work-areas/bed-availability-and-occupancy/${SLUG}/`;
const NAV = '<nav><a href="/">Home</a><a href="/statistics/statistical-work-areas/bed-availability-and-occupancy/">Beds</a></nav>';
const PAGES: Record<string, string> = {
  [INDEX]: `<html><body>${NAV}
<a href="https://www.england.nhs.uk${INDEX}${SLUG}-25-26/">2025-26</a>
<a href="https://www.england.nhs.uk/statistics/${SLUG}-2024-25/">2024-25</a>
<a href="${INDEX}${SLUG}-2023-24/">2023-24</a></body></html>`,
  [`${INDEX}${SLUG}-25-26/`]: `<html><body>${NAV}<h3>July 2025</h3>
<a href="${UP}/2025/09/202506-July-2025-beds-sitrep-data-finalversion-v2.xlsx">Beds sitrep data July 2025 (XLSX, 1MB)</a>
<a href="${UP}/2025/09/202506-July-2025-beds-sitrep-data-finalversion-v2.csv">Beds sitrep data July 2025 (CSV, 1MB)</a>
<a href="${UP}/2025/09/Beds-publication-Timeseries-March-2020-August-2025.xlsx">Beds time series (XLSX, 2MB)</a></body></html>`,
  [`/statistics/${SLUG}-2024-25/`]: `<html><body>${NAV}<h3>January 2025</h3>
<a href="/statistics/wp-content/uploads/sites/2/2025/02/202501-January-2025-beds-sitrep-data-FINAL.csv">Beds sitrep data January 2025 (CSV, 1MB)</a>
<a href="${UP}/2025/04/202501-January-2025-beds-sitrep-data-FINAL-revised.csv">Beds sitrep data January 2025 revised (CSV, 1MB)</a></body></html>`,
  [`${INDEX}${SLUG}-2023-24/`]: `<html><body>${NAV}
<a href="${UP}/2024/03/202402-February-2024-beds-sitrep-data-FINAL.xlsx">Beds sitrep data February 2024 (XLSX, 1MB)</a></body></html>`,
};

describe('discoverBedsSitrep({ baseUrl }, io)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((request, response) => {
      const page = PAGES[request.url ?? ''];
      if (page) response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Page not found</h1>');
    });
  });
  afterAll(() => server.close());

  it('finds the year pages wherever they live and yields the monthly CSVs, oldest year first', async () => {
    const io = { fetch: fetchOnly(server.origin), logger: pino({ level: 'silent' }), now: () => new Date('2026-06-11T09:30:00Z') };
    const found: Publication[] = [];
    for await (const publication of discoverBedsSitrep({ baseUrl: server.origin }, io)) found.push(publication);
    expect(found.map((p) => [p.name, p.revised])).toEqual([
      ['202501-January-2025-beds-sitrep-data-FINAL.csv', false],
      ['202501-January-2025-beds-sitrep-data-FINAL-revised.csv', true],
      ['202506-July-2025-beds-sitrep-data-finalversion-v2.csv', false],
    ]);
    expect(found.every((p) => p.url.startsWith(server.origin) && p.collection === 'beds_sitrep')).toBe(true);
  });
});
