import { z } from 'zod';
import type { ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { KH03_OVERNIGHT, KH03_SHEET } from './layouts.js';
import { parseKh03 } from './parse.js';

const options = z.object({});

/** Bed Availability and Occupancy (KH03), the quarterly overnight beds web file. */
export const beds: SourcePlugin<typeof options> = {
  id: 'beds',
  title: 'Bed Availability and Occupancy (KH03), overnight',
  options,
  detect(head) {
    return head.isWorkbook && head.sheets?.includes(KH03_SHEET) ? { layout: KH03_OVERNIGHT.id } : null;
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseKh03(file);
    yield* items;
    return summary;
  },
};
