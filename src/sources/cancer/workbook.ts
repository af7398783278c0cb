import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, columnOf, isBlankRow, monthOfLabel } from '../cells.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { publicationFromRows } from '../publication.js';
import { readSheets, type Cell, type Sheet } from '../workbook.js';
import {
  CODE_COLUMN,
  COMMISSIONER_BASIS,
  CWT_FIELDS,
  CWT_STANDARDS,
  FRONTPAGE,
  PROVIDER_BASIS,
  TOTAL_COLUMN,
  type CwtBasis,
  type CwtStandard,
} from './layouts.js';

interface Value {
  field: string;
  column: string;
  value: number | null;
}

interface TableRow {
  org: string;
  name: string;
  line: number;
  values: Value[];
}

interface Table {
  standard: CwtStandard;
  month: string;
  rows: TableRow[];
  england: TableRow;
}

/**
 * A monthly CWT-CRS workbook, provider or commissioner based: the headline (all routes, all
 * cancers) table of the 28-day FDS, 31-day and 62-day sheets. Only the four sheets needed are
 * read: readSheets empties the other seven before exceljs loads the workbook, which made a
 * parse about ten times faster (0.1–0.5 s, from 1–2.5 s).
 */
export async function parseCwtWorkbook(file: SourceFile, basis: CwtBasis): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheets = await readSheets(file.name, file.bytes, [FRONTPAGE, ...CWT_STANDARDS.map((standard) => standard.sheet)]);
  const tables = CWT_STANDARDS.map((standard) => {
    const sheet = sheets.find((candidate) => candidate.name === standard.sheet);
    if (!sheet) {
      throw inputError('E_HEADER', { file: file.name, sheet: standard.sheet },
        `the sheet "${standard.sheet}" is missing. CWT-CRS workbooks since October 2023 have "${CWT_STANDARDS.map((s) => s.sheet).join('", "')}"; older workbooks used other standards and are not read.`);
    }
    return readTable(file.name, sheet, standard, basis);
  });
  const period = monthOfWorkbook(file.name, tables, sheets.find((sheet) => sheet.name === FRONTPAGE));

  const facts = new Map<string, OrgFact>();
  const items: ParseItem[] = [];
  for (const table of tables) {
    for (const row of [...table.rows, table.england]) {
      if (row !== table.england && !facts.has(row.org)) facts.set(row.org, { org: row.org, period, name: row.name, level: levelOf(row.org, basis) });
      for (const { field, column, value } of row.values) {
        items.push({ kind: 'observation', observation: { metric: field, org: row.org, period, value, row: row.line, column } });
      }
    }
  }
  // The Frontpage opens "Status: Final Official Statistics" (or Provisional); it gives no date.
  const frontpage = sheets.find((sheet) => sheet.name === FRONTPAGE);
  const publication = frontpage ? publicationFromRows(frontpage.rows) : {};
  return { items: [...[...facts.values()].map((fact): ParseItem => ({ kind: 'org', fact })), ...items], summary: { layout: basis.layout, periods: [period], publication } };
}

function levelOf(org: string, basis: CwtBasis): string {
  if (basis.id === 'provider') return 'provider';
  // Commissioner files list ICBs (Q-codes), NHS England's commissioning hubs (13Q, 14M, 76A …)
  // and patients whose commissioner is unknown.
  return /^Q[A-Z0-9]{2}$/.test(org) ? 'icb' : 'commissioner';
}

// The sheets' own month labels decide the period, never the file name; the Frontpage's
// "March 2025" must agree when it is there.
function monthOfWorkbook(file: string, tables: readonly Table[], frontpage: Sheet | undefined): string {
  const [first, ...others] = tables;
  for (const table of others) {
    if (table.month !== first!.month) {
      throw inputError('E_VALUE', { file, sheet: table.standard.sheet }, `this sheet is for ${table.month} but "${first!.standard.sheet}" is for ${first!.month}.`);
    }
  }
  const front = frontpage?.rows.slice(0, 15).flat().map((cell) => (/^[A-Za-z]+ \d{4}$/.test(cellText(cell)) ? monthOfLabel(cell) : undefined)).find(Boolean);
  if (front && front !== first!.month) {
    throw inputError('E_VALUE', { file, sheet: FRONTPAGE }, `the Frontpage says ${front} but the sheets are for ${first!.month}.`);
  }
  return first!.month;
}

