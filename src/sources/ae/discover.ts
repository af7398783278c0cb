import { PlanwatchError } from '../../errors.js';
import type { Effects, Publication } from '../contract.js';
import { fetchLinks, type PageLink } from '../http/links.js';
import { financialYearIn, parsePeriodInfo, type FinancialYear } from '../http/periods.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../http/request.js';
import { fileNameOf, siteUrl, uploadFolderOf } from '../http/urls.js';

/**
 * Finds NHS England's monthly A&E provider CSVs: the statistical work area's landing page →
 * its year pages → each month's CSV link (publications.md §2). Every URL is read off a page;
 * none is built from a template, because slugs and file names are irregular (§1.7).
 */

/** The A&E statistical work area, relative to the site's base URL. */
export const AE_LANDING_PATH = 'statistics/statistical-work-areas/ae-waiting-times-and-activity/';

/**
 * Year pages (monthly data) all carry this in their slug, including the legacy ones for
 * 2015-16 and 2016-17 (`statistical-work-areasae-waiting-times-and-activityae-attendances-…`);
 * maintained scrapers select on it too (publications.md §2.1).
 */
const YEAR_PAGE_MARKER = 'ae-attendances-and-emergency-admissions-';

/**
 * Files on a year page that are not the monthly provider CSV: time series (plain and
 * "Adjusted"), the ECDS "Supplementary" analysis, the trust "Attribution" lookup, quarterly
 * and annual files, "Growth" tables (publications.md §2.2). Workbooks and PDFs are left out
 * by extension.
 */
const NOT_MONTHLY_PROVIDER = /time[\s_-]?series|adjusted|supplementary|ecds|attribution|quarter|annual|growth/i;

export interface AeDiscoverOptions {
  /** 'YYYY-MM': leave out months before this one, and year pages that end before it. */
  since?: string;
  /** NHS England's site, or a mirror/test server serving the same paths. */
  baseUrl: string;
  /** Retries for pages that fail transiently. */
  retry?: RetryPolicy;
}

interface YearPage {
  url: string;
  text: string;
  year?: FinancialYear;
}

/**
 * Yields the monthly provider CSVs from the oldest year page to the newest, each page's
 * months in order and, where a month has an original and a revised CSV, the original first:
 * the store keeps both and the later one replaces the month.
 */
export async function* discoverAe(opts: AeDiscoverOptions, io: Effects): AsyncIterable<Publication> {
  const { since, baseUrl } = opts;
  const retry = opts.retry ?? DEFAULT_RETRY;
  if (since !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(since)) {
    throw new PlanwatchError('E_USAGE', `--since must be a month written YYYY-MM, such as 2024-04; got "${since}".`);
  }

  const landing = siteUrl(baseUrl, AE_LANDING_PATH);
  const yearPages = findYearPages(await fetchLinks(landing, baseUrl, io, retry));
  if (yearPages.length === 0) {
    throw new PlanwatchError(
      'E_FETCH',
      `Could not find any A&E year pages on ${landing}: no link contains "${YEAR_PAGE_MARKER}". The page may have moved.`,
      { file: landing },
    );
  }

  const seen = new Set<string>();
  for (const page of yearPages) {
    if (since !== undefined && page.year !== undefined && page.year.last < since) {
      io.logger.debug(`A&E: skipping ${page.url}, which ends before ${since}`);
      continue;
    }
    const links = await fetchLinks(page.url, baseUrl, io, retry);
    // A CSV whose month cannot be read from the page is kept: the parser reads it from the file.
    const publications = monthlyCsvs(links, seen, io).filter(
      (publication) => since === undefined || publication.period === undefined || publication.period >= since,
    );
    io.logger.debug(`A&E: ${publications.length} monthly CSV(s) on ${page.url}`);
    yield* publications;
  }
}

function findYearPages(links: PageLink[]): YearPage[] {
  const pages = new Map<string, YearPage>();
  for (const link of links) {
    const url = new URL(link.href);
    if (!url.pathname.includes(YEAR_PAGE_MARKER)) continue;
    // Weekly sitrep pages and any uploaded file that happens to share the words are not year pages.
    if (/weekly/i.test(url.pathname) || /weekly/i.test(link.text) || /\.[a-z0-9]{2,4}$/i.test(url.pathname)) continue;
    url.hash = '';
    // The site is inconsistent about trailing slashes on year pages (publications.md §1.2).
    const key = url.href.replace(/\/+$/, '');
    if (pages.has(key)) continue;
    const year = financialYearIn(url.pathname.split(YEAR_PAGE_MARKER).pop()!) ?? financialYearIn(link.text);
    pages.set(key, year === undefined ? { url: url.href, text: link.text } : { url: url.href, text: link.text, year });
  }
  // Oldest first, so that a month's first publication is stored before its revisions; a page
  // whose year cannot be read goes last.
  return [...pages.values()].sort((a, b) => (a.year?.first ?? '9999').localeCompare(b.year?.first ?? '9999'));
}

function monthlyCsvs(links: PageLink[], seen: Set<string>, io: Pick<Effects, 'logger'>): Publication[] {
  const found: { publication: Publication; folder: string; order: number }[] = [];
  links.forEach((link, order) => {
    const url = new URL(link.href);
    if (!/\.csv$/i.test(url.pathname) || seen.has(url.href)) return;
    const name = fileNameOf(url);
    if (NOT_MONTHLY_PROVIDER.test(name) || NOT_MONTHLY_PROVIDER.test(link.text)) return;
    seen.add(url.href);
    const info = parsePeriodInfo({ title: link.text, name, context: link.heading });
    if (info.period === undefined) {
      io.logger.warn(`A&E: cannot tell the month of ${name} from its link text or name; it will be read from the file.`);
    }
    const publication: Publication = { collection: 'ae', url: url.href, name, title: link.text, revised: info.revised };
    if (info.period !== undefined) publication.period = info.period;
    found.push({ publication, folder: uploadFolderOf(url) ?? '', order });
  });
  // By month; within a month the original before a revision, and revisions in upload order.
  return found
    .sort(
      (a, b) =>
        (a.publication.period ?? '9999').localeCompare(b.publication.period ?? '9999') ||
        Number(a.publication.revised) - Number(b.publication.revised) ||
        a.folder.localeCompare(b.folder) ||
        a.order - b.order,
    )
    .map((entry) => entry.publication);
}
