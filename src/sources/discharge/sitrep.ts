import { publicationFromRows } from '../publication.js';
import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, isBlankRow } from '../cells.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { regionCodeFromName } from '../regions.js';
import { readSheets, type Cell, type Sheet } from '../workbook.js';
import {
  COVER_SHEET, DAILY_COLUMNS, DAILY_SHEET, DAYS_FIELD, ENGLAND_NAME, SITREP_2022, WEEKLY_COLUMNS, WEEKLY_SHEET, WEEKS_FIELD,
  type BlockColumn,
} from './layouts.js';

/**
 * The acute daily discharge sitrep's monthly webfile: Table 2 (daily counts of
 * patients who no longer meet the criteria to reside) and Table 3 (weekly additional bed days by
 * length of stay), for England, the seven regions, ICBs and trusts. A month's figure is a sum over
 * the days (weeks) a row reported, stored with the number of those days, so the measures divide
 * one by the other: the average over the days reported.
 */

const ENGLAND = 'ENG';
/** Metric labels are looked for in the first rows: the title sits in row 1 or row 2 (§11). */
const HEADER_SEARCH_ROWS = 20;

type Place = (line?: number, column?: string) => ErrorLocation;

interface TableRow {
  org: string;
  name: string;
  line: number;
  region?: string;
  /** values[block][column]: null for "-" (the organisation did not submit that day). */
  values: (number | null)[][];
}

interface Table {
  sheet: string;
  /** One label per block: the day ('2023-12-04') or the week ('w/c 04/12/2023'). */
  blocks: string[];
  england: TableRow;
  regions: TableRow[];
  icbs: TableRow[];
  trusts: TableRow[];
}

export async function parseDischargeSitrep(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheets = await readSheets(file.name, file.bytes, [COVER_SHEET, DAILY_SHEET, WEEKLY_SHEET]);
  const sheet = (name: string): Sheet => {
    const found = sheets.find((candidate) => candidate.name === name);
    if (!found) throw inputError('E_FORMAT', { file: file.name, sheet: name }, `the sheet "${name}" is missing; this is not a discharge sitrep monthly webfile as published.`);
    return found;
  };
  const period = coverPeriod(sheet(COVER_SHEET), file.name);
  const daily = readTable(sheet(DAILY_SHEET), DAILY_COLUMNS, file.name, period);
  const weekly = readTable(sheet(WEEKLY_SHEET), WEEKLY_COLUMNS, file.name, period);
  checkDays(daily, period, file.name);
  reconcileDaily(daily, file.name);
  reconcileRegions(weekly, WEEKLY_COLUMNS, file.name);

  const items: ParseItem[] = [];
  const facts = new Map<string, OrgFact>();
  for (const [level, rows] of [['england', [daily.england]], ['region', daily.regions], ['icb', daily.icbs], ['trust', daily.trusts]] as const) {
    for (const row of rows) {
      facts.set(row.org, { org: row.org, period, name: row.name, level, ...(row.region ? { parentLevel: 'region', parent: row.region } : {}) });
    }
  }
  for (const fact of facts.values()) items.push({ kind: 'org', fact });
  pushSums(items, daily, DAILY_COLUMNS, DAYS_FIELD, period);
  pushSums(items, weekly, WEEKLY_COLUMNS, WEEKS_FIELD, period);
  // The Cover Sheet's "Published:", "Revised:" and "Status:" rows date the file (a revised
  // webfile says "Status: Revised" and the day it was revised).
  return { items, summary: { layout: SITREP_2022.id, periods: [period], publication: publicationFromRows(sheet(COVER_SHEET).rows) } };
}

/** The month from the Cover Sheet's "Period:" row (a date), never from the file name. */
function coverPeriod(cover: Sheet, file: string): string {
  for (const [index, row] of cover.rows.entries()) {
    if (cellText(row[1]) !== 'Period:') continue;
    const start = row[2];
    if (start instanceof Date) return start.toISOString().slice(0, 7);
    throw inputError('E_VALUE', { file, sheet: cover.name, line: index + 1, column: 'Period:' }, `expected the first day of the month as a date, found "${cellText(start)}".`);
  }
  throw inputError('E_HEADER', { file, sheet: cover.name }, 'no "Period:" row; the month of the file cannot be told.');
}

