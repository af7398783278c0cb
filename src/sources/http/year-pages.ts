import { PlanwatchError } from '../../errors.js';
import type { Effects, Publication } from '../contract.js';
import { fetchLinks, type PageLink } from './links.js';
import { financialYearIn, parsePeriodInfo, type FinancialYear } from './periods.js';
import { DEFAULT_RETRY, type RetryPolicy } from './request.js';
import { fileNameOf, siteUrl, uploadFolderOf } from './urls.js';
import { PERIOD_PATTERN } from '../../dimensions.js';

/**
 * Most NHS England collections publish the same way (publications.md §1.1): an index page links
 * one page per financial year, and each year page lists that year's files month by month. A
 * collection describes its pages and files here; the walk is shared.
 */
export interface YearPagesSpec {
  collection: string;
  /** Shown in messages, e.g. "A&E". */
  title: string;
  /** The page that links the year pages, relative to the site's base URL. */
  indexPath: string;
  /** Every year page's URL path carries this (slugs are irregular, so pages are found, never built). */
  yearPageMarker: string;
  /** Year-page links to leave out even though they carry the marker (weekly pages, uploads). */
  notYearPage?: RegExp;
  /** Whether a link on a year page is one of this collection's monthly files. */
  isPublication(link: PageLink, name: string): boolean;
  /**
   * Which of a year page's files to offer, when a month is published in more than one format
   * (A&E: the CSV where there is one, else the workbook). All of them when absent.
   */
  choose?(files: readonly Publication[]): Publication[];
}

export interface YearPagesOptions {
  /** 'YYYY-MM': leave out months before this one, and year pages that end before it. */
  since?: string;
  /** NHS England's site, or a mirror/test server serving the same paths. */
  baseUrl: string;
  retry?: RetryPolicy;
}

interface YearPage {
  url: string;
  text: string;
  year?: FinancialYear;
}

/**
 * Yields the collection's monthly files from the oldest year page to the newest, each page's
 * months in order and, where a month has an original and a revision, the original first: the
 * store keeps both and the later one replaces the month.
 */
export async function* discoverFromYearPages(spec: YearPagesSpec, opts: YearPagesOptions, io: Effects): AsyncIterable<Publication> {
  const { since, baseUrl } = opts;
  const retry = opts.retry ?? DEFAULT_RETRY;
  if (since !== undefined && !PERIOD_PATTERN.test(since)) {
    throw new PlanwatchError('E_USAGE', `--since must be a month written YYYY-MM, such as 2024-04; got "${since}".`);
  }
  const index = siteUrl(baseUrl, spec.indexPath);
  const yearPages = findYearPages(spec, await fetchLinks(index, baseUrl, io, retry));
  if (yearPages.length === 0) {
    throw new PlanwatchError(
      'E_FETCH',
      `Could not find any ${spec.title} year pages on ${index}: no link contains "${spec.yearPageMarker}". The page may have moved.`,
      { file: index },
    );
  }
  const seen = new Set<string>();
  for (const page of yearPages) {
    if (since !== undefined && page.year !== undefined && page.year.last < since) {
      io.logger.debug(`${spec.title}: skipping ${page.url}, which ends before ${since}`);
      continue;
    }
    const links = await fetchLinks(page.url, baseUrl, io, retry);
    // A file whose month cannot be read from the page is kept: the parser reads it from the file.
    const found = monthlyFiles(spec, links, seen, io);
    const publications = (spec.choose ? spec.choose(found) : found).filter(
      (publication) => since === undefined || publication.period === undefined || publication.period >= since,
    );
    io.logger.debug(`${spec.title}: ${publications.length} file(s) on ${page.url}`);
    yield* publications;
  }
}

function findYearPages(spec: YearPagesSpec, links: PageLink[]): YearPage[] {
  const pages = new Map<string, YearPage>();
  for (const link of links) {
    const url = new URL(link.href);
    if (!url.pathname.includes(spec.yearPageMarker)) continue;
    // Uploaded files that happen to share the words are not year pages.
    if (/\.[a-z0-9]{2,4}$/i.test(url.pathname)) continue;
    if (spec.notYearPage && (spec.notYearPage.test(url.pathname) || spec.notYearPage.test(link.text))) continue;
    url.hash = '';
    // The site is inconsistent about trailing slashes on year pages (publications.md §1.2).
    const key = url.href.replace(/\/+$/, '');
    if (pages.has(key)) continue;
    const year = financialYearIn(url.pathname.split(spec.yearPageMarker).join(' ')) ?? financialYearIn(link.text);
    pages.set(key, year === undefined ? { url: url.href, text: link.text } : { url: url.href, text: link.text, year });
  }
  // Oldest first, so that a month's first publication is stored before its revisions; a page
  // whose year cannot be read goes last.
  return [...pages.values()].sort((a, b) => (a.year?.first ?? '9999').localeCompare(b.year?.first ?? '9999'));
}

function monthlyFiles(spec: YearPagesSpec, links: PageLink[], seen: Set<string>, io: Pick<Effects, 'logger'>): Publication[] {
  const found: { publication: Publication; folder: string; order: number }[] = [];
  links.forEach((link, order) => {
    const url = new URL(link.href);
    if (seen.has(url.href)) return;
    const name = fileNameOf(url);
    if (!spec.isPublication(link, name)) return;
    seen.add(url.href);
    const info = parsePeriodInfo({ title: link.text, name, context: link.heading });
    if (info.period === undefined) {
      io.logger.warn(`${spec.title}: cannot tell the month of ${name} from its link text or name; it will be read from the file.`);
    }
    const publication: Publication = { collection: spec.collection, url: url.href, name, title: link.text, revised: info.revised };
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
