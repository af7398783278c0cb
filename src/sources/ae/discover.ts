import type { Effects, Publication } from '../contract.js';
import { discoverFromYearPages, type YearPagesOptions, type YearPagesSpec } from '../http/year-pages.js';

/**
 * Finds NHS England's monthly A&E provider files: the statistical work area's landing page →
 * its year pages → each month's CSV link, or its provider workbook (.xls) when the month has no
 * CSV: the 2015-16 and 2016-17 pages (and months of later ones) list only workbooks, which the
 * A&E plugin reads (publications.md §2). Every URL is read off a page; none is built from a
 * template, because slugs and file names are irregular (§1.7).
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
 * Files on a year page that are not the monthly provider file: time series (plain and
 * "Adjusted"), the ECDS "Supplementary" analysis, the trust "Attribution" lookup, quarterly
 * and annual files, "Growth" tables (publications.md §2.2). PDFs and .xlsx are left out by
 * extension.
 */
const NOT_MONTHLY_PROVIDER = /time[\s_-]?series|adjusted|supplementary|ecds|attribution|quarter|annual|growth/i;

export type AeDiscoverOptions = YearPagesOptions;

const AE_YEAR_PAGES: YearPagesSpec = {
  collection: 'ae',
  title: 'A&E',
  indexPath: AE_LANDING_PATH,
  yearPageMarker: YEAR_PAGE_MARKER,
  // Weekly sitrep pages (before June 2015) share the marker's words.
  notYearPage: /weekly/i,
  isPublication: (link, name) => /\.(csv|xls)$/i.test(name) && !NOT_MONTHLY_PROVIDER.test(name) && !NOT_MONTHLY_PROVIDER.test(link.text),
  choose: csvElseWorkbook,
};

const isCsv = (publication: Publication) => /\.csv$/i.test(publication.name);

/**
 * One format per month: the CSVs where the page has any for the month (the same figures, and
 * cheaper to read), else the month's workbooks. A workbook whose month cannot be told from its
 * link or name is left out, since it cannot be known to lack a CSV.
 */
export function csvElseWorkbook(files: readonly Publication[]): Publication[] {
  const withCsv = new Set(files.filter(isCsv).map((file) => file.period));
  return files.filter((file) => isCsv(file) || (file.period !== undefined && !withCsv.has(file.period)));
}

/**
 * Yields the monthly provider files from the oldest year page to the newest, each page's
 * months in order and, where a month has an original and a revised file, the original first.
 */
export function discoverAe(opts: AeDiscoverOptions, io: Effects): AsyncIterable<Publication> {
  return discoverFromYearPages(AE_YEAR_PAGES, opts, io);
}