function readTable(file: string, sheet: Sheet, standard: CwtStandard, basis: CwtBasis): Table {
  const where = (line?: number, column?: string): ErrorLocation => ({ file, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const { rows } = sheet;
  if (rows.every((row) => isBlankRow(row))) throw inputError('E_EMPTY', where(), 'the sheet is empty.');
  const headers = rows.flatMap((row, index) => (columnOf(row, CODE_COLUMN) >= 0 ? [index] : []));
  if (headers.length === 0) throw inputError('E_HEADER', where(undefined, CODE_COLUMN), `no header row: no cell says "${CODE_COLUMN}".`);
  const headerAt = chooseTable(rows, headers, standard, where);
  const header = rows[headerAt]!;
  const month = rows.slice(0, headers[0]).flat().map((cell) => monthOfLabel(cell)).find(Boolean);
  if (!month) throw inputError('E_VALUE', where(2), 'no month label (such as "Mar-25") above the table.');

  const column = (name: string, from = 0): number => {
    const index = columnOf(header, name, from);
    if (index >= 0) return index;
    const other = basis === PROVIDER_BASIS ? COMMISSIONER_BASIS : PROVIDER_BASIS;
    if (name === basis.nameColumn && columnOf(header, other.nameColumn) >= 0) {
      throw inputError('E_HEADER', where(headerAt + 1, name),
        `this is a ${other.id}-based workbook (column "${other.nameColumn}"), but its file name ${basis.id === 'provider' ? 'does not say' : 'says'} COMMISSIONER; Planwatch files the two bases apart by the name NHS England gives them.`);
    }
    throw inputError('E_HEADER', where(headerAt + 1, name), `column "${name}" is missing from the header row.`);
  };
  const codeAt = column(CODE_COLUMN);
  const nameAt = column(basis.nameColumn);
  const routeAt = column(standard.route.column);
  const cancerAt = standard.cancer ? column(standard.cancer.column) : -1;
  const totalAt = column(TOTAL_COLUMN);
  const withinAt = column(standard.within, totalAt + 1);
  const afterAt = column(standard.after, totalAt + 1);
  const fields = [
    { field: CWT_FIELDS[standard.id].total, column: TOTAL_COLUMN, index: totalAt },
    { field: CWT_FIELDS[standard.id].within, column: standard.within, index: withinAt },
    ...Object.entries(standard.bands).map(([name, field]) => ({ field, column: name, index: column(name, afterAt + 1) })),
  ];

  const body: TableRow[] = [];
  const seen = new Map<string, number>();
  let england: TableRow | undefined;
  for (let index = headerAt + 1; index < rows.length; index++) {
    const row = rows[index]!;
    const line = index + 1;
    if (isBlankRow(row)) continue;
    if (isPartLabel(row) || columnOf(row, CODE_COLUMN) >= 0) break;
    if (england) throw inputError('E_FORMAT', where(line), `a row follows the "${basis.englandName}" row on line ${england.line}.`);
    const code = cellText(row[codeAt]).toUpperCase();
    const name = cellText(row[nameAt]);
    const isEngland = code === '' && name.toUpperCase() === basis.englandName;
    if (!isEngland && code === '') throw inputError('E_VALUE', where(line, CODE_COLUMN), `the organisation code is empty (name "${name}").`);
    expectText(row[routeAt], standard.route.all, where(line, standard.route.column));
    if (standard.cancer) expectText(row[cancerAt], standard.cancer.all, where(line, standard.cancer.column));
    const number = (at: number, name: string) => cellNumber(row[at], { file, sheet: sheet.name, line, column: name });
    const values = fields.map(({ field, column: name, index: at }) => ({ field, column: name, value: number(at, name) }));
    const [total, within] = values;
    const after = number(afterAt, standard.after);
    if (total!.value !== null && within!.value !== null && after !== null && Math.abs(within!.value + after - total!.value) > 1e-9) {
      throw inputError('E_VALUE', where(line, TOTAL_COLUMN),
        `${TOTAL_COLUMN} is ${total!.value} but "${standard.within}" (${within!.value}) and "${standard.after}" (${after}) add up to ${within!.value + after}.`);
    }
    const parsed: TableRow = { org: isEngland ? 'ENG' : code, name, line, values };
    if (isEngland) {
      england = parsed;
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) throw inputError('E_DUPLICATE', where(line, CODE_COLUMN), `organisation ${code} appears twice, on lines ${earlier} and ${line}.`);
    seen.set(code, line);
    body.push(parsed);
  }
  if (body.length === 0) throw inputError('E_EMPTY', where(headerAt + 2), 'the table has a header but no organisation rows.');
  if (!england) {
    throw inputError('E_TRUNCATED', where((body.at(-1)?.line ?? headerAt + 1) + 1),
      `there is no "${basis.englandName}" row after the organisations: the sheet may be cut short.`);
  }
  reconcile(file, sheet.name, england, body);
  return { standard, month, rows: body, england };
}

/** The table of the standard's headline: its labelled part, or the sheet's only table. */
function chooseTable(rows: readonly (readonly Cell[])[], headers: readonly number[], standard: CwtStandard, where: (line?: number) => ErrorLocation): number {
  if (!standard.part) return headers[0]!;
  const wanted = standard.part.toUpperCase();
  const found = headers.find((headerAt) => rows.slice(Math.max(0, headerAt - 4), headerAt).some((row) => isPartLabel(row) && partLabel(row) === wanted));
  if (found === undefined) throw inputError('E_HEADER', where(), `no table labelled "${standard.part}" (the all-routes headline).`);
  return found;
}

function partLabel(row: readonly Cell[]): string {
  return row.map((cell) => cellText(cell).toUpperCase()).find((text) => /^PART [A-Z]:/.test(text)) ?? '';
}

function isPartLabel(row: readonly Cell[]): boolean {
  return partLabel(row) !== '';
}

function expectText(cell: Cell | undefined, expected: string, at: ErrorLocation): void {
  if (cellText(cell).toUpperCase() !== expected) throw inputError('E_VALUE', at, `expected "${expected}" in the headline table, found "${cellText(cell)}".`);
}

// In every workbook of October 2023 – September 2025 the England row equals the sum of the
// organisation rows, independent providers and commissioning hubs included; a difference means a
// row was lost or altered, so the file is refused rather than stored.
function reconcile(file: string, sheet: string, england: TableRow, body: readonly TableRow[]): void {
  england.values.forEach(({ column, value: published }, index) => {
    if (published === null) return;
    const sum = body.reduce((total, row) => total + (row.values[index]!.value ?? 0), 0);
    if (Math.abs(sum - published) > 1e-6) {
      throw inputError('E_TOTAL_MISMATCH', { file, sheet, line: england.line, column },
        `the England row says ${published} but the organisation rows add up to ${sum}; the sheet may be incomplete or altered.`);
    }
  });
}
