import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, isBlankRow } from '../cells.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { regionCodeFromName } from '../regions.js';
import { readSheets, type Cell, type Sheet } from '../workbook.js';
import { COVER_SHEET } from './layouts.js';

/**
 * "Discharge Delays (Acute)", the Discharge Ready Date monthly webfile that followed the acute
 * sitrep from April 2024 (publications.md §8). UNTESTED ON REAL FILES: none is in shared/data.
 * Built to what is published about it — sheet `Provider`, a header row starting `Region` (or
 * `Code` in November 2023, which lacks Region, ICB and Data Source), one row per trust, and from
 * April 2024 the number of patients discharged, the number in each delay band (0, 1, 2–3, 4–6,
 * 7–13, 14–20, 21+ days from discharge ready date to discharge) and the bed days lost in each
 * (HF-dd's reading of the files, by position). Columns are found by the words of their headers,
 * not their position, and a header this parser cannot place is refused with its name.
 */

export const DRD_SHEET = 'Provider';
export const DRD_LAYOUT = { id: 'discharge-ready-date-2024', description: 'sheet "Provider": discharges, delay bands and bed days by trust', firstSeen: '2024-04' } as const;

/** Delay bands (days from discharge ready date to discharge) as their headers write them. */
export const BANDS = [
  { key: '0', pattern: /\b(0 ?days?|no delay)\b/i },
  { key: '1', pattern: /\b1 ?day\b/i },
  { key: '2_3', pattern: /\b2 ?(-|–|to) ?3 ?days?\b/i },
  { key: '4_6', pattern: /\b4 ?(-|–|to) ?6 ?days?\b/i },
  { key: '7_13', pattern: /\b7 ?(-|–|to) ?13 ?days?\b/i },
  { key: '14_20', pattern: /\b14 ?(-|–|to) ?20 ?days?\b/i },
  { key: '21plus', pattern: /\b21 ?(\+|plus|or more) ?(days?)?/i },
] as const;

const IS_SHARE = /%|percent|proportion|share/i;
const IS_BED_DAYS = /bed ?days/i;

interface Columns {
  code: number;
  name: number;
  region: number;
  discharged: number;
  volumes: Map<string, number>;
  bedDays: Map<string, number>;
}

