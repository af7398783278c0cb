import { inputError } from '../../errors.js';
import type { Observation, OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readCsv, readNumber, type CsvRecord } from '../csv/read.js';
import { regionCodeFromName } from '../regions.js';
import {
  FIELD_TESTING_FROM,
  FIELD_TESTING_NOTE,
  FIELD_TESTING_TO,
  FIELD_TESTING_TRUSTS,
  IDENTITY_COLUMNS,
  NHSR_LAYOUT,
  OVER_4_HOUR_FIELDS,
  matchLayout,
  type AeField,
} from './layouts.js';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/** "MSitAE-JANUARY-2024" → "2024-01". */
function periodFromMsitae(text: string): string | undefined {
  const match = /^MSitAE-([A-Z]+)-(\d{4})$/i.exec(text.trim());
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1]!.toUpperCase());
  return month < 0 ? undefined : `${match[2]}-${String(month + 1).padStart(2, '0')}`;
}

// The national total row comes in many spellings (TOTAL, Total, "Total ", and in 2019-20 only in
// "Org name" with the other identity cells empty), so any identity cell saying total marks it.
function isTotalRow(cells: readonly string[], identity: readonly number[]): boolean {
  return identity.some((index) => (cells[index] ?? '').trim().toLowerCase() === 'total');
}

interface MonthlyRow {
  line: number;
  org: string;
  values: Map<AeField, number | null>;
}

/** The monthly provider CSV, in any of its three layouts. */
export function parseMonthly(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const records = readCsv(file.name, file.bytes);
  const [headerRecord, ...rows] = records;
  if (!headerRecord) throw inputError('E_EMPTY', { file: file.name }, 'the file is empty.');
  const header = headerRecord.cells.map((cell) => cell.trim());
  const layout = matchLayout(header);
  if (!layout) {
    const missing = IDENTITY_COLUMNS.find((column) => !header.includes(column));
    throw inputError('E_HEADER', { file: file.name, line: 1, ...(missing ? { column: missing } : {}) },
      `this is not the header of the monthly A&E provider CSV${missing ? `: column "${missing}" is missing` : ''}.`);
  }
  for (const column of [...IDENTITY_COLUMNS, ...Object.keys(layout.columns)]) {
    const count = header.filter((name) => name === column).length;
    if (count === 0) {
      throw inputError('E_HEADER', { file: file.name, line: 1, column }, `column "${column}" is missing (layout ${layout.id}, ${layout.description}).`);
    }
    if (count > 1) throw inputError('E_HEADER', { file: file.name, line: 1, column }, `column "${column}" appears ${count} times.`);
  }
  const at = (column: string) => header.indexOf(column);
  const identity = IDENTITY_COLUMNS.map(at);
  const [periodAt, orgAt, parentAt, nameAt] = identity as [number, number, number, number];
  const fieldColumns = Object.entries(layout.columns).map(([column, field]) => ({ column, field, index: at(column) }));

  let period: string | undefined;
  let total: CsvRecord | undefined;
  // A file names the same few regions on every row: each name is read once.
  const regions = new Map<string, string | undefined>();
  const byOrg = new Map<string, MonthlyRow>();
  const facts: OrgFact[] = [];
  for (const record of rows) {
    const { cells, line } = record;
    if (total) {
      throw inputError('E_FORMAT', { file: file.name, line }, `a row follows the TOTAL row on line ${total.line}.`);
    }
    if (isTotalRow(cells, identity)) {
      total = record;
      continue;
    }
    const rowPeriod = periodFromMsitae(cells[periodAt] ?? '');
    if (!rowPeriod) {
      throw inputError('E_VALUE', { file: file.name, line, column: 'Period' }, `expected a period like "MSitAE-JANUARY-2024", found "${cells[periodAt] ?? ''}".`);
    }
    if (period && rowPeriod !== period) {
      throw inputError('E_VALUE', { file: file.name, line, column: 'Period' }, `this row is for ${rowPeriod} but earlier rows are for ${period}.`);
    }
    period = rowPeriod;
    const org = (cells[orgAt] ?? '').trim().toUpperCase();
    if (!org) throw inputError('E_VALUE', { file: file.name, line, column: 'Org Code' }, 'the organisation code is empty.');
    const earlier = byOrg.get(org);
    if (earlier) {
      throw inputError('E_DUPLICATE', { file: file.name, line, column: 'Org Code' }, `organisation ${org} appears twice, on lines ${earlier.line} and ${line}.`);
    }
    const values = new Map<AeField, number | null>();
    for (const { column, field, index } of fieldColumns) values.set(field, readNumber(cells[index], file.name, line, column));
    byOrg.set(org, { line, org, values });
    const parentName = cells[parentAt] ?? '';
    if (!regions.has(parentName)) regions.set(parentName, regionCodeFromName(parentName));
    const parent = regions.get(parentName);
    facts.push({ org, period, name: (cells[nameAt] ?? '').trim(), level: 'provider', ...(parent ? { parentLevel: 'region', parent } : {}) });
  }
  if (!period) throw inputError('E_EMPTY', { file: file.name, line: 2 }, 'the file has a header but no organisation rows.');
  if (!total) {
    throw inputError('E_TRUNCATED', { file: file.name, line: (rows.at(-1)?.line ?? 1) + 1 }, 'there is no TOTAL row at the end: the file may be cut short.');
  }
  checkTotals(file.name, total, [...byOrg.values()], fieldColumns);

  const observations: ParseItem[] = facts.map((fact) => ({ kind: 'org', fact }));
  const columnOf = new Map(fieldColumns.map(({ field, column }) => [field, column]));
  for (const row of byOrg.values()) {
    const fieldTesting = isFieldTestingMonth(row, period);
    for (const [field, value] of row.values) {
      const observation: Observation = { metric: field, org: row.org, period, value, row: row.line, column: columnOf.get(field)! };
      if (fieldTesting && OVER_4_HOUR_FIELDS.includes(field)) {
        observation.value = null;
        observation.note = FIELD_TESTING_NOTE;
      }
      observations.push({ kind: 'observation', observation });
    }
  }
  return { items: observations, summary: { layout: layout.id, periods: [period] } };
}

