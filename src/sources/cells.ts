import { inputError, type ErrorLocation } from '../errors.js';
import type { Cell } from './workbook.js';

/**
 * Reading published values out of workbook rows (from workbook.ts). NHS England workbooks put
 * their headers on whatever row the month's template has, so headers are found by content and
 * columns by name; every value a user's file can get wrong is refused with file, sheet, row and
 * column.
 */

/** A cell's text, trimmed; '' for an empty cell. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

/** Empty, or only blanks: the spacer rows between a table's body and its total. */
export function isBlankRow(row: readonly Cell[] | undefined): boolean {
  return !row || row.every((cell) => cellText(cell) === '');
}

/**
 * A published count. Workbooks store numbers as numbers (CWT halves such as 84.5 included);
 * numeric text is accepted, blank is "not published" (null, never 0), anything else is refused.
 */
export function cellNumber(cell: Cell | undefined, at: Required<Pick<ErrorLocation, 'file' | 'sheet' | 'line' | 'column'>>): number | null {
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
  } else {
    const text = cellText(cell);
    if (text === '') return null;
    if (typeof cell === 'string' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  }
  throw inputError('E_NUMBER', at, `expected a number, found "${cellText(cell)}".`);
}

/** Index of the first cell at or after `from` whose trimmed text is `name`; -1 when absent. */
export function columnOf(header: readonly Cell[], name: string, from = 0): number {
  for (let index = from; index < header.length; index++) if (cellText(header[index]) === name) return index;
  return -1;
}

/** Index of the first row (from `from`) carrying every one of `names` as a cell; -1 when none does. */
export function findRow(rows: readonly (readonly Cell[])[], names: readonly string[], from = 0): number {
  for (let index = from; index < rows.length; index++) {
    const row = rows[index]!;
    if (names.every((name) => columnOf(row, name) >= 0)) return index;
  }
  return -1;
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/**
 * The month a label names, as 'YYYY-MM': "Mar-25" (CWT sheet titles), "March 2025" (CWT
 * Frontpage, DM01 "Period:"), or a date cell (the first of the month). Undefined otherwise.
 */
export function monthOfLabel(cell: Cell | undefined): string | undefined {
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${String(cell.getUTCMonth() + 1).padStart(2, '0')}`;
  const text = cellText(cell).toUpperCase();
  const short = /^([A-Z]{3})-(\d{2})$/.exec(text);
  const long = /^([A-Z]+) (\d{4})$/.exec(text);
  const name = short?.[1] ?? long?.[1];
  const year = short ? `20${short[2]}` : long?.[2];
  if (!name || !year) return undefined;
  const month = MONTHS.findIndex((full) => (short ? full.startsWith(name) : full === name));
  return month < 0 ? undefined : `${year}-${String(month + 1).padStart(2, '0')}`;
}
