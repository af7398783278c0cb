import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, monthOfLabel } from '../cells.js';
import type { Observation, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readSheets, type Cell } from '../workbook.js';
import { WITHIN_18_WEEKS, overField } from './bands.js';
import { INCOMPLETE_TOTAL, RTT_ENGLAND_COLLECTION, TIMESERIES_GROUP, TIMESERIES_LAYOUT, TIMESERIES_SHEET, estimatedField } from './layouts.js';

/**
 * NHS England's RTT overview timeseries (data README §7 and §16, publications.md §4.4): England,
 * month by month from April 2007, on one sheet "Full Time Series". Two header rows: groups
 * ("Incomplete RTT pathways", "Completed admitted …") with merged cells, then each column's own
 * header. Columns are found by their text inside the "Incomplete RTT pathways" group, never by
 * position: the December 2025 edition added "% … with estimates", 65-week and unique-patient
 * columns that the October 2022 edition lacks, so every later column moved.
 */

interface ColumnSpec {
  /** Normalised header text (lower case, spaces collapsed, "(mil)" dropped). */
  header: string;
  field: string;
  required: boolean;
}

const NUMBERS: readonly ColumnSpec[] = [
  { header: 'total waiting', field: INCOMPLETE_TOTAL, required: true },
  { header: 'no. within 18 weeks', field: WITHIN_18_WEEKS, required: true },
  { header: 'no. > 18 weeks', field: 'incomplete_over_18wk', required: true },
  { header: 'no. > 52 weeks', field: overField(52), required: true },
  { header: 'no. > 65 weeks', field: overField(65), required: false },
  { header: 'no. > 78 weeks', field: overField(78), required: false },
  { header: 'no. > 104 weeks', field: overField(104), required: false },
];

/** Published percentiles: computed by NHS England over the trusts that reported (no estimates). */
const PERCENTILES: readonly ColumnSpec[] = [
  { header: 'median wait (weeks)', field: 'median_weeks', required: true },
  { header: '92nd percentile (weeks)', field: 'p92_weeks', required: true },
];

/** Published shares, read only to check the counts against (fractions 0–1). */
const SHARES = [
  { header: '% within 18 weeks', numerator: WITHIN_18_WEEKS },
  { header: '% > 52 weeks', numerator: overField(52) },
] as const;

const ESTIMATES = / with estimates for missing (data|trusts)$/;

function normalise(cell: Cell | undefined): string {
  return cellText(cell).toLowerCase().replace(/\s+/g, ' ').replace(/ \(mil\)/, '').trim();
}

interface Located {
  field: string;
  index: number;
  column: string;
}

