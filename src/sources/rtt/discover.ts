import { PlanwatchError } from '../../errors.js';
import type { Effects, Publication } from '../contract.js';
import { fetchLinks, type PageLink } from '../http/links.js';
import { financialYearIn, parsePeriodInfo, type FinancialYear } from '../http/periods.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../http/request.js';
import { fileNameOf, siteUrl, uploadFolderOf } from '../http/urls.js';

/**
 * Finds each month's RTT waiting-list file on NHS England's site (publications.md §4, §10):
 * year pages are found from the RTT landing page, never built from a template, and on each
 * year page the "Full CSV data file <MonYY> (ZIP, …)" link is taken for a month, or the
 * "Incomplete Provider <MonYY> (XLSX, …)" workbook when no zip is listed; and the newest "RTT
 * Overview Timeseries Including Estimates for Missing Trusts" (England's history) once.
 */
export const RTT_LANDING_PATH = 'statistics/statistical-work-areas/rtt-waiting-times/';

/**
 * `rtt-data-2024-25` with or without a trailing slash, under `statistical-work-areas/` or the
 * older paths (publications.md §4.1). Annual-report spreadsheets also start with a year, so
 * only page slugs count, never file links.
 */
const YEAR_PAGE = /\/rtt-data-(\d{4}-\d{2})\/?$/;

export interface RttDiscoverOptions {
  /** 'YYYY-MM': leave out months before this one, and year pages that end before it. */
  since?: string | undefined;
  /** NHS England's site, or a mirror/test server serving the same paths. */
  baseUrl: string;
  retry?: RetryPolicy;
}

type Kind = 'full-extract' | 'incomplete-provider' | 'timeseries';

interface Candidate {
  publication: Publication & { period: string };
  kind: Kind;
  folder: string;
}

function kindOf(text: string): Kind | undefined {
  // "Full CSV data file Jul25 (ZIP, 4M)"; the 2026 "latest" block says "Latest full extract CSV data file Feb26".
  if (/\bfull (extract )?csv data file\b/i.test(text)) return 'full-extract';
  if (/^incomplete provider\b/i.test(text)) return 'incomplete-provider';
  // "RTT Overview Timeseries Including Estimates for Missing Trusts Jul25 (XLS, 114K)", linked in
  // each year page's "latest" block (publications.md §4.1); the link says XLS for an .xlsx.
  if (/^rtt overview timeseries\b/i.test(text)) return 'timeseries';
  return undefined;
}

/** Financial-year pages, one per year (the site menu repeats them at other addresses), newest first. */
export function yearPages(links: readonly PageLink[]): { url: string; year: FinancialYear }[] {
  const byYear = new Map<string, { url: string; year: FinancialYear }>();
  for (const link of links) {
    const slug = YEAR_PAGE.exec(new URL(link.href).pathname)?.[1];
    const year = slug === undefined ? undefined : financialYearIn(slug);
    if (year && !byYear.has(year.first)) byYear.set(year.first, { url: link.href, year });
  }
  return [...byYear.values()].sort((a, b) => b.year.first.localeCompare(a.year.first));
}

/** RTT waiting-list publications, one per month, oldest first; from `since` when given. */
export async function* discoverRtt(opts: RttDiscoverOptions, io: Effects): AsyncGenerator<Publication> {
  const { since, baseUrl } = opts;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const landing = siteUrl(baseUrl, RTT_LANDING_PATH);
  const years = yearPages(await fetchLinks(landing, baseUrl, io, retry));
  if (years.length === 0) {
    throw new PlanwatchError('E_FETCH', `Could not find any RTT year pages on ${landing}: no link to "rtt-data-YYYY-YY". The page may have moved.`, { file: landing });
  }
  const chosen = new Map<string, Candidate>();
  let timeseries: Candidate | undefined;
  for (const { url, year } of years) {
    if (since !== undefined && year.last < since) {
      io.logger.debug(`RTT: skipping ${url}, which ends before ${since}`);
      continue;
    }
    const found = filesOnYearPage(await fetchLinks(url, baseUrl, io, retry));
    io.logger.debug(`RTT: ${found.length} waiting-list file(s) on ${url}`);
    for (const candidate of found) {
      const { period } = candidate.publication;
      // Each edition of the overview timeseries holds every month from April 2007: only the
      // newest is wanted, whatever `since` says.
      if (candidate.kind === 'timeseries') {
        if (!timeseries || period > timeseries.publication.period || (period === timeseries.publication.period && preferred(candidate, timeseries))) timeseries = candidate;
        continue;
      }
      if (since !== undefined && period < since) continue;
      const current = chosen.get(period);
      if (!current || preferred(candidate, current)) chosen.set(period, candidate);
    }
  }
  for (const period of [...chosen.keys()].sort()) yield chosen.get(period)!.publication;
  // England's history (with NHS England's estimates for missing trusts) last, collection rtt.
  if (timeseries) yield timeseries.publication;
}

function filesOnYearPage(links: readonly PageLink[]): Candidate[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const link of links) {
    const url = new URL(link.href);
    const kind = kindOf(link.text);
    // The newest zip is linked twice, in the "latest" block and in its month (publications.md §4.1).
    if (!kind || !url.pathname.includes('/wp-content/uploads/') || seen.has(url.href)) continue;
    seen.add(url.href);
    const name = fileNameOf(url);
    const info = parsePeriodInfo({ title: link.text, name, ...(link.heading ? { context: link.heading } : {}) });
    if (info.period === undefined) continue;
    candidates.push({
      publication: { collection: 'rtt', url: url.href, name, period: info.period, title: link.text, revised: info.revised },
      kind,
      folder: uploadFolderOf(url) ?? '',
    });
  }
  return candidates;
}

// One file per month: the full extract (every provider and commissioner) over the workbook,
// then a revised file over the original, then the later upload folder (publications.md §10.5).
function preferred(a: Candidate, b: Candidate): boolean {
  if (a.kind !== b.kind) return a.kind === 'full-extract';
  if (a.publication.revised !== b.publication.revised) return a.publication.revised === true;
  return a.folder > b.folder;
}
