import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText } from '../cells.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { monthNumber, toPeriod } from '../months.js';
import { REGIONS } from '../regions.js';
import { readSheets, type Cell } from '../workbook.js';
import { BLOCKS, IDENTITY_COLUMNS, KH03_OVERNIGHT, KH03_SHEET, SECTORS, bedsField, columnLabel } from './layouts.js';

interface FieldColumn {
  field: string;
  label: string;
  index: number;
}

interface OrgRow {
  org: string;
  line: number;
  values: Map<string, number | null>;
}

const ENGLAND = 'ENG';

/** The KH03 overnight web file: one quarter, every trust and the England row. */
export async function parseKh03(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const [sheet] = await readSheets(file.name, file.bytes, [KH03_SHEET]);
  if (!sheet) {
    throw inputError('E_FORMAT', { file: file.name, sheet: KH03_SHEET }, `the sheet "${KH03_SHEET}" is missing; this is not a KH03 overnight beds web file as published.`);
  }
  const place = (line?: number, column?: string): ErrorLocation => ({ file: file.name, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  refuseDayOnly(sheet.rows, place);
  const headerAt = locateHeader(sheet.rows, place);
  const header = sheet.rows[headerAt] ?? [];
  const columns = fieldColumns(header, sheet.rows[headerAt - 1] ?? [], place(headerAt + 1));
  const at = (name: string) => header.findIndex((cell) => cellText(cell) === name);
  const [yearAt, periodEndAt, regionAt, codeAt, nameAt] = IDENTITY_COLUMNS.map(at) as [number, number, number, number, number];

  let period: string | undefined;
  let england: OrgRow | undefined;
  const orgs = new Map<string, OrgRow>();
  const facts: OrgFact[] = [];
  for (let index = headerAt + 1; index < sheet.rows.length; index++) {
    const cells = sheet.rows[index] ?? [];
    if (cells.every((cell) => cellText(cell) === '')) continue;
    const line = index + 1;
    const rowPeriod = quarterPeriod(cellText(cells[yearAt]), cellText(cells[periodEndAt]), place(line));
    if (period && rowPeriod !== period) {
      throw inputError('E_VALUE', place(line, 'Period End'), `this row is for ${rowPeriod} but earlier rows are for ${period}.`);
    }
    period = rowPeriod;
    const code = cellText(cells[codeAt]).toUpperCase();
    const name = cellText(cells[nameAt]);
    const values = new Map(columns.map(({ field, label, index: column }) => [field, bedCount(cells[column], { file: file.name, sheet: sheet.name, line, column: label })]));
    if (!code) {
      // The England row is the only one without an organisation code (Region and Org Code empty).
      if (name.toLowerCase() !== 'england') throw inputError('E_VALUE', place(line, 'Org Code'), `the organisation code is empty for "${name}".`);
      if (england) throw inputError('E_DUPLICATE', place(line, 'Org Name'), `the England row appears twice, on rows ${england.line} and ${line}.`);
      england = { org: ENGLAND, line, values };
      continue;
    }
    const earlier = orgs.get(code);
    if (earlier) throw inputError('E_DUPLICATE', place(line, 'Org Code'), `organisation ${code} appears twice, on rows ${earlier.line} and ${line}.`);
    orgs.set(code, { org: code, line, values });
    const region = cellText(cells[regionAt]).toUpperCase();
    facts.push({ org: code, period, name, level: 'trust', ...(REGIONS[region] ? { parentLevel: 'region', parent: region } : {}) });
  }
  if (!period || orgs.size === 0) throw inputError('E_EMPTY', place(headerAt + 2), 'the sheet has a header but no trust rows.');
  if (england) reconcile(england, [...orgs.values()], columns, place);

  const items: ParseItem[] = facts.map((fact) => ({ kind: 'org', fact }));
  for (const row of [...(england ? [england] : []), ...orgs.values()]) {
    for (const { field, label } of columns) {
      items.push({ kind: 'observation', observation: { metric: field, org: row.org, period, value: row.values.get(field) ?? null, row: row.line, column: label } });
    }
  }
  return { items, summary: { layout: KH03_OVERNIGHT.id, periods: [period] } };
}

// KH03 prints "-" for a percentage with no beds to divide by; should one appear among the
// counts it means nothing to report there (null), never 0.
function bedCount(cell: Cell | undefined, at: Required<Pick<ErrorLocation, 'file' | 'sheet' | 'line' | 'column'>>): number | null {
  return cellText(cell) === '-' ? null : cellNumber(cell, at);
}

// The day-only web file has the same sheets and columns; only its title tells it apart, and
// its beds are not the overnight beds the occupancy measures are about.
function refuseDayOnly(rows: readonly (readonly Cell[])[], place: (line?: number) => ErrorLocation): void {
  for (let index = 0; index < Math.min(rows.length, 12); index++) {
    const cells = (rows[index] ?? []).map(cellText);
    const label = cells.indexOf('Title:');
    if (label >= 0 && /day only/i.test(cells[label + 1] ?? '')) {
      throw inputError('E_FORMAT', place(index + 1), 'this is the KH03 day-only beds file; Planwatch reads the overnight file (Beds-Open-Overnight-Web_File).');
    }
  }
}

function locateHeader(rows: readonly (readonly Cell[])[], place: (line?: number, column?: string) => ErrorLocation): number {
  let best = { index: -1, found: 0 };
  for (let index = 0; index < Math.min(rows.length, 60); index++) {
    const cells = new Set((rows[index] ?? []).map(cellText));
    const found = IDENTITY_COLUMNS.filter((column) => cells.has(column)).length;
    if (found > best.found) best = { index, found };
  }
  if (best.found === IDENTITY_COLUMNS.length) return best.index;
  if (best.found >= 2) {
    const cells = new Set((rows[best.index] ?? []).map(cellText));
    const missing = IDENTITY_COLUMNS.find((column) => !cells.has(column))!;
    throw inputError('E_HEADER', place(best.index + 1, missing), `column "${missing}" is missing from the header row.`);
  }
  throw inputError('E_HEADER', place(), `no header row (${IDENTITY_COLUMNS.join(', ')}) in the first 60 rows.`);
}

/**
 * Each stored figure's column. The sector names repeat in every block, so the block comes from
 * the group row above the header ("Available", "Occupied", "% Occupied"); a blank spacer column
 * ends a block, and a blank group cell inside a block (a merged cell) continues it.
 */
function fieldColumns(header: readonly Cell[], groups: readonly Cell[], at: ErrorLocation): FieldColumn[] {
  const found = new Map<string, number[]>();
  let block = '';
  header.forEach((cell, index) => {
    const name = cellText(cell);
    const group = cellText(groups[index]);
    if (group) block = group;
    else if (!name) block = '';
    const field = bedsField(block, name);
    if (field) found.set(field, [...(found.get(field) ?? []), index]);
  });
  const columns: FieldColumn[] = [];
  for (const block of Object.keys(BLOCKS)) {
    for (const sector of Object.keys(SECTORS)) {
      const field = bedsField(block, sector)!;
      const label = columnLabel(block, sector);
      const indexes = found.get(field) ?? [];
      if (indexes.length === 0) throw inputError('E_HEADER', { ...at, column: label }, `column "${sector}" under "${block}" is missing.`);
      if (indexes.length > 1) throw inputError('E_HEADER', { ...at, column: label }, `column "${sector}" appears ${indexes.length} times under "${block}".`);
      columns.push({ field, label, index: indexes[0]! });
    }
  }
  return columns;
}

/** "2024-25" and "March" → '2025-03': the quarter keyed by its last month. */
function quarterPeriod(year: string, periodEnd: string, at: ErrorLocation): string {
  const match = /^(\d{4})-(\d{2})$/.exec(year);
  if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2])) {
    throw inputError('E_VALUE', { ...at, column: 'Year' }, `expected a financial year like "2024-25", found "${year}".`);
  }
  const month = monthNumber(periodEnd);
  if (!month || month % 3 !== 0) {
    throw inputError('E_VALUE', { ...at, column: 'Period End' }, `expected the last month of a quarter (March, June, September or December), found "${periodEnd}".`);
  }
  const start = Number(match[1]);
  return toPeriod(month >= 4 ? start : start + 1, month);
}

// In every file seen the England row equals the sum of the trust rows (to floating-point
// rounding), so a difference means rows were lost or altered and the file is refused.
function reconcile(england: OrgRow, orgs: readonly OrgRow[], columns: readonly FieldColumn[], place: (line?: number, column?: string) => ErrorLocation): void {
  for (const { field, label } of columns) {
    const published = england.values.get(field);
    if (published === null || published === undefined) continue;
    const sum = orgs.reduce((total, row) => total + (row.values.get(field) ?? 0), 0);
    if (Math.abs(sum - published) > 1e-6 * Math.max(1, Math.abs(published))) {
      throw inputError('E_TOTAL_MISMATCH', place(england.line, label),
        `the England row says ${published} but the trust rows add up to ${sum}; the file may be incomplete or altered.`);
    }
  }
}
