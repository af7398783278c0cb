import { z } from 'zod';
import type { FileHead, ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { readHead } from '../head.js';
import { discoverAe } from './discover.js';
import { NHSR_LAYOUT, matchLayout } from './layouts.js';
import { parseMonthly, parseNhsrTidy } from './parse.js';
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

/** A&E Attendances and Emergency Admissions (MSitAE), monthly provider CSV and the NHS-R tidy CSV. */
export const ae: SourcePlugin<typeof options> = {
  id: 'ae',
  title: 'A&E Attendances and Emergency Admissions',
  options,
  detect(head) {
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
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const header = headerOf(readHead(file.name, file.bytes));
    const { items, summary } = header && isNhsrHeader(header) ? parseNhsrTidy(file) : parseMonthly(file);
    yield* items;
    return summary;
  },
};
