import { z } from 'zod';
import type { Effects, FileHead, ParseItem, ParseSummary, Publication, SourceFile, SourcePlugin } from '../contract.js';
import { headRows } from '../csv/read.js';
import { extractLinks, fetchLinks, type PageLink } from '../http/links.js';
import { fileNameOf, siteUrl } from '../http/urls.js';
import { isWorkbookBytes } from '../head.js';
import { CSV_LAYOUT, REQUIRED_FIELDS, WORKBOOK } from './layouts.js';
import { parseCsv, parseWorkbook } from './parse.js';

const options = z.object({
  baseUrl: z.string().url().default('https://www.england.nhs.uk').describe("NHS England's site, or a mirror serving the same paths"),
});

/** The Ambulance Quality Indicators landing page, which links the AmbSYS time series. */
export const AQI_LANDING_PATH = 'statistics/statistical-work-areas/ambulance-quality-indicators/';

function csvHeader(head: FileHead): string[] | undefined {
  return head.isWorkbook ? undefined : headRows(head.name, head.lines.slice(0, 1))?.[0];
}

function isAmbsysCsvHeader(header: readonly string[] | undefined): boolean {
  // AmbCO (clinical outcomes) shares the identity columns but has R/M/K codes, never A-codes.
  return !!header && CSV_LAYOUT.identity.every((name) => header.includes(name)) && header.includes('A8') && header.includes('A10');
}

/**
 * AmbSYS links on the AQI landing page: the time-series workbook (`AmbSYS-Time-Series-…xlsx`)
 * and the CSV (`AmbSYS-to-April-2024.csv`), whose wording drifts monthly (publications.md §3.2), so
 * links are recognised by their file name's stem, never built. Each file is the whole history, so
 * the newest one supersedes the rest period by period.
 */
export function ambsysLinks(html: string, pageUrl: string): Publication[] {
  return selectAmbsys(extractLinks(html, pageUrl));
}

function selectAmbsys(links: readonly PageLink[]): Publication[] {
  const found = new Map<string, Publication>();
  for (const link of links) {
    const name = fileNameOf(new URL(link.href));
    if (!/^AmbSYS.*\.(xlsx|csv)$/i.test(name)) continue;
    found.set(link.href, { collection: 'ambulance', url: link.href, name, ...(link.text ? { title: link.text } : {}) });
  }
  return [...found.values()];
}

export async function* discoverAmbulance(opts: z.infer<typeof options>, io: Effects): AsyncGenerator<Publication> {
  const landing = siteUrl(opts.baseUrl, AQI_LANDING_PATH);
  const links = selectAmbsys(await fetchLinks(landing, opts.baseUrl, io));
  io.logger.info({ page: landing, links: links.length }, 'AmbSYS links');
  yield* links;
}

/** Ambulance Quality Indicators: AmbSYS response times and incidents. */
export const ambulance: SourcePlugin<typeof options> = {
  id: 'ambulance',
  title: 'Ambulance Quality Indicators (AmbSYS)',
  options,
  detect(head) {
    if (head.isWorkbook) {
      const sheets = head.sheets ?? [];
      const marked = WORKBOOK.signatureSheets.every((name) => sheets.includes(name));
      if (sheets.includes(WORKBOOK.sheet) && (marked || sheets.includes(WORKBOOK.lookupSheet))) return { layout: WORKBOOK.id };
      // An AmbSYS workbook without its Raw sheet is still ours, so parse() can say what is missing.
      return marked ? { layout: 'ambsys-damaged' } : null;
    }
    const header = csvHeader(head);
    if (isAmbsysCsvHeader(header)) return { layout: CSV_LAYOUT.id };
    // A damaged AmbSYS CSV header (an indicator renamed) is still ours, so the parser names it.
    const damaged = !!header && header.includes('Org Code') && header.filter((cell) => REQUIRED_FIELDS.includes(cell)).length >= 5;
    return damaged ? { layout: 'ambsys-damaged' } : null;
  },
  discover: discoverAmbulance,
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = isWorkbookBytes(file.bytes) ? await parseWorkbook(file) : parseCsv(file);
    yield* items;
    return summary;
  },
};
