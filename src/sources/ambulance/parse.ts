import { inputError } from '../../errors.js';
import type { Observation, OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readCsv } from '../csv/read.js';
import { readSheets, type Cell, type Sheet } from '../workbook.js';
import { icbItems, readIcbLookup } from './icb-lookup.js';
import { A_CODE, CATEGORY_FIELDS, CSV_LAYOUT, ICB_LOOKUP, REQUIRED_FIELDS, WORKBOOK } from './layouts.js';
import { cellText, orgCode, periodFromCalendar, periodFromFinancialYear, readAmbValue } from './values.js';

interface Columns {
  identity: Map<string, number>;
  fields: { field: string; index: number }[];
}

/** Identity columns by first occurrence, A-code columns by name; missing ones are named. */
function columnsOf(header: readonly string[], identity: readonly string[], at: { file: string; sheet?: string; line: number }): Columns {
  const found = new Map<string, number>();
  for (const name of identity) {
    const index = header.indexOf(name);
    if (index < 0) throw inputError('E_HEADER', { ...at, column: name }, `column "${name}" is missing from the header.`);
    found.set(name, index);
  }
  const fields: { field: string; index: number }[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (!A_CODE.test(name)) return;
    if (seen.has(name)) throw inputError('E_HEADER', { ...at, column: name }, `column "${name}" appears twice.`);
    seen.add(name);
    fields.push({ field: name, index });
  });
  const missing = REQUIRED_FIELDS.find((field) => !seen.has(field));
  if (missing) throw inputError('E_HEADER', { ...at, column: missing }, `indicator column "${missing}" is missing from the header.`);
  return { identity: found, fields };
}

interface Row {
  org: string;
  period: string;
  line: number;
  values: { field: string; value: number | null }[];
  name?: string;
  region?: string;
}

function toItems(rows: readonly Row[], fileName: string, layout: string, extra: { facts?: OrgFact[]; items?: ParseItem[] } = {}): { items: ParseItem[]; summary: ParseSummary } {
  if (rows.length === 0) throw inputError('E_EMPTY', { file: fileName }, 'the file has a header but no rows of figures.');
  const items: ParseItem[] = [];
  const periods = new Set<string>();
  for (const row of rows) {
    periods.add(row.period);
    if (row.name && /^R[A-Z0-9]{2}$/.test(row.org)) {
      items.push({ kind: 'org', fact: { org: row.org, period: row.period, name: row.name, level: 'ambulance_trust', ...(row.region ? { parentLevel: 'region', parent: row.region } : {}) } });
    }
    for (const { field, value } of row.values) {
      const observation: Observation = { metric: field, org: row.org, period: row.period, value, row: row.line, column: field };
      items.push({ kind: 'observation', observation });
    }
  }
  for (const fact of extra.facts ?? []) items.push({ kind: 'org', fact });
  items.push(...(extra.items ?? []));
  return { items, summary: { layout, periods: [...periods].sort() } };
}

function checkDuplicate(seen: Map<string, number>, row: Row, at: { file: string; sheet?: string }): void {
  const key = `${row.period}|${row.org}`;
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    throw inputError('E_DUPLICATE', { ...at, line: row.line }, `${row.org} for ${row.period} appears twice, on rows ${earlier} and ${row.line}.`);
  }
  seen.set(key, row.line);
}

/** The header row of `Raw`: the first row naming Concatenated, Year, Month and Area (row 5 in 2025). */
function findHeader(sheet: Sheet): number {
  for (let index = 0; index < Math.min(WORKBOOK.headerSearchRows, sheet.rows.length); index++) {
    const cells = (sheet.rows[index] ?? []).map(cellText);
    if (['Concatenated', 'Year', 'Month', 'Area'].every((name) => cells.includes(name))) return index;
  }
  return -1;
}

const isBlank = (cell: Cell | undefined) => cellText(cell) === '';

