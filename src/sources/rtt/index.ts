import { z } from 'zod';
import type { FileHead, ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { readHead } from '../head.js';
import { discoverRtt } from './discover.js';
import { COMMISSIONER_SHEETS, CSV_SIGNATURE, INCOMPLETE_PROVIDER_LAYOUT, PROVIDER_SHEETS, TIMESERIES_GROUP, TIMESERIES_LAYOUT, TIMESERIES_SHEET } from './layouts.js';
import { parseFullExtract } from './parse-csv.js';
import { parseIncompleteProvider, refuseCommissionerWorkbook } from './parse-workbook.js';
import { parseOverviewTimeseries } from './parse-timeseries.js';
import { PERIOD_PATTERN } from '../../dimensions.js';

const options = z.object({
  // A full extract is a 4 MB zip a month back to 2011, in layouts that changed over the years;
  // by default fetch only what the planning targets need (2024/25 onwards, with the November
  // 2024 baseline). Pass an earlier month for history.
  since: z
    .string()
    .regex(PERIOD_PATTERN, 'use YYYY-MM')
    .default('2024-04')
    .describe('Only publications for this month (YYYY-MM) or later; default 2024-04'),
  baseUrl: z
    .string()
    .url()
    .default('https://www.england.nhs.uk')
    .describe("NHS England's site, or a mirror serving the same paths"),
});

const CSV_LAYOUT = 'rtt-full-extract';
const COMMISSIONER_LAYOUT = 'rtt-commissioner-workbook';

// The header may sit below junk rows in older extracts (publications.md §4.7), so every line
// detect() sees is tried.
function isExtractHeader(head: FileHead): boolean {
  return head.lines.some((line) => {
    if (!CSV_SIGNATURE.every((column) => line.includes(column))) return false;
    // One line at a time: junk rows above the header have other column counts.
    const cells = headRows(head.name, [line])?.[0] ?? [];
    return CSV_SIGNATURE.every((column) => cells.includes(column));
  });
}

function isTimeseries(head: FileHead): boolean {
  const group = TIMESERIES_GROUP.toLowerCase();
  return (head.preview?.(TIMESERIES_SHEET) ?? []).some((row) => row.some((cell) => cell.trim().toLowerCase() === group));
}

/** Referral to Treatment waiting times: the waiting list (incomplete pathways) by provider. */
export const rtt: SourcePlugin<typeof options> = {
  id: 'rtt',
  title: 'Referral to Treatment (RTT) waiting times',
  options,
  detect(head) {
    if (!head.isWorkbook) return isExtractHeader(head) ? { layout: CSV_LAYOUT } : null;
    const sheets = new Set(head.sheets ?? []);
    if (PROVIDER_SHEETS.every((sheet) => sheets.has(sheet))) return { layout: INCOMPLETE_PROVIDER_LAYOUT.id };
    if (COMMISSIONER_SHEETS.every((sheet) => sheets.has(sheet))) return { layout: COMMISSIONER_LAYOUT };
    // The overview timeseries: its one data sheet, with the waiting-list group in its header rows.
    if (sheets.has(TIMESERIES_SHEET) && isTimeseries(head)) return { layout: TIMESERIES_LAYOUT };
    return null;
  },
  discover(opts, io) {
    return discoverRtt({ baseUrl: opts.baseUrl, since: opts.since }, io);
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const head = readHead(file.name, file.bytes);
    const layout = rtt.detect(head)?.layout;
    if (layout === COMMISSIONER_LAYOUT) await refuseCommissionerWorkbook(file);
    if (layout === TIMESERIES_LAYOUT) {
      const { items, summary } = await parseOverviewTimeseries(file);
      yield* items;
      return summary;
    }
    // A workbook without the provider sheets is parsed as one so that the missing sheet is named.
    const { items, summary } = head.isWorkbook ? await parseIncompleteProvider(file) : await parseFullExtract(file);
    yield* items;
    return summary;
  },
};
