import { inputError, type ErrorLocation } from '../errors.js';
import type { Cell } from './workbook.js';

/**
 * Reading values out of workbook rows (from workbook.ts): the text of a cell, a published number,
 * and the header row found by its content, since NHS England moves headers between releases.
 */

/** A cell as trimmed text; '' for an empty cell. Numbers keep their full precision. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

/**
 * A published figure: a number, or null where the cell is empty or holds one of the `absent`
 * marks the publication uses for "none to report" (KH03 and RTT print "-"). Anything else is
 * refused with its sheet, row and column, since a silent NaN would corrupt every roll-up.
 */
export function cellNumber(cell: Cell | undefined, at: ErrorLocation, absent: readonly string[] = ['-']): number | null {
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
    throw inputError('E_NUMBER', at, `expected a number, found ${cell}.`);
  }
  const text = cellText(cell);
  if (text === '' || absent.includes(text)) return null;
  // Some workbooks store figures as text with thousands separators ("12,431").
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$/.test(text)) return Number(text.replace(/,/g, ''));
  throw inputError('E_NUMBER', at, `expected a number, found "${text}".`);
}

/**
 * The 0-based index of the first row (within the first `within` rows) that holds every one of
 * `required` as a cell, compared after trimming; undefined when there is none.
 */
export function findHeaderRow(rows: readonly (readonly Cell[])[], required: readonly string[], within = 60): number | undefined {
  const limit = Math.min(rows.length, within);
  for (let index = 0; index < limit; index++) {
    const cells = new Set((rows[index] ?? []).map(cellText));
    if (required.every((name) => cells.has(name))) return index;
  }
  return undefined;
}
