import { z } from 'zod';
import type { Effects, FileHead, ParseItem, ParseSummary, Publication, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { ETR, ODS_CODE, ODS_DATE, REGION_CODE, SUCC, SUCC_CODE } from './layouts.js';
import { parseEtr, parseSucc } from './parse.js';

const options = z.object({
  reportUrl: z
    .string()
    .url()
    .default('https://www.odsdatasearchandexport.nhs.uk/api/getReport')
    .describe('ODS Data Search and Export report endpoint (etr = NHS trusts, succ = successor organisations)'),
});

function firstRows(head: FileHead): string[][] {
  return head.isWorkbook ? [] : (headRows(head.name, head.lines) ?? []);
}

/** The first rows look like etr.csv: 27 fields, an ODS code, a region Y5x/Y6x, dates YYYYMMDD. */
function looksLikeEtr(rows: readonly string[][]): boolean {
  if (rows.length === 0 || !rows.every((row) => row.length === ETR.fields && ODS_CODE.test(row[ETR.code - 1] ?? ''))) return false;
  const dated = rows.every((row) => ODS_DATE.test(row[ETR.opened - 1] ?? '') && /^(\d{8})?$/.test(row[ETR.closed - 1] ?? ''));
  return dated && rows.some((row) => REGION_CODE.test(row[ETR.region - 1] ?? ''));
}

/** The first rows look like succ.csv: two ODS codes, a reason letter or blank (the real file), a date YYYYMMDD. */
function looksLikeSucc(rows: readonly string[][]): boolean {
  return rows.length > 0 && rows.every((row) => row.length === SUCC.fields
    && SUCC_CODE.test(row[SUCC.predecessor - 1] ?? '') && SUCC_CODE.test(row[SUCC.successor - 1] ?? '')
    && /^[A-Z]?$/.test(row[SUCC.reason - 1] ?? '') && ODS_DATE.test(row[SUCC.effective - 1] ?? ''));
}

/**
 * The current ODS files. ODS moved its bulk CSVs to the Data Search and Export service, whose
 * `getReport` endpoint returns the headerless CSV of a named report (publications.md §9.1: the
 * endpoint is confirmed by NHS TRUD, its parameters only by a scraper's quotation of NHS help text;
 * the legacy `files.digital.nhs.uk/assets/ods/current/<report>.zip` is zipped and reported to
 * answer 403). The URLs are fixed, so discovery needs no page to be read.
 */
export async function* discoverOds(opts: z.infer<typeof options>, io: Pick<Effects, 'logger'>): AsyncGenerator<Publication> {
  for (const report of ['etr', 'succ']) {
    const url = `${opts.reportUrl}?report=${report}`;
    io.logger.debug({ url }, 'ODS report');
    yield { collection: 'ods', url, name: `${report}.csv`, title: report === 'etr' ? 'NHS Trusts (etr)' : 'Successor organisations (succ)', republishedInPlace: true };
  }
}

/** NHS Organisation Data Service: NHS trusts with region and ICB, and successions. */
export const ods: SourcePlugin<typeof options> = {
  id: 'ods',
  title: 'ODS organisations (NHS trusts, successor organisations)',
  options,
  detect(head) {
    const rows = firstRows(head);
    if (looksLikeEtr(rows)) return { layout: ETR.id };
    if (looksLikeSucc(rows)) return { layout: SUCC.id };
    return null;
  },
  discover: discoverOds,
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const head = new TextDecoder().decode(file.bytes.subarray(0, 4096)).replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, 5);
    const isSucc = looksLikeSucc(firstRows({ name: file.name, lines: head, isWorkbook: false }));
    const { items, summary } = isSucc ? parseSucc(file) : parseEtr(file);
    yield* items;
    return summary;
  },
};