export async function parseDischargeReadyDate(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheets = await readSheets(file.name, file.bytes, [COVER_SHEET, DRD_SHEET]);
  const sheet = sheets.find((candidate) => candidate.name === DRD_SHEET);
  if (!sheet) throw inputError('E_FORMAT', { file: file.name, sheet: DRD_SHEET }, `the sheet "${DRD_SHEET}" is missing; this is not a Discharge Ready Date monthly webfile as published.`);
  const period = periodOf(sheets, file.name);
  const place = (line?: number, column?: string): ErrorLocation => ({ file: file.name, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const headerAt = sheet.rows.findIndex((row) => ['Region', 'Code'].includes(cellText(row.find((cell) => cellText(cell) !== ''))));
  if (headerAt < 0) throw inputError('E_HEADER', place(undefined, 'Region'), 'no header row starting "Region" (or "Code").');
  const header = sheet.rows[headerAt]!.map(cellText);
  const columns = placeColumns(header, place(headerAt + 1));

  const items: ParseItem[] = [];
  const seen = new Map<string, number>();
  for (let index = headerAt + 1; index < sheet.rows.length; index++) {
    const cells = sheet.rows[index]!;
    if (isBlankRow(cells)) continue;
    const line = index + 1;
    const code = cellText(cells[columns.code]).toUpperCase();
    // Totals ("England", a region) have no trust code: the measures sum the trusts instead.
    if (code === '' || code === '-') continue;
    if (!/^[A-Z0-9]{3,5}$/.test(code)) throw inputError('E_VALUE', place(line, header[columns.code]), `expected an ODS code, found "${code}".`);
    const earlier = seen.get(code);
    if (earlier) throw inputError('E_DUPLICATE', place(line, header[columns.code]), `${code} appears twice, on rows ${earlier} and ${line}.`);
    seen.set(code, line);
    const number = (column: number) => cellText(cells[column]) === '-' ? null : cellNumber(cells[column], { file: file.name, sheet: sheet.name, line, column: header[column]! });
    const discharged = number(columns.discharged);
    const volumes = [...columns.volumes].map(([band, column]) => [band, number(column)] as const);
    const bedDays = [...columns.bedDays].map(([band, column]) => [band, number(column)] as const);
    const sum = (list: readonly (readonly [string, number | null])[]) => (list.some(([, value]) => value === null) ? null : list.reduce((total, [, value]) => total + value!, 0));
    const banded = sum(volumes);
    // The bands split the month's discharges: they must add up to them.
    if (discharged !== null && banded !== null && banded !== discharged) {
      throw inputError('E_TOTAL_MISMATCH', place(line, header[columns.discharged]), `${code}: ${discharged} discharged, but the delay bands add up to ${banded}.`);
    }
    const region = columns.region >= 0 ? regionCodeFromName(cellText(cells[columns.region])) : undefined;
    const fact: OrgFact = { org: code, period, name: cellText(cells[columns.name]), level: 'trust', ...(region ? { parentLevel: 'region', parent: region } : {}) };
    items.push({ kind: 'org', fact });
    const observe = (metric: string, value: number | null, column: number) =>
      items.push({ kind: 'observation', observation: { metric, org: code, period, value, row: line, column: header[column]! } });
    observe('drd_discharged', discharged, columns.discharged);
    const delayed = sum(volumes.filter(([band]) => band !== '0'));
    observe('drd_delayed', delayed, columns.volumes.get('1')!);
    observe('drd_delayed_21plus', volumes.find(([band]) => band === '21plus')![1], columns.volumes.get('21plus')!);
    observe('drd_delay_bed_days', sum(bedDays), columns.bedDays.get('1')!);
  }
  if (seen.size === 0) throw inputError('E_EMPTY', place(headerAt + 2), 'the sheet has a header but no trust rows.');
  return { items, summary: { layout: DRD_LAYOUT.id, periods: [period] } };
}

/** The Cover Sheet's "Period:" (a date, or "Month YYYY"), as the other statistics webfiles give it. */
function periodOf(sheets: readonly Sheet[], file: string): string {
  for (const sheet of sheets) {
    for (const [index, row] of sheet.rows.slice(0, 20).entries()) {
      const label = row.findIndex((cell) => cellText(cell) === 'Period:');
      if (label < 0) continue;
      const value: Cell | undefined = row[label + 1];
      if (value instanceof Date) return value.toISOString().slice(0, 7);
      const match = /^([A-Za-z]+) (\d{4})/.exec(cellText(value));
      const month = match ? new Date(`${match[1]} 1, ${match[2]} UTC`) : undefined;
      if (month && !Number.isNaN(month.getTime())) return `${match![2]}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
      throw inputError('E_VALUE', { file, sheet: sheet.name, line: index + 1, column: 'Period:' }, `expected a month, found "${cellText(value)}".`);
    }
  }
  throw inputError('E_HEADER', { file, sheet: COVER_SHEET }, 'no "Period:" cell; the month of the file cannot be told.');
}

function placeColumns(header: readonly string[], at: ErrorLocation): Columns {
  const find = (what: string, test: (text: string) => boolean): number => {
    const found = header.map((text, index) => (test(text) ? index : -1)).filter((index) => index >= 0);
    if (found.length !== 1) {
      throw inputError('E_HEADER', { ...at, column: what }, found.length === 0 ? `no column for ${what}.` : `${found.length} columns could be ${what}: ${found.map((index) => `"${header[index]}"`).join(', ')}.`);
    }
    return found[0]!;
  };
  const volumes = new Map<string, number>();
  const bedDays = new Map<string, number>();
  for (const band of BANDS) {
    const banded = (text: string) => band.pattern.test(text) && !IS_SHARE.test(text) && !/average/i.test(text);
    volumes.set(band.key, find(`patients discharged after a delay of ${band.key.replace('_', '–')} days`, (text) => banded(text) && !IS_BED_DAYS.test(text)));
    if (band.key !== '0') bedDays.set(band.key, find(`bed days lost with a delay of ${band.key.replace('_', '–')} days`, (text) => banded(text) && IS_BED_DAYS.test(text)));
  }
  return {
    code: find('Code', (text) => /^(org(anisation)? )?code$/i.test(text)),
    name: find('Name', (text) => /^(org(anisation)? )?name$/i.test(text)),
    region: header.indexOf('Region'),
    discharged: find('patients discharged', (text) => /discharged/i.test(text) && !IS_SHARE.test(text) && !IS_BED_DAYS.test(text) && !BANDS.some((band) => band.pattern.test(text)) && !/average|provider/i.test(text)),
    volumes,
    bedDays,
  };
}
