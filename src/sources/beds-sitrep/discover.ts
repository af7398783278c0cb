import type { Effects, Publication } from '../contract.js';
import { discoverFromYearPages, type YearPagesOptions, type YearPagesSpec } from '../http/year-pages.js';

/**
 * Finds the monthly beds sitrep files (publications.md §7.6): the UEC daily sitrep index page
 * → one page per financial year → each month's file. Year pages moved (2024-25's sits outside
 * statistical-work-areas, 2025-26's slug ends "25-26"), so they are found by their slug's
 * common words on the index page, never built.
 */
export const BEDS_SITREP_INDEX_PATH =
  'statistics/statistical-work-areas/bed-availability-and-occupancy/critical-care-and-general-acute-beds-urgent-and-emergency-care-daily-situation-reports/';

const SPEC: YearPagesSpec = {
  collection: 'beds_sitrep',
  title: 'monthly beds sitrep',
  indexPath: BEDS_SITREP_INDEX_PATH,
  yearPageMarker: 'critical-care-and-general-acute-beds-urgent-and-emergency-care-daily-situation-reports-',
  // Planwatch reads the long CSV; the same month's .xlsx and the daily/weekly files are others.
  isPublication: (_link, name) => /beds-sitrep-data/i.test(name) && /\.csv$/i.test(name) && !/time-?series/i.test(name),
};

/**
 * The name's month can be wrong (July 2025 was published as `202506-July-2025-…`); it only
 * orders the downloads, and the parser takes the month from `Period`.
 */
export function discoverBedsSitrep(opts: YearPagesOptions, io: Effects): AsyncIterable<Publication> {
  return discoverFromYearPages(SPEC, opts, io);
}
