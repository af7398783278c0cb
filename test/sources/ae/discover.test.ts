import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Publication } from '../../../src/sources/contract.js';
import { discoverAe } from '../../../src/sources/ae/discover.js';
import type { RetryPolicy } from '../../../src/sources/http/request.js';
import { siteEffects, startAeSite, UPLOADS, type AeSite } from '../../helpers/ae-site.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const AE = '/statistics/statistical-work-areas/ae-waiting-times-and-activity/';
const NO_DELAY: RetryPolicy = { attempts: 2, delayMs: 0 };

let site: AeSite;
beforeEach(async () => {
  site = await startAeSite();
});
afterEach(async () => {
  await site.close();
});

async function discover(opts: { since?: string } = {}, io = siteEffects(site)): Promise<Publication[]> {
  const found: Publication[] = [];
  for await (const publication of discoverAe({ ...opts, baseUrl: site.baseUrl, retry: NO_DELAY }, io)) found.push(publication);
  return found;
}

const summary = (publications: Publication[]) => publications.map((p) => `${p.period ?? '?'} ${p.revised ? 'R' : '-'} ${p.name}`);

describe('discoverAe({ baseUrl }, io)', () => {
  it('finds every monthly provider file, oldest first, original before revision: the CSV, else the .xls', async () => {
    expect(summary(await discover())).toEqual([
      // 2016-17 lists workbooks only.
      '2017-01 - Monthly-AE-January-2017.xls',
      '2017-03 - Monthly-AE-March-2017.xls',
      '2023-04 R April-2023-revised-91123-abc123v1.csv',
      // No CSV for these months on their pages: their workbooks.
      '2023-05 R May-2023-AE-revised-91123-by-provider-QG3Cd.xls',
      '2023-06 R June-2023-revised-91123-ghi456-1.csv',
      '2023-07 R July-2023-revised-91123-jkl789-v2.csv',
      '2023-10 - Monthly-AE-October-2023.csv',
      '2023-11 - Monthly-AE-November-2023.csv',
      '2024-01 R January-2024-AE-revised-130624-by-provider-4qYV2-1.xls',
      '2024-03 R March-2024-AE-revised-by-provider-dmurT.xls',
      '2024-04 - Monthly-AE-April-2024.csv',
      '2024-04 R Monthly-AE-April-2024-revised.csv',
      '2024-05 - Monthly-AE-May-2024.csv',
      '2024-06 - Monthly-AE-June-2024.csv',
      '2024-07 R Monthly-AE-July-2024-revised.csv',
      '2024-08 - Monthly-AE-August-2024.csv',
      '2024-09 - Monthly-AE-September-2024.csv',
      '2024-10 R Monthly-AE-October-2024-revised.csv',
      '2024-11 R Monthly-AE-November-2024-revised.csv',
      '2024-12 - Monthly-AE-December-2024.csv',
      '2025-01 - Monthly-AE-January-2025.csv',
      '2025-02 R Monthly-AE-February-2025-revised.csv',
      '2025-03 - Monthly-AE-March-2025.csv',
      '2025-04 - Monthly-AE-April-2025.csv',
      '2025-05 - Monthly-AE-May-2025.csv',
      '2025-06 - Monthly-AE-June-2025-1-1.csv',
      '2025-07 - July-2025-CSV-9jfy4.csv',
      '2025-08 - Monthly-AE-CSV-synthetic-x7Yq2.csv',
      '2025-11 R Monthly-AE-Nov-25-CSV-revised.csv',
      '2026-02 - February-2026-CSV-Dl8t54.csv',
      '2026-03 R Monthly-AE-March-2026-revised-flkg42.csv',
    ]);
  });

  it('returns complete publications with absolute URLs on the configured site', async () => {
    const found = await discover();
    expect(found.find((p) => p.name === 'Monthly-AE-March-2026-revised-flkg42.csv')).toEqual({
      collection: 'ae',
      // Published as https://www.england.nhs.uk/…; moved onto the base URL.
      url: `${site.origin}${UPLOADS}2026/05/Monthly-AE-March-2026-revised-flkg42.csv`,
      name: 'Monthly-AE-March-2026-revised-flkg42.csv',
      period: '2026-03',
      title: 'Monthly A&E March 2026 revised (CSV, 31KB)',
      revised: true,
    });
    expect(found.every((p) => p.url.startsWith(`${site.origin}${UPLOADS}`))).toBe(true);
    expect(new Set(found.map((p) => p.url)).size).toBe(found.length);
  });

  it('skips time series, Adjusted, Supplementary/ECDS, Attribution, .xlsx and PDFs', async () => {
    const names = (await discover()).map((p) => p.name).join(' ');
    expect(names).not.toMatch(/Time-Series|Adjusted|Supplementary|Attribution|\.xlsx\b|\.pdf\b/);
  });

  it('offers no workbook for a month that has a CSV on its page (November 2024, May and July 2025)', async () => {
    const found = await discover();
    for (const period of ['2024-11', '2024-05', '2025-07']) {
      const names = found.filter((p) => p.period === period).map((p) => p.name);
      expect(names.length, period).toBeGreaterThan(0);
      expect(names.every((name) => name.endsWith('.csv')), `${period}: ${names.join(', ')}`).toBe(true);
    }
  });

  it('reads the month from the file name, then the heading, when the link text lacks it', async () => {
    const found = await discover();
    expect(found.find((p) => p.name === 'July-2025-CSV-9jfy4.csv')?.period).toBe('2025-07');
    expect(found.find((p) => p.name === 'Monthly-AE-CSV-synthetic-x7Yq2.csv')?.period).toBe('2025-08');
  });

  it('visits each year page once, found from the landing page, and no weekly page', async () => {
    await discover();
    const pages = site.requests.map((request) => request.path).filter((p) => p.startsWith(AE));
    expect(pages).toEqual([
      AE,
      `${AE}statistical-work-areasae-waiting-times-and-activityae-attendances-and-emergency-admissions-2016-17/`,
      `${AE}ae-attendances-and-emergency-admissions-2023-24/`,
      // Linked first from the menu without its trailing slash; the site redirects.
      `${AE}ae-attendances-and-emergency-admissions-2024-25`,
      `${AE}ae-attendances-and-emergency-admissions-2024-25/`,
      `${AE}ae-attendances-and-emergency-admissions-2025-26/`,
    ]);
  });

  it('downloads nothing and names itself with a User-Agent', async () => {
    await discover();
    expect(site.requests.some((request) => request.path.startsWith('/statistics/wp-content/'))).toBe(false);
    expect(site.requests.every((request) => /^Planwatch\//.test(request.headers['user-agent'] ?? ''))).toBe(true);
  });
});

describe('discoverAe({ since }, io)', () => {
  it('leaves out months before since, and does not fetch year pages that end before it', async () => {
    const found = await discover({ since: '2024-06' });
    expect(found[0]?.period).toBe('2024-06');
    expect(found.every((p) => p.period! >= '2024-06')).toBe(true);
    expect(found).toHaveLength(18);
    const pages = site.requests.map((request) => request.path);
    expect(pages.some((p) => p.includes('2023-24') || p.includes('2016-17'))).toBe(false);
  });

  it('keeps both versions of a month at or after since', async () => {
    expect(summary(await discover({ since: '2024-04' })).slice(0, 2)).toEqual([
      '2024-04 - Monthly-AE-April-2024.csv',
      '2024-04 R Monthly-AE-April-2024-revised.csv',
    ]);
  });

  it('rejects a since that is not YYYY-MM', async () => {
    await expectPlanwatchError(() => discover({ since: '2024-13' }), 'E_USAGE');
    await expectPlanwatchError(() => discover({ since: 'April 2024' }), 'E_USAGE');
  });
});

describe('discoverAe failures', () => {
  it('names the landing page when it cannot be fetched', async () => {
    site.fail(AE, 'not-found');
    const error = await expectPlanwatchError(() => discover(), 'E_FETCH', { file: `${site.origin}${AE}` });
    expect(error.message).toContain('HTTP 404');
  });

  it('names a year page that cannot be fetched', async () => {
    const page = `${AE}ae-attendances-and-emergency-admissions-2023-24/`;
    site.fail(page, 'server-error');
    const error = await expectPlanwatchError(() => discover(), 'E_FETCH', { file: `${site.origin}${page}` });
    expect(error.message).toContain('HTTP 503');
    expect(site.requests.filter((request) => request.path === page)).toHaveLength(2);
  });

  it('tries a page again once after a dropped connection or an empty body', async () => {
    site.fail(AE, 'close', 1);
    site.fail(`${AE}ae-attendances-and-emergency-admissions-2025-26/`, 'empty', 1);
    expect(await discover({ since: '2025-04' })).toHaveLength(8);
  });

  it('says so when the landing page links no year page', async () => {
    site.setBody(AE, '<html><body><a href="/statistics/">Statistics</a></body></html>');
    const error = await expectPlanwatchError(() => discover(), 'E_FETCH');
    expect(error.message).toContain('ae-attendances-and-emergency-admissions-');
  });
});
