import { z } from 'zod';
import type { FileHead, ParseStep, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { readHead } from '../head.js';
import { workbookFormat } from '../workbook.js';
import { discoverAe } from './discover.js';
import { AE_WORKBOOK_SHEETS, NHSR_LAYOUT, matchLayout, matchWorkbookLayout, workbookHeaderCells } from './layouts.js';
import { parseMonthly, parseNhsrTidy } from './parse.js';
import { parseWorkbook } from './parse-workbook.js';
import { PERIOD_PATTERN } from '../../dimensions.js';

const options = z.object({
  baseUrl: z.string().url().default('https://www.england.nhs.uk').describe("NHS England's site, or a mirror serving the same paths"),
  since: z
    .string()
    .regex(PERIOD_PATTERN, 'use YYYY-MM')
    .optional()
    .describe('Only publications for this month (YYYY-MM) or later'),
});

function headerOf(head: FileHead): string[] | undefined {
  return head.isWorkbook ? undefined : headRows(head.name, head.lines.slice(0, 1))?.[0];
}

const isNhsrHeader = (header: readonly string[]) => NHSR_LAYOUT.header.every((column, index) => header[index] === column);

/**
 * The monthly provider workbook (.xls, 2015–2019): one of our sheet names, then the header row
 * (column `Code`) under a group row. A workbook with our sheet and an A&E title but a damaged
 * header is still claimed, so parse() can name the missing column.
 */
function detectWorkbook(head: FileHead): { layout: string } | null {
  // A workbook whose index cannot be read (cut short) is claimed by its published name
  // ("AE-by-provider-July-2015.xls"), so parse() can say it is damaged.
  if ((head.sheets ?? []).length === 0) return /(?:^|[^a-z])(?:a&e|ae)[-_ ]by[-_ ]provider/i.test(head.name) ? { layout: 'ae-xls-damaged' } : null;
  const sheet = AE_WORKBOOK_SHEETS.find((name) => head.sheets?.includes(name));
  if (!sheet || !head.preview) return null;
  const rows = head.preview(sheet);
  // Our sheet with nothing on it: claimed, so parse() reports the file as empty.
  if (rows.every((row) => row.every((cell) => cell === ''))) return { layout: 'ae-xls-damaged' };
  const headerAt = rows.findIndex((row) => row.includes('Code'));
  if (headerAt >= 0) {
    const layout = matchWorkbookLayout(sheet, workbookHeaderCells(rows[headerAt - 1], rows[headerAt]!));
    if (layout) return { layout: layout.id };
  }
  const titled = rows.some((row) => row.some((cell) => /^A&E Attendances/i.test(cell)));
  return titled ? { layout: 'ae-xls-damaged' } : null;
}

/**
 * A&E Attendances and Emergency Admissions (MSitAE): the monthly provider CSV (from 2019), the
 * monthly provider workbook (.xls, 2015–2019) and the NHS-R tidy CSV.
 */
export const ae: SourcePlugin<typeof options> = {
  id: 'ae',
  title: 'A&E Attendances and Emergency Admissions',
  options,
  // NHS-R's reshaped copy fills only the months no NHS England file covers (December 2017 and
  // January 2019 in the shared data): NHS England's own files are the publication.
  fallbackLayouts: [NHSR_LAYOUT.id],
  detect(head) {
    if (head.isWorkbook) return detectWorkbook(head);
    const header = headerOf(head);
    if (!header) return null;
    if (isNhsrHeader(header)) return { layout: NHSR_LAYOUT.id };
    const layout = matchLayout(header);
    if (layout) return { layout: layout.id };
    // A damaged A&E header (a column renamed or missing) is still an A&E file: claim it so the
    // parser can name the missing column, rather than calling the file unknown.
    const looksLikeAe = header.includes('Org Code') && header.some((cell) => /A&E attendances/i.test(cell));
    return looksLikeAe ? { layout: 'ae-damaged' } : null;
  },
  discover(opts, io) {
    return discoverAe({ baseUrl: opts.baseUrl, ...(opts.since ? { since: opts.since } : {}) }, io);
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseStep, ParseSummary, undefined> {
    if (workbookFormat(file.bytes)) {
      const { items, summary } = await parseWorkbook(file);
      // One batch: a step per item would cost a promise each (ParseStep).
      yield items;
      return summary;
    }
    const header = headerOf(readHead(file.name, file.bytes));
    const { items, summary } = header && isNhsrHeader(header) ? parseNhsrTidy(file) : parseMonthly(file);
    yield items;
    return summary;
  },
};