/** Parses the timeseries into England observations of the `rtt_england` collection. */
export async function parseOverviewTimeseries(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const [sheet] = await readSheets(file.name, file.bytes, [TIMESERIES_SHEET]);
  const at = (line?: number, column?: string): ErrorLocation => ({ file: file.name, sheet: TIMESERIES_SHEET, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  if (!sheet) throw inputError('E_FORMAT', at(), `the sheet "${TIMESERIES_SHEET}" is missing; this is not NHS England's RTT overview timeseries as published.`);
  const rows = sheet.rows;
  const groupAt = rows.findIndex((row) => row.some((cell) => normalise(cell) === TIMESERIES_GROUP.toLowerCase()));
  if (groupAt < 0) throw inputError('E_HEADER', at(), `no "${TIMESERIES_GROUP}" header row: the layout is not one Planwatch knows.`);
  const groups = rows[groupAt]!;
  const header = rows[groupAt + 1] ?? [];
  const headerLine = groupAt + 2;
  const monthAt = groups.findIndex((cell) => normalise(cell) === 'month');
  if (monthAt < 0) throw inputError('E_HEADER', at(groupAt + 1), 'no "Month" column beside the group headers.');
  // The group runs from its merged cell to the next group's header.
  const start = groups.findIndex((cell) => normalise(cell) === TIMESERIES_GROUP.toLowerCase());
  let end = groups.findIndex((cell, index) => index > start && normalise(cell) !== '');
  if (end < 0) end = Math.max(groups.length, header.length);

  const columns: Located[] = [];
  const shares = new Map<string, Located>();
  const seen = new Map<string, number>();
  for (let index = start; index < end; index++) {
    const text = normalise(header[index]);
    if (text === '') continue;
    const column = cellText(header[index]);
    if (seen.has(text)) throw inputError('E_HEADER', at(headerLine, column), `the column "${column}" appears twice in the "${TIMESERIES_GROUP}" group.`);
    seen.set(text, index);
    const estimated = ESTIMATES.test(text);
    const base = text.replace(ESTIMATES, '');
    const spec = [...NUMBERS, ...PERCENTILES].find((candidate) => candidate.header === base);
    if (spec && !(estimated && PERCENTILES.includes(spec))) {
      columns.push({ field: estimated ? estimatedField(spec.field) : spec.field, index, column });
      continue;
    }
    const share = SHARES.find((candidate) => candidate.header === base);
    if (share) shares.set(estimated ? estimatedField(share.numerator) : share.numerator, { field: share.numerator, index, column });
  }
  const byField = new Map(columns.map((located) => [located.field, located]));
  for (const spec of [...NUMBERS, ...PERCENTILES]) {
    const wanted = [spec.field, ...(PERCENTILES.includes(spec) ? [] : [estimatedField(spec.field)])];
    for (const field of wanted) {
      if (spec.required && !byField.has(field)) {
        const name = field === spec.field ? spec.header : `${spec.header} with estimates for missing data`;
        throw inputError('E_HEADER', at(headerLine), `the "${TIMESERIES_GROUP}" group has no column "${name}" (matched without regard to case or "(mil)"); the layout is not one Planwatch knows.`);
      }
    }
  }

  const observations: Observation[] = [];
  const periods: string[] = [];
  const lineOf = new Map<string, number>();
  for (let index = groupAt + 2; index < rows.length; index++) {
    const cells = rows[index] ?? [];
    const line = index + 1;
    const first = cells.map(cellText).find((text) => text !== '') ?? '';
    if (/^notes?:?$/i.test(first)) break;
    const monthCell = cells[monthAt];
    if (cellText(monthCell) === '') {
      if (columns.some(({ index: column }) => cellText(cells[column]) !== '')) {
        throw inputError('E_VALUE', at(line, 'Month'), 'this row has figures but no month.');
      }
      continue;
    }
    // "* Feb-24" marks February 2024, when community services left RTT (note 11).
    const period = monthOfLabel(monthCell instanceof Date ? monthCell : cellText(monthCell).replace(/^\*\s*/, ''));
    if (!period) throw inputError('E_VALUE', at(line, 'Month'), `expected a month (a date or "Feb-24"), found "${cellText(monthCell)}".`);
    // Months after the latest publication are listed with empty cells; months before a measure
    // was collected show "-" (the incomplete-pathway counts start in August 2007).
    const texts = columns.map(({ index: column }) => cellText(cells[column]));
    if (texts.every((text) => text === '' || text === '-')) continue;
    const earlier = lineOf.get(period);
    if (earlier !== undefined) throw inputError('E_DUPLICATE', at(line, 'Month'), `${period} appears twice, on rows ${earlier} and ${line}.`);
    if (periods.length > 0 && period < periods.at(-1)!) {
      throw inputError('E_VALUE', at(line, 'Month'), `${period} comes after ${periods.at(-1)}: the months are out of order.`);
    }
    lineOf.set(period, line);
    periods.push(period);
    const values = new Map<string, { value: number | null }>();
    for (const { field, index: column, column: label } of columns) {
      const value = timeseriesNumber(cells[column], { file: file.name, sheet: TIMESERIES_SHEET, line, column: label });
      values.set(field, value);
      observations.push({ metric: field, org: 'ENG', period, value: value.value, ...(value.note ? { note: value.note } : {}), row: line, column: label });
    }
    reconcile(values, cells, shares, at(line));
  }
  if (periods.length === 0) throw inputError('E_EMPTY', at(headerLine + 1), 'the sheet has a header but no month with waiting-list figures.');
  checkCoverage(rows.slice(0, groupAt), periods.at(-1)!, at);
  return {
    items: observations.map((observation) => ({ kind: 'observation', observation })),
    summary: { layout: TIMESERIES_LAYOUT, periods, collection: RTT_ENGLAND_COLLECTION },
  };
}

// "-" is "not collected" (65-, 78- and 104-week counts before their bands existed); "52+" is a
// 92nd percentile beyond the old top band of 52 weeks (2007/08): not a number, so null with why.
function timeseriesNumber(cell: Cell | undefined, place: Required<Pick<ErrorLocation, 'file' | 'sheet' | 'line' | 'column'>>): { value: number | null; note?: string } {
  const text = cellText(cell);
  if (text === '-') return { value: null, note: 'not collected for this month' };
  const open = /^(\d+)\+$/.exec(text);
  if (open) return { value: null, note: `published as "${text}": more than ${open[1]} weeks, beyond the top band collected then` };
  return { value: cellNumber(cell, place) };
}

/**
 * The file's own totals must agree: within 18 weeks plus over 18 weeks is the waiting list (as
 * published and with estimates), and each published share is its count over the list.
 */
function reconcile(values: Map<string, { value: number | null }>, cells: readonly Cell[], shares: Map<string, Located>, place: ErrorLocation): void {
  const get = (field: string) => values.get(field)?.value ?? null;
  for (const suffix of [(f: string) => f, estimatedField]) {
    const within = get(suffix(WITHIN_18_WEEKS));
    const over = get(suffix('incomplete_over_18wk'));
    const total = get(suffix(INCOMPLETE_TOTAL));
    if (within !== null && over !== null && total !== null && Math.abs(within + over - total) > 1) {
      throw inputError('E_TOTAL_MISMATCH', { ...place, column: 'Total waiting (mil)' },
        `within 18 weeks (${within}) plus over 18 weeks (${over}) is ${within + over}, but the total waiting is ${total}.`);
    }
  }
  for (const [key, share] of shares) {
    const estimated = key !== share.field;
    const count = get(estimated ? key : share.field);
    const total = get(estimated ? estimatedField(INCOMPLETE_TOTAL) : INCOMPLETE_TOTAL);
    const published = cells[share.index];
    if (count === null || total === null || total === 0 || typeof published !== 'number') continue;
    if (Math.abs(count / total - published) > 0.0005) {
      throw inputError('E_TOTAL_MISMATCH', { ...place, column: share.column },
        `the published share ${published} does not match ${count} ÷ ${total} = ${(count / total).toFixed(4)}.`);
    }
  }
}

/**
 * The cover row "Period: April 2007 to October 2022" names the last month: a file whose
 * figures stop earlier has lost rows.
 */
function checkCoverage(cover: readonly (readonly Cell[])[], last: string, at: (line?: number) => ErrorLocation): void {
  for (let index = 0; index < cover.length; index++) {
    const text = cover[index]!.map(cellText).filter(Boolean).join(' ');
    const match = /^period:?\s*.*\bto\s+([a-z]+ \d{4})\s*$/i.exec(text);
    if (!match) continue;
    const stated = monthOfLabel(match[1]!);
    if (stated && stated !== last) {
      throw inputError('E_TRUNCATED', at(index + 1), `the cover says the figures run to ${match[1]}, but the last month with figures is ${last}: rows may be missing.`);
    }
    return;
  }
}