/** The AmbSYS interactive time-series workbook (whole history, re-issued every month). */
export async function parseWorkbook(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheets = await readSheets(file.name, file.bytes, [WORKBOOK.sheet, WORKBOOK.lookupSheet]);
  const raw = sheets.find((sheet) => sheet.name === WORKBOOK.sheet);
  if (!raw) {
    throw inputError('E_FORMAT', { file: file.name, sheet: WORKBOOK.sheet }, `this AmbSYS workbook has no "${WORKBOOK.sheet}" sheet, which holds the figures; it may be a different product or damaged.`);
  }
  const at = { file: file.name, sheet: raw.name };
  const headerIndex = findHeader(raw);
  if (headerIndex < 0) {
    throw inputError('E_HEADER', { ...at, line: 5 }, `no header row naming "Concatenated", "Year", "Month" and "Area" in the first ${WORKBOOK.headerSearchRows} rows.`);
  }
  const header = raw.rows[headerIndex]!.map(cellText);
  const { identity, fields } = columnsOf(header, WORKBOOK.identity, { ...at, line: headerIndex + 1 });
  const column = (name: (typeof WORKBOOK.identity)[number]) => identity.get(name)!;
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  raw.rows.slice(headerIndex + 1).forEach((cells, offset) => {
    const line = headerIndex + 2 + offset;
    // Blank rows separate the England, region and trust blocks, and a "Raw data" label row sits
    // above the trusts (row 399 in the August 2025 file): rows without a year, month or area
    // carry no figures.
    if ((['Year', 'Month', 'Area'] as const).every((name) => isBlank(cells[column(name)])) && fields.every(({ index }) => isBlank(cells[index]))) return;
    const year = cellText(cells[column('Year')]);
    const month = cellText(cells[column('Month')]);
    const period = periodFromFinancialYear(year, month);
    if (!period) {
      throw inputError('E_VALUE', { ...at, line, column: 'Year' }, `expected a financial year and month such as "2024-25" and "JANUARY", found "${year}" and "${month}".`);
    }
    const area = cellText(cells[column('Area')]);
    if (!/^[A-Z0-9]{3}$/i.test(area)) throw inputError('E_VALUE', { ...at, line, column: 'Area' }, `expected an organisation code such as ENG, Y60 or RYA, found "${area}".`);
    const org = orgCode(area);
    const key = cellText(cells[column('Concatenated')]);
    // Concatenated is Year & Month & Area: a mismatch means the columns have moved.
    if (key && key.toUpperCase() !== `${year}${month}${area}`.toUpperCase()) {
      throw inputError('E_VALUE', { ...at, line, column: 'Concatenated' }, `"${key}" does not match Year, Month and Area ("${year}${month}${area}"); the columns may have moved.`);
    }
    const region = cellText(cells[column('Reg')]).toUpperCase();
    const name = cellText(cells[column('Trust')]);
    const values = fields.map(({ field, index }) => ({ field, value: readAmbValue(cells[index], { ...at, line, column: field }) }));
    const row: Row = { org, period, line, values, ...(name ? { name } : {}), ...(/^Y\d{2}$/.test(region) ? { region } : {}) };
    checkDuplicate(seen, row, at);
    rows.push(row);
  });
  const lookupSheet = sheets.find((sheet) => sheet.name === WORKBOOK.lookupSheet);
  const periods = rows.map((row) => row.period).sort();
  const latest = periods.at(-1);
  if (!lookupSheet || !latest) return toItems(rows, file.name, WORKBOOK.id);
  const reference = new Map<string, number>();
  for (const row of rows) {
    if (!ICB_LOOKUP.referenceMonths.includes(row.period as (typeof ICB_LOOKUP.referenceMonths)[number])) continue;
    const incidents = row.values.find((v) => v.field === CATEGORY_FIELDS.c2.count)?.value;
    if (incidents !== null && incidents !== undefined) reference.set(row.org, (reference.get(row.org) ?? 0) + incidents);
  }
  const { facts, links } = icbItems(readIcbLookup(lookupSheet), reference, latest);
  return toItems(rows, file.name, WORKBOOK.id, { facts, items: links.map((link): ParseItem => ({ kind: 'link', link })) });
}

/** The monthly AmbSYS CSV: one row per organisation and month, calendar year and month number. */
export function parseCsv(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const [headerRecord, ...records] = readCsv(file.name, file.bytes);
  if (!headerRecord) throw inputError('E_EMPTY', { file: file.name }, 'the file is empty.');
  const header = headerRecord.cells.map((cell) => cell.trim());
  const { identity, fields } = columnsOf(header, CSV_LAYOUT.identity, { file: file.name, line: headerRecord.line });
  const column = (name: (typeof CSV_LAYOUT.identity)[number]) => identity.get(name)!;
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  for (const { cells, line } of records) {
    const year = cells[column('Year')] ?? '';
    const month = cells[column('Month')] ?? '';
    const period = periodFromCalendar(year, month);
    if (!period) throw inputError('E_VALUE', { file: file.name, line, column: 'Year' }, `expected a year and month number such as 2024 and 1, found "${year}" and "${month}".`);
    const code = (cells[column('Org Code')] ?? '').trim();
    if (!/^[A-Z0-9]{3}$/i.test(code)) throw inputError('E_VALUE', { file: file.name, line, column: 'Org Code' }, `expected an organisation code such as Eng, Y60 or RYA, found "${code}".`);
    const org = orgCode(code);
    const region = (cells[column('Region')] ?? '').trim().toUpperCase();
    const name = (cells[column('Org Name')] ?? '').trim();
    const values = fields.map(({ field, index }) => ({ field, value: readAmbValue(cells[index], { file: file.name, line, column: field }) }));
    const row: Row = { org, period, line, values, ...(name ? { name } : {}), ...(/^Y\d{2}$/.test(region) ? { region } : {}) };
    checkDuplicate(seen, row, { file: file.name });
    rows.push(row);
  }
  return toItems(rows, file.name, CSV_LAYOUT.id);
}
