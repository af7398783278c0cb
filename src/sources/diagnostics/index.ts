import { z } from 'zod';
import type { FileHead, ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { discoverFromYearPages, type YearPagesSpec } from '../http/year-pages.js';
import { BY_TEST_SHEET, LAYOUT, PROVIDER_SHEET } from './layouts.js';
import { parseDm01 } from './parse.js';
import { PERIOD_PATTERN } from '../../dimensions.js';

const options = z.object({
  baseUrl: z.string().url().default('https://www.england.nhs.uk').describe("NHS England's site, or a mirror serving the same paths"),
  since: z.string().regex(PERIOD_PATTERN, 'use YYYY-MM').optional().describe('Only publications for this month (YYYY-MM) or later'),
});

const isDiagnosticsName = (name: string) => /diagnostic/i.test(name);

// The "Provider" sheet is also an RTT workbook's sheet name; DM01's header says what it counts.
const hasDm01Header = (head: FileHead) =>
  (head.preview?.(PROVIDER_SHEET) ?? []).flat().some((cell) => /Number waiting 6\+ Weeks|Total Waiting List/i.test(cell));

/**
 * DM01's monthly index links one page per year ("Monthly Diagnostics Data 2024-25"), each listing
 * the provider web file, the commissioner web file and a full extract per month
 * (publications.md §6); the provider file is the one read here, revisions workbooks excepted.
 */
const DM01_YEAR_PAGES: YearPagesSpec = {
  collection: 'dm01',
  title: 'DM01',
  indexPath: 'statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/',
  yearPageMarker: 'monthly-diagnostics-data-',
  isPublication: (_link, name) => /^Monthly-Diagnostics-Web-File-Provider-.*\.xlsx?$/i.test(name),
};

/** Monthly Diagnostics Waiting Times and Activity (DM01), provider web file. */
export const dm01: SourcePlugin<typeof options> = {
  id: 'dm01',
  title: 'Diagnostics Waiting Times and Activity (DM01)',
  options,
  detect(head) {
    if (!head.isWorkbook) return null;
    const sheets = head.sheets ?? [];
    // A workbook missing one of the two sheets is still claimed (by the other sheet's content) so
    // parse() can say what is wrong; one whose index cannot be read at all (cut short) is claimed
    // by its published name, the only thing left to go on.
    const isOurs = sheets.includes(BY_TEST_SHEET)
      || (sheets.includes(PROVIDER_SHEET) && hasDm01Header(head))
      || (sheets.length === 0 && isDiagnosticsName(head.name));
    return isOurs ? { layout: LAYOUT } : null;
  },
  discover(opts, io) {
    return discoverFromYearPages(DM01_YEAR_PAGES, { baseUrl: opts.baseUrl, ...(opts.since ? { since: opts.since } : {}) }, io);
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseDm01(file);
    yield* items;
    return summary;
  },
};
