import { z } from 'zod';
import type { ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { BY_TEST_SHEET, LAYOUT, PROVIDER_SHEET } from './layouts.js';
import { parseDm01 } from './parse.js';

const options = z.object({}).describe('The DM01 source takes no options');

const isDiagnosticsName = (name: string) => /diagnostic/i.test(name);

/** Monthly Diagnostics Waiting Times and Activity (DM01), provider web file. */
export const dm01: SourcePlugin<typeof options> = {
  id: 'dm01',
  title: 'Diagnostics Waiting Times and Activity (DM01)',
  options,
  detect(head) {
    if (!head.isWorkbook) return null;
    const sheets = head.sheets ?? [];
    // "Provider" alone is also an RTT workbook's sheet: only the by-test sheet, or the
    // publication's name, makes it DM01. A workbook missing one of the two sheets, or whose index
    // cannot be read at all (cut short), is still claimed so parse() can say what is wrong.
    const isOurs = sheets.includes(BY_TEST_SHEET)
      || (sheets.includes(PROVIDER_SHEET) && isDiagnosticsName(head.name))
      || (sheets.length === 0 && isDiagnosticsName(head.name));
    return isOurs ? { layout: LAYOUT } : null;
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseDm01(file);
    yield* items;
    return summary;
  },
};
