import { inputError, type ErrorLocation } from '../../errors.js';
import type { Cell } from '../workbook.js';
import { MONTHS } from './layouts.js';

/**
 * One published AmbSYS figure. `-` (the workbook), `.` (the CSV and one workbook cell) and blank
 * mean not published: null, never 0. The CSV may carry thousands separators ("1,234"). Anything
 * else is refused with its place, since a silent NaN would corrupt every roll-up.
 */
export function readAmbValue(cell: Cell | string | undefined, at: ErrorLocation): number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
    throw inputError('E_NUMBER', at, `expected a number, found ${cell}.`);
  }
  if (typeof cell === 'string') {
    const text = cell.trim();
    if (text === '' || text === '-' || text === '.') return null;
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) || /^-?\d+(\.\d+)?$/.test(text)) return Number(text.replaceAll(',', ''));
    throw inputError('E_NUMBER', at, `expected a number, found "${text}".`);
  }
  throw inputError('E_NUMBER', at, `expected a number, found ${cell instanceof Date ? `the date ${cell.toISOString().slice(0, 10)}` : String(cell)}.`);
}

/** Financial year "2024-25" and month "JANUARY" → "2025-01" (April starts the year). */
export function periodFromFinancialYear(year: string, month: string): string | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(year.trim());
  const index = MONTHS.indexOf(month.trim().toUpperCase());
  if (!match || index < 0) return undefined;
  const start = Number(match[1]);
  if ((start + 1) % 100 !== Number(match[2])) return undefined;
  const calendarYear = index >= 3 ? start : start + 1;
  return `${calendarYear}-${String(index + 1).padStart(2, '0')}`;
}

/** Calendar year 2024 and month 1 → "2024-01". */
export function periodFromCalendar(year: string, month: string): string | undefined {
  if (!/^\d{4}$/.test(year.trim()) || !/^\d{1,2}$/.test(month.trim())) return undefined;
  const m = Number(month);
  return m >= 1 && m <= 12 ? `${year.trim()}-${String(m).padStart(2, '0')}` : undefined;
}

/** AmbSYS names England `ENG` in the workbook and `Eng` in the CSV; other codes are ODS codes. */
export function orgCode(text: string): string {
  const code = text.trim().toUpperCase();
  return code;
}

export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return cell instanceof Date ? cell.toISOString() : String(cell).trim();
}
