import { PlanwatchError, isPlanwatchError } from '../../errors.js';
import type { Effects, Publication } from '../contract.js';
import { fetchLinks, type PageLink } from '../http/links.js';
import { parsePeriodInfo } from '../http/periods.js';
import { fileNameOf, siteUrl } from '../http/urls.js';

/**
 * Finds the discharge publications on NHS England's site (publications.md §8). Every file URL is
 * read off a page, never built: names carry typos, `-1-2` suffixes and `v2` glued to the year.
 */

export interface DischargeListing {
  collection: string;
  title: string;
  /**
   * The pages that list the files, relative to the site. The acute sitrep moved: data months up
   * to November 2024 are on the first page, December 2024 on the second; both are read.
   */
  pages: readonly string[];
  /** Whether a link is one of the collection's monthly files. */
  isPublication(name: string, link: PageLink): boolean;
}

// Time-series files share the monthly files' prefix; their names carry a range of months
// ("…-April2021-June2026.xlsx") or "timeseries" (publications.md §8.4).
const TIME_SERIES = /time-?series|[a-z]+-?\d{4}-[a-z]+-?\d{4}/i;

export const SITREP_LISTING: DischargeListing = {
  collection: 'discharge',
  title: 'acute discharge sitrep',
  pages: [
    'statistics/statistical-work-areas/discharge-delays-acute-data/',
    'statistics/statistical-work-areas/discharge-delays/acute-discharge-situation-report/',
  ],
  // The .xlsx only: from July 2024 a CSV twin of each month is published beside it.
  isPublication: (name) => /^daily-discharge-sitrep-monthly-data/i.test(name) && /\.xlsx$/i.test(name) && !TIME_SERIES.test(name),
};

export const DRD_LISTING: DischargeListing = {
  collection: 'discharge_delays',
  title: 'Discharge Ready Date',
  pages: ['statistics/statistical-work-areas/discharge-delays/discharge-ready-date/'],
  // Sept 2023 – March 2024 back-files are not named "…-webfile" (HF-dd hard-codes them), so the
  // prefix is matched without it.
  isPublication: (name) => /^discharge-ready-date-monthly-data/i.test(name) && /\.xlsx$/i.test(name) && !TIME_SERIES.test(name),
};

export async function* discoverListing(listing: DischargeListing, opts: { since?: string; baseUrl: string }, io: Effects): AsyncGenerator<Publication> {
  const found = new Map<string, Publication>();
  let pagesRead = 0;
  for (const path of listing.pages) {
    const page = siteUrl(opts.baseUrl, path);
    let links: PageLink[];
    try {
      links = await fetchLinks(page, opts.baseUrl, io);
    } catch (error) {
      // One page of a moved collection may be gone; the other still lists its files.
      if (!isPlanwatchError(error) || error.code !== 'E_FETCH') throw error;
      io.logger.warn(`${listing.title}: ${page} could not be read (${error.message}); using the other page.`);
      continue;
    }
    pagesRead++;
    for (const link of links) {
      const url = new URL(link.href);
      const name = fileNameOf(url);
      if (found.has(url.href) || !listing.isPublication(name, link)) continue;
      const info = parsePeriodInfo({ title: link.text, name, context: link.heading });
      if (opts.since && info.period && info.period < opts.since) continue;
      found.set(url.href, { collection: listing.collection, url: url.href, name, title: link.text, revised: info.revised, ...(info.period ? { period: info.period } : {}) });
    }
  }
  if (pagesRead === 0) {
    throw new PlanwatchError('E_FETCH', `Could not read any ${listing.title} page (${listing.pages.join(', ')}); the pages may have moved.`);
  }
  // By month, originals before revisions, so a revision replaces its month in the store.
  yield* [...found.values()].sort((a, b) => (a.period ?? '9999').localeCompare(b.period ?? '9999') || Number(a.revised) - Number(b.revised));
}

export function discoverDischarge(opts: { since?: string; baseUrl: string }, io: Effects): AsyncGenerator<Publication> {
  return discoverListing(SITREP_LISTING, opts, io);
}

export function discoverDischargeDelays(opts: { since?: string; baseUrl: string }, io: Effects): AsyncGenerator<Publication> {
  return discoverListing(DRD_LISTING, opts, io);
}
