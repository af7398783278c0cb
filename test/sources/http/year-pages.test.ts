import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { cwt, cwtCommissioner } from '../../../src/sources/cancer/index.js';
import type { Publication } from '../../../src/sources/contract.js';
import { dm01 } from '../../../src/sources/diagnostics/index.js';
import { startLocalServer, type LocalServer } from '../../helpers/local-server.js';

// Synthetic pages with the link shapes publications.md §5–6 records (file names verbatim from
// there), served on 127.0.0.1: an index linking year pages, and year pages listing files.
const UPLOADS = 'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2';
const PAGES: Record<string, string> = {
  '/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/': `
    <a href="/">Home</a>
    <a href="/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/monthly-diagnostics-data-2024-25/">Monthly Diagnostics Data 2024-25</a>
    <a href="https://www.england.nhs.uk/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/monthly-diagnostics-data-2025-26">Monthly Diagnostics Data 2025-26</a>`,
  '/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/monthly-diagnostics-data-2024-25/': `
    <h3>March 2025</h3>
    <a href="${UPLOADS}/2025/05/Monthly-Diagnostics-Web-File-Provider-March-2025_SW40K.xls">Monthly Diagnostics Web File Provider March 2025 (XLS, 1M)</a>
    <a href="${UPLOADS}/2025/05/Monthly-Diagnostics-Web-File-Commissioner-March-2025_SW40K.xls">Monthly Diagnostics Web File Commissioner March 2025 (XLS, 1M)</a>
    <a href="${UPLOADS}/2025/05/DM01-MARCH-2025-full-extract.zip">DM01 full extract March 2025 (ZIP, 3M)</a>
    <h3>August 2024</h3>
    <a href="${UPLOADS}/2024/10/Monthly-Diagnostics-Web-File-Provider-August-2024.xls">Monthly Diagnostics Web File Provider August 2024 (XLS, 1M)</a>`,
  '/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/monthly-diagnostics-data-2025-26/': `
    <a href="${UPLOADS}/2025/06/Monthly-Diagnostics-Web-File-Provider-April-2025_3EY67.xls">Monthly Diagnostics Web File Provider April 2025 (XLS, 1M)</a>`,
  '/statistics/statistical-work-areas/cancer-waiting-times/monthly-data-and-summaries/': `
    <a href="/statistics/statistical-work-areas/cancer-waiting-times/monthly-data-and-summaries/2024-25-monthly-cancer-waiting-times-statistics/">2024-25 Monthly Cancer Waiting Times Statistics</a>`,
  '/statistics/statistical-work-areas/cancer-waiting-times/monthly-data-and-summaries/2024-25-monthly-cancer-waiting-times-statistics/': `
    <a href="${UPLOADS}/2024/12/OCTOBER-2024-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx">October 2024 CWT CRS Provider Workbook Final (XLSX, 1M)</a>
    <a href="${UPLOADS}/2024/12/OCTOBER-2024-CWT-CRS-COMMISSIONER-WORKBOOK-FINAL.xlsx">October 2024 CWT CRS Commissioner Workbook Final (XLSX, 500K)</a>
    <a href="${UPLOADS}/2024/12/CWT-CRS-National-Time-Series-Oct-2009-Oct-2024-with-Revisions.xlsx">National Time Series</a>`,
};

async function collect(iterable: AsyncIterable<Publication>): Promise<Publication[]> {
  const found: Publication[] = [];
  for await (const publication of iterable) found.push(publication);
  return found;
}

describe('discoverFromYearPages — DM01 and cancer waiting times', () => {
  let server: LocalServer;
  const io = { fetch: globalThis.fetch, logger: pino({ level: 'silent' }), now: () => new Date() };
  afterEach(() => server?.close());
  const start = async () => {
    server = await startLocalServer((request, response) => {
      // WordPress serves a page with or without its trailing slash.
      const at = new URL(request.url ?? '/', 'http://x').pathname;
      const page = PAGES[at] ?? PAGES[`${at}/`];
      if (page === undefined) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${page}</body></html>`);
    });
  };

  it('finds the DM01 provider web files month by month, oldest first, on the base URL', async () => {
    await start();
    const found = await collect(dm01.discover!(dm01.options.parse({ baseUrl: server.origin }), io));
    expect(found.map((p) => [p.period, p.name])).toEqual([
      ['2024-08', 'Monthly-Diagnostics-Web-File-Provider-August-2024.xls'],
      ['2025-03', 'Monthly-Diagnostics-Web-File-Provider-March-2025_SW40K.xls'],
      ['2025-04', 'Monthly-Diagnostics-Web-File-Provider-April-2025_3EY67.xls'],
    ]);
    expect(found.every((p) => p.url.startsWith(server.origin))).toBe(true);
  });

  it('leaves out months before --since', async () => {
    await start();
    const found = await collect(dm01.discover!(dm01.options.parse({ baseUrl: server.origin, since: '2025-01' }), io));
    expect(found.map((p) => p.period)).toEqual(['2025-03', '2025-04']);
  });

  it('gives each CWT basis its own workbooks', async () => {
    await start();
    const provider = await collect(cwt.discover!(cwt.options.parse({ baseUrl: server.origin }), io));
    const commissioner = await collect(cwtCommissioner.discover!(cwtCommissioner.options.parse({ baseUrl: server.origin }), io));
    expect(provider.map((p) => [p.collection, p.period, p.name])).toEqual([['cwt', '2024-10', 'OCTOBER-2024-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx']]);
    expect(commissioner.map((p) => [p.collection, p.name])).toEqual([['cwt_commissioner', 'OCTOBER-2024-CWT-CRS-COMMISSIONER-WORKBOOK-FINAL.xlsx']]);
  });

  it('says where it looked when the index links no year pages', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/">Home</a>');
    });
    await expect(collect(dm01.discover!(dm01.options.parse({ baseUrl: server.origin }), io))).rejects.toThrow(/Could not find any DM01 year pages on http:\/\/127\.0\.0\.1/);
  });
});
