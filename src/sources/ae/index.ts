import { z } from 'zod';
import type { FileHead, ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { csvLineCells } from '../csv/read.js';
import { sinceOption } from '../options.js';
import { NHSR_LAYOUT, matchLayout } from './layouts.js';
import { parseMonthly, parseNhsrTidy } from './parse.js';

const options = z.object({ since: sinceOption });

function headerOf(head: FileHead): string[] | undefined {
  const first = head.lines[0];
  if (head.isWorkbook || !first) return undefined;
  return csvLineCells(head.name, first);
}

/** A&E Attendances and Emergency Admissions (MSitAE), monthly provider CSV and the NHS-R tidy CSV. */
export const ae: SourcePlugin<typeof options> = {
  id: 'ae',
  title: 'A&E Attendances and Emergency Admissions',
  options,
  detect(head) {
    const header = headerOf(head);
    if (!header) return null;
    if (NHSR_LAYOUT.header.every((column, index) => header[index] === column)) return { layout: NHSR_LAYOUT.id };
    const layout = matchLayout(header);
    if (layout) return { layout: layout.id };
    // A damaged A&E header (a column renamed or missing) is still an A&E file: claim it so the
    // parser can name the missing column, rather than calling the file unknown.
    const looksLikeAe = header.includes('Org Code') && header.some((cell) => /A&E attendances/i.test(cell));
    return looksLikeAe ? { layout: 'ae-damaged' } : null;
  },
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const head = headerOf({ name: file.name, lines: [new TextDecoder().decode(file.bytes.subarray(0, 4096)).replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? ''], isWorkbook: false });
    const isTidy = head !== undefined && NHSR_LAYOUT.header.every((column, index) => head[index] === column);
    const { items, summary } = isTidy ? parseNhsrTidy(file) : parseMonthly(file);
    yield* items;
    return summary;
  },
};
