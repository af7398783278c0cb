import { z } from 'zod';
import type { ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { discoverBedsSitrep } from './discover.js';
import { BEDS_SITREP_2024, HEADER } from './layouts.js';
import { parseBedsSitrep } from './parse.js';

const options = z.object({
  since: z.string().optional().describe('YYYY-MM: only publications for this month or later'),
  baseUrl: z.string().default('https://www.england.nhs.uk/').describe("NHS England's site, or a mirror serving the same paths"),
});

/** Monthly beds situation report: G&A beds available and occupied, long CSV. */
export const bedsSitrep: SourcePlugin<typeof options> = {
  id: 'beds_sitrep',
  title: 'Monthly beds situation report (G&A beds, long CSV)',
  options,
  detect(head) {
    if (head.isWorkbook) return null;
    const header = headRows(head.name, head.lines.slice(0, 1))?.[0];
    return header && HEADER.every((column, i) => header[i] === column) && header.length === HEADER.length ? { layout: BEDS_SITREP_2024.id } : null;
  },
  discover: discoverBedsSitrep,
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = parseBedsSitrep(file);
    yield* items;
    return summary;
  },
};
