import { z } from 'zod';
import type { FileHead, ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { parseCwtExtract } from './extract.js';
import { COMMISSIONER_BASIS, CWT_STANDARDS, EXTRACT_LAYOUT, EXTRACT_SHEET, PROVIDER_BASIS } from './layouts.js';
import { parseCwtWorkbook } from './workbook.js';
import { sheetNames } from '../workbook.js';
import { discoverFromYearPages, type YearPagesSpec } from '../http/year-pages.js';
import { PERIOD_PATTERN } from '../../dimensions.js';

const options = z.object({
  baseUrl: z.string().url().default('https://www.england.nhs.uk').describe("NHS England's site, or a mirror serving the same paths"),
  since: z.string().regex(PERIOD_PATTERN, 'use YYYY-MM').optional().describe('Only publications for this month (YYYY-MM) or later'),
});

/**
 * Since the October 2023 standards, "Monthly data and summaries" links one page per year
 * (`…/2025-26-monthly-cancer-waiting-times-statistics/`) listing each month's provider and
 * commissioner workbooks, `<MONTH>-<YYYY>-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx` (publications.md §5;
 * the year-page slug is reported by several scrapers but not confirmed from a stored page).
 */
const cwtYearPages = (basis: 'PROVIDER' | 'COMMISSIONER'): YearPagesSpec => ({
  collection: basis === 'PROVIDER' ? 'cwt' : 'cwt_commissioner',
  title: `Cancer Waiting Times (${basis.toLowerCase()})`,
  indexPath: 'statistics/statistical-work-areas/cancer-waiting-times/monthly-data-and-summaries/',
  yearPageMarker: 'monthly-cancer-waiting-times-statistics',
  isPublication: (_link, name) => new RegExp(`CWT-CRS-${basis}-WORKBOOK.*\\.xlsx$`, 'i').test(name),
});

const discoverOptions = (opts: z.infer<typeof options>) => ({ baseUrl: opts.baseUrl, ...(opts.since ? { since: opts.since } : {}) });

// The provider and commissioner workbooks have the same sheets; their header rows differ
// ("ACCOUNTABLE PROVIDER" against "INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB"), so the basis
// comes from the content. Only a workbook too damaged to preview falls back to its published
// name ("…-CWT-CRS-COMMISSIONER-WORKBOOK-…"), so parse() can name the damage; parse() also
// refuses a workbook whose organisation column contradicts the basis.
function isCommissionerWorkbook(head: FileHead): boolean {
  const sheet = CWT_STANDARDS.map((standard) => standard.sheet).find((name) => head.sheets?.includes(name));
  const cells = sheet && head.preview ? head.preview(sheet).flat() : [];
  if (cells.some((cell) => /COMMISSIONING HUB|INTEGRATED CARE BOARD/i.test(cell))) return true;
  if (cells.some((cell) => /ACCOUNTABLE PROVIDER/i.test(cell))) return false;
  return /commissioner/i.test(head.name);
}

// A workbook whose index cannot be read at all (cut short) is claimed by its published name, so
// parse() can say it is damaged instead of "not a file of any collection".
const isExtract = (name: string, sheets: readonly string[]) =>
  sheets.includes(EXTRACT_SHEET) || (sheets.length === 0 && /CWT.*extract/i.test(name));

function cwtWorkbook(head: FileHead): boolean {
  if (!head.isWorkbook) return false;
  const sheets = head.sheets ?? [];
  if (sheets.includes(EXTRACT_SHEET)) return false;
  if (sheets.length === 0) return /CWT/i.test(head.name) && !isExtract(head.name, sheets);
  // A workbook missing one of the three sheets is still ours, so parse() can name the missing one.
  return CWT_STANDARDS.some((standard) => sheets.includes(standard.sheet));
}

/** CWT-CRS provider-based figures: the monthly provider workbook and the long-format provider extract. */
export const cwt: SourcePlugin<typeof options> = {
  id: 'cwt',
  title: 'Cancer Waiting Times (provider based)',
  options,
  detect(head) {
    if (head.isWorkbook && isExtract(head.name, head.sheets ?? [])) return { layout: EXTRACT_LAYOUT };
    return cwtWorkbook(head) && !isCommissionerWorkbook(head) ? { layout: PROVIDER_BASIS.layout } : null;
  },
  discover(opts, io) {
    return discoverFromYearPages(cwtYearPages('PROVIDER'), discoverOptions(opts), io);
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = isExtract(file.name, sheetNames(file.bytes))
      ? await parseCwtExtract(file)
      : await parseCwtWorkbook(file, PROVIDER_BASIS);
    yield* items;
    return summary;
  },
};

/**
 * CWT-CRS commissioner-based figures: ICBs, commissioning hubs and England, by where patients'
 * care is commissioned rather than which trust treated them. A separate collection so that a
 * month's commissioner workbook never supersedes the same month's provider workbook.
 */
export const cwtCommissioner: SourcePlugin<typeof options> = {
  id: 'cwt_commissioner',
  title: 'Cancer Waiting Times (commissioner based)',
  options,
  detect(head) {
    return cwtWorkbook(head) && isCommissionerWorkbook(head) ? { layout: COMMISSIONER_BASIS.layout } : null;
  },
  discover(opts, io) {
    return discoverFromYearPages(cwtYearPages('COMMISSIONER'), discoverOptions(opts), io);
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseCwtWorkbook(file, COMMISSIONER_BASIS);
    yield* items;
    return summary;
  },
};
