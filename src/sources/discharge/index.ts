import { z } from 'zod';
import type { ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../contract.js';
import { discoverDischarge, discoverDischargeDelays } from './discover.js';
import { DRD_LAYOUT, DRD_SHEET, parseDischargeReadyDate } from './drd.js';
import { ACUTE_TITLE, COVER_SHEET, DAILY_SHEET, SITREP_2022, WEEKLY_SHEET } from './layouts.js';
import { parseDischargeSitrep } from './sitrep.js';

const options = z.object({
  since: z.string().optional().describe('YYYY-MM: only publications for this month or later'),
  baseUrl: z.string().default('https://www.england.nhs.uk/').describe("NHS England's site, or a mirror serving the same paths"),
});

/**
 * Acute daily discharge situation report, monthly webfile (April 2022 – March 2024 layout).
 * Detected by its sheets and the Cover Sheet's "Title:": the community sitrep has the same
 * sheets and is not read (see README).
 */
export const discharge: SourcePlugin<typeof options> = {
  id: 'discharge',
  title: 'Acute daily discharge situation report (criteria to reside)',
  options,
  detect(head) {
    const sheets = head.sheets ?? [];
    if (!head.isWorkbook || !head.preview || ![COVER_SHEET, DAILY_SHEET, WEEKLY_SHEET].every((sheet) => sheets.includes(sheet))) return null;
    const row = head.preview(COVER_SHEET).find((cells) => cells.includes('Title:'));
    const title = row?.[row.indexOf('Title:') + 1] ?? '';
    return ACUTE_TITLE.test(title) ? { layout: SITREP_2022.id } : null;
  },
  discover: discoverDischarge,
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseDischargeSitrep(file);
    yield* items;
    return summary;
  },
};

/**
 * Discharge Delays (Acute): the Discharge Ready Date monthly webfile, from April 2024. Built to
 * the published description on synthetic files only; see README ("untested on real files").
 */
export const dischargeDelays: SourcePlugin<typeof options> = {
  id: 'discharge_delays',
  title: 'Discharge Delays (Acute), Discharge Ready Date monthly webfile',
  options,
  detect(head) {
    if (!head.isWorkbook || !head.preview || !(head.sheets ?? []).includes(DRD_SHEET)) return null;
    // Other collections have a "Provider" sheet (DM01, RTT): this one's header speaks of delays and bed days.
    const rows = head.preview(DRD_SHEET);
    const isOurs = rows.some((row) => ['Region', 'Code'].includes(row.find((cell) => cell !== '') ?? '') && row.some((cell) => /bed ?days/i.test(cell)) && row.some((cell) => /delay/i.test(cell)));
    return isOurs ? { layout: DRD_LAYOUT.id } : null;
  },
  discover: discoverDischargeDelays,
  async *parse(file: SourceFile): AsyncGenerator<ParseItem, ParseSummary, undefined> {
    const { items, summary } = await parseDischargeReadyDate(file);
    yield* items;
    return summary;
  },
};