/** A listed trust, inside the pilot window, that shows attendances but no breaches at all. */
function isFieldTestingMonth(row: MonthlyRow, period: string): boolean {
  if (!FIELD_TESTING_TRUSTS.has(row.org) || period < FIELD_TESTING_FROM || period > FIELD_TESTING_TO) return false;
  const breaches = OVER_4_HOUR_FIELDS.reduce((sum, field) => sum + (row.values.get(field) ?? 0), 0);
  const attendances = ['attendances_type1', 'attendances_type2', 'attendances_other'].reduce(
    (sum, field) => sum + (row.values.get(field as AeField) ?? 0), 0);
  return breaches === 0 && attendances > 0;
}

// In every file checked the TOTAL row equals the sum of the organisation rows; a difference
// means a row was lost or altered, so the file is refused rather than stored.
function checkTotals(file: string, total: CsvRecord, rows: MonthlyRow[], columns: { column: string; field: AeField; index: number }[]): void {
  for (const { column, field, index } of columns) {
    const published = readNumber(total.cells[index], file, total.line, column);
    if (published === null) continue;
    const sum = rows.reduce((acc, row) => acc + (row.values.get(field) ?? 0), 0);
    if (Math.abs(sum - published) > 1e-6) {
      throw inputError('E_TOTAL_MISMATCH', { file, line: total.line, column },
        `the TOTAL row says ${published} but the organisation rows add up to ${sum}; the file may be incomplete or altered.`);
    }
  }
}

/** The NHS-R Community tidy CSV: one row per period × organisation × A&E type. */
export function parseNhsrTidy(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const [headerRecord, ...rows] = readCsv(file.name, file.bytes);
  if (!headerRecord) throw inputError('E_EMPTY', { file: file.name }, 'the file is empty.');
  const header = headerRecord.cells.map((cell) => cell.trim());
  const missing = NHSR_LAYOUT.header.find((column) => !header.includes(column));
  if (missing) throw inputError('E_HEADER', { file: file.name, line: 1, column: missing }, `column "${missing}" is missing.`);
  const at = (column: string) => header.indexOf(column);
  const seen = new Map<string, number>();
  // The types each organisation published each month, with its first line (absentTypesAsZero).
  const typesByOrgMonth = new Map<string, { period: string; org: string; line: number; types: Set<string> }>();
  const periods = new Set<string>();
  const items: ParseItem[] = [];
  for (const { cells, line } of rows) {
    const match = /^(\d{4})-(\d{2})-01$/.exec((cells[at('period')] ?? '').trim());
    if (!match) {
      throw inputError('E_VALUE', { file: file.name, line, column: 'period' }, `expected a date like 2017-03-01, found "${cells[at('period')] ?? ''}".`);
    }
    const period = `${match[1]}-${match[2]}`;
    const org = (cells[at('org_code')] ?? '').trim().toUpperCase();
    if (!org) throw inputError('E_VALUE', { file: file.name, line, column: 'org_code' }, 'the organisation code is empty.');
    const type = (cells[at('type')] ?? '').trim() as keyof typeof NHSR_LAYOUT.fieldsByType;
    const fields = NHSR_LAYOUT.fieldsByType[type];
    if (!fields) throw inputError('E_VALUE', { file: file.name, line, column: 'type' }, `expected type 1, 2 or other, found "${type}".`);
    const key = `${period}|${org}|${type}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', { file: file.name, line, column: 'org_code' }, `${org} type ${type} for ${period} appears twice, on lines ${earlier} and ${line}.`);
    }
    seen.set(key, line);
    const orgMonth = typesByOrgMonth.get(`${period}|${org}`);
    if (orgMonth) orgMonth.types.add(type);
    else typesByOrgMonth.set(`${period}|${org}`, { period, org, line, types: new Set([type]) });
    periods.add(period);
    for (const column of ['attendances', 'breaches', 'admissions'] as const) {
      const value = readNumber(cells[at(column)], file.name, line, column);
      items.push({ kind: 'observation', observation: { metric: fields[column], org, period, value, row: line, column } });
    }
  }
  if (periods.size === 0) throw inputError('E_EMPTY', { file: file.name, line: 2 }, 'the file has a header but no rows.');
  items.push(...absentTypesAsZero(typesByOrgMonth.values()));
  return { items, summary: { layout: NHSR_LAYOUT.id, periods: [...periods].sort() } };
}

// NHS-R dropped every row with no attendances (the file has no zero-attendance rows), so an
// organisation with no row for a type had none of that type that month. Without these zeros an
// organisation with only a type 3 unit would have no all-types figure at all.
function absentTypesAsZero(orgMonths: Iterable<{ period: string; org: string; line: number; types: Set<string> }>): ParseItem[] {
  const items: ParseItem[] = [];
  // Rows arrive in line order, so each entry's line is the first of its organisation and month.
  for (const { period, org, line, types } of orgMonths) {
    for (const [type, fields] of Object.entries(NHSR_LAYOUT.fieldsByType)) {
      if (types.has(type)) continue;
      for (const field of Object.values(fields)) {
        items.push({ kind: 'observation', observation: { metric: field, org, period, value: 0, row: line, column: `type (no "${type}" row: none that month)` } });
      }
    }
  }
  return items;
}