function readTable(sheet: Sheet, columns: readonly BlockColumn[], file: string, period: string): Table {
  const place: Place = (line, column) => ({ file, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const labelAt = sheet.rows.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => cellText(row[4]) === columns[0]!.label);
  if (labelAt < 1) throw inputError('E_HEADER', place(undefined, columns[0]!.label), `no row of metric labels starting "${columns[0]!.label}" in column E of the first ${HEADER_SEARCH_ROWS} rows.`);
  const labels = sheet.rows[labelAt]!;
  const groups = sheet.rows[labelAt - 1] ?? [];
  const blocks: string[] = [];
  for (let start = 4; cellText(labels[start]) !== ''; start += columns.length) {
    columns.forEach((column, offset) => {
      if (cellText(labels[start + offset]) !== column.label) {
        throw inputError('E_HEADER', place(labelAt + 1, column.label), `expected "${column.label}" in column ${columnLetter(start + offset)}, found "${cellText(labels[start + offset])}".`);
      }
    });
    blocks.push(blockLabel(groups[start], place(labelAt, columnLetter(start))));
  }
  if (blocks.length === 0) throw inputError('E_HEADER', place(labelAt + 1), 'the metric-label row has no columns.');

  let section: 'summary' | 'icb' | 'trust' = 'summary';
  let england: TableRow | undefined;
  const regions: TableRow[] = [];
  const icbs: TableRow[] = [];
  const trusts: TableRow[] = [];
  const seen = new Map<string, number>();
  for (let index = labelAt + 1; index < sheet.rows.length; index++) {
    const cells = sheet.rows[index] ?? [];
    if (isBlankRow(cells)) continue;
    const line = index + 1;
    if (cellText(cells[1]) === 'Region' && (cellText(cells[2]) === 'ICB Code' || cellText(cells[2]) === 'Org Code')) {
      section = cellText(cells[2]) === 'ICB Code' ? 'icb' : 'trust';
      continue;
    }
    const values = blocks.map((block, b) => readBlock(cells, 4 + b * columns.length, columns, block, place(line)));
    if (section === 'summary') {
      const name = cellText(cells[3]);
      if (ENGLAND_NAME.test(name)) {
        if (england) throw inputError('E_DUPLICATE', place(line, 'Org Name'), `the England row appears twice, on rows ${england.line} and ${line}.`);
        england = { org: ENGLAND, name, line, values };
        continue;
      }
      const region = regionCodeFromName(name);
      if (!region) throw inputError('E_VALUE', place(line, 'Org Name'), `"${name}" is not England or one of the seven NHS England regions.`);
      noDuplicate(seen, region, line, place);
      regions.push({ org: region, name, line, values });
      continue;
    }
    const code = cellText(cells[2]).toUpperCase();
    const column = section === 'icb' ? 'ICB Code' : 'Org Code';
    if (!/^[A-Z0-9]{3,5}$/.test(code)) throw inputError('E_VALUE', place(line, column), `expected an ODS code, found "${cellText(cells[2])}".`);
    noDuplicate(seen, code, line, place, column);
    const region = regionCodeFromName(cellText(cells[1]));
    const row: TableRow = { org: code, name: cellText(cells[3]), line, values, ...(region ? { region } : {}) };
    (section === 'icb' ? icbs : trusts).push(row);
  }
  if (!england) throw inputError('E_EMPTY', place(labelAt + 2), 'there is no "ENGLAND" row below the metric labels.');
  if (trusts.length === 0) throw inputError('E_EMPTY', place(labelAt + 2), 'there are no trust rows (below "Region | Org Code | Org Name").');
  return { sheet: sheet.name, blocks, england, regions, icbs, trusts };
}

function noDuplicate(seen: Map<string, number>, code: string, line: number, place: Place, column = 'Org Name'): void {
  const earlier = seen.get(code);
  if (earlier !== undefined) throw inputError('E_DUPLICATE', place(line, column), `${code} appears twice, on rows ${earlier} and ${line}.`);
  seen.set(code, line);
}

/**
 * One day's (week's) three figures. "-" marks a day the organisation did not submit (Table 1
 * lists them): all three are then missing together, never 0; a day with some figures and not
 * others cannot be averaged and is refused.
 */
function readBlock(cells: readonly Cell[], start: number, columns: readonly BlockColumn[], block: string, at: ErrorLocation): (number | null)[] {
  const values = columns.map((column, offset) => {
    const cell = cells[start + offset];
    return cellText(cell) === '-' ? null : cellNumber(cell, { file: at.file, sheet: at.sheet!, line: at.line!, column: `${column.label}, ${block}` });
  });
  const missing = values.filter((value) => value === null).length;
  if (missing !== 0 && missing !== values.length) {
    throw inputError('E_VALUE', { ...at, column: `${columns[values.indexOf(null)]!.label}, ${block}` }, `some of ${block}'s figures are missing and others are not; expected all three or "-" in all three.`);
  }
  return values;
}

/** Table 2's day (an Excel date over its three columns) or Table 3's week ("w/c 04/12/2023 (daily snapshot)"). */
function blockLabel(cell: Cell | undefined, at: ErrorLocation): string {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const week = /w\/c (\d{2})\/(\d{2})\/(\d{4})/i.exec(cellText(cell));
  if (week) return `w/c ${week[3]}-${week[2]}-${week[1]}`;
  throw inputError('E_HEADER', at, `expected a date or "w/c dd/mm/yyyy" above the metric labels, found "${cellText(cell)}".`);
}

// Table 2 has one block per day of the month, every day: an average over fewer days than
// published would be a different figure, so a missing or foreign day means a damaged file.
function checkDays(table: Table, period: string, file: string): void {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const expected = Array.from({ length: days }, (_, day) => `${period}-${String(day + 1).padStart(2, '0')}`);
  if (table.blocks.join() !== expected.join()) {
    const wrong = table.blocks.find((block, index) => block !== expected[index]) ?? `${table.blocks.length} days`;
    throw inputError('E_HEADER', { file, sheet: table.sheet, column: wrong }, `expected one block for each of the ${days} days of ${period} in order; found ${table.blocks.length} (first difference: ${wrong}).`);
  }
}

/**
 * What must hold in every published Table 2 (true in all nineteen files, April 2022 – December
 * 2023): remaining = no longer meet − discharged in every row; England = the sum of the regions
 * in every column; the ICB rows and the trust rows add up to the same (both exclude hospice
 * discharges); England's "no longer meet the criteria" = the sum of the trusts; England's
 * discharges are at least the trusts' (the difference is the day's hospice discharges).
 */
function reconcileDaily(table: Table, file: string): void {
  for (const row of [table.england, ...table.regions, ...table.icbs, ...table.trusts]) {
    row.values.forEach(([ncr, discharged, remaining], b) => {
      if (ncr !== null && ncr !== undefined && ncr - discharged! !== remaining) {
        throw inputError('E_TOTAL_MISMATCH', { file, sheet: table.sheet, line: row.line, column: `${DAILY_COLUMNS[2]!.label}, ${table.blocks[b]}` },
          `${row.org} on ${table.blocks[b]}: ${remaining} remaining is not ${ncr} no longer meeting the criteria − ${discharged} discharged.`);
      }
    });
  }
  reconcileRegions(table, DAILY_COLUMNS, file);
  table.blocks.forEach((block, b) => {
    const at = (line: number, column: number): ErrorLocation => ({ file, sheet: table.sheet, line, column: `${DAILY_COLUMNS[column]!.label}, ${block}` });
    for (let column = 0; column < DAILY_COLUMNS.length; column++) {
      const icbs = sum(table.icbs, b, column);
      const trusts = sum(table.trusts, b, column);
      if (table.icbs.length > 0 && icbs !== trusts) {
        throw inputError('E_TOTAL_MISMATCH', at(table.icbs[0]!.line, column), `the ICB rows add up to ${icbs} but the trust rows to ${trusts}; both leave out hospice discharges and must agree.`);
      }
    }
    const england = table.england.values[b]!;
    const ncr = sum(table.trusts, b, 0);
    if (england[0] !== ncr) {
      throw inputError('E_TOTAL_MISMATCH', at(table.england.line, 0), `England says ${england[0]} but the trust rows add up to ${ncr}.`);
    }
    const discharged = sum(table.trusts, b, 1);
    if ((england[1] ?? 0) < discharged) {
      throw inputError('E_TOTAL_MISMATCH', at(table.england.line, 1), `England's ${england[1]} discharges are fewer than the trusts' ${discharged}; England adds hospice discharges to the trusts', never fewer.`);
    }
  });
}

/** England = the sum of the seven regions, column by column (both include hospice discharges). */
function reconcileRegions(table: Table, columns: readonly BlockColumn[], file: string): void {
  table.blocks.forEach((block, b) => {
    columns.forEach((column, c) => {
      const published = table.england.values[b]![c] ?? 0;
      const regions = sum(table.regions, b, c);
      if (published !== regions) {
        throw inputError('E_TOTAL_MISMATCH', { file, sheet: table.sheet, line: table.england.line, column: `${column.label}, ${block}` },
          `England says ${published} but the regions add up to ${regions}; the file may be incomplete or altered.`);
      }
    });
  });
}

function sum(rows: readonly TableRow[], block: number, column: number): number {
  return rows.reduce((total, row) => total + (row.values[block]![column] ?? 0), 0);
}

/** Each row's month: the sum over the days (weeks) it reported, and how many those were. */
function pushSums(items: ParseItem[], table: Table, columns: readonly BlockColumn[], countField: string, period: string): void {
  for (const row of [table.england, ...table.regions, ...table.icbs, ...table.trusts]) {
    const reported = row.values.filter((block) => block[0] !== null);
    columns.forEach((column, c) => {
      const value = reported.length === 0 ? null : reported.reduce((total, block) => total + block[c]!, 0);
      items.push({ kind: 'observation', observation: { metric: column.field, org: row.org, period, value, row: row.line, column: `${table.sheet}: ${column.label}` } });
    });
    items.push({ kind: 'observation', observation: { metric: countField, org: row.org, period, value: reported.length, row: row.line, column: `${table.sheet}: ${countField === DAYS_FIELD ? 'days' : 'weeks'} reported` } });
  }
}

function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
