import { inputError } from '../../errors.js';
import { cellNumber, cellText, columnOf, findRow, isBlankRow, monthOfLabel } from '../cells.js';
import type { ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readSheets, type Cell } from '../workbook.js';
import {
  ALL_CANCERS,
  ALL_MODALITIES,
  CWT_FIELDS,
  CWT_STANDARDS,
  EXTRACT_COLUMNS,
  EXTRACT_LAYOUT,
  EXTRACT_SHEET,
  type CwtStandard,
} from './layouts.js';

interface Sum {
  line: number;
  total: number;
  within: number;
}

const HEADLINE_ROUTES = new Set(['ALL ROUTES', 'ALL STAGES']);

/**
 * The long-format CWT-CRS provider extract (several months, one row per provider × standard ×
 * route × modality × cancer type). It has no all-routes or all-cancers rows and no England row,
 * so each provider's headline is a sum: every 28-day FDS row (route × suspected cancer), and the
 * 31- and 62-day rows for ALL MODALITIES (route × cancer type). The same 31/62-day figures come
 * a second time by modality for ALL CANCERS; the two must agree, as they do in every extract
 * seen, or the file is refused.
 */
export async function parseCwtExtract(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const [sheet] = await readSheets(file.name, file.bytes, [EXTRACT_SHEET]);
  if (!sheet) throw inputError('E_HEADER', { file: file.name, sheet: EXTRACT_SHEET }, `the sheet "${EXTRACT_SHEET}" is missing.`);
  const at = (line?: number, column?: string) => ({ file: file.name, sheet: EXTRACT_SHEET, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const { rows } = sheet;
  if (rows.every((row) => isBlankRow(row))) throw inputError('E_EMPTY', at(), 'the sheet is empty.');
  const names = Object.values(EXTRACT_COLUMNS);
  const headerAt = findRow(rows.slice(0, 20), [EXTRACT_COLUMNS.period, EXTRACT_COLUMNS.standard]);
  if (headerAt < 0) throw inputError('E_HEADER', at(undefined, EXTRACT_COLUMNS.period), `no header row with "${EXTRACT_COLUMNS.period}" and "${EXTRACT_COLUMNS.standard}".`);
  const header = rows[headerAt]!;
  const missing = names.find((name) => columnOf(header, name) < 0);
  if (missing) throw inputError('E_HEADER', at(headerAt + 1, missing), `column "${missing}" is missing from the header row.`);
  const index = Object.fromEntries(Object.entries(EXTRACT_COLUMNS).map(([key, name]) => [key, columnOf(header, name)])) as Record<keyof typeof EXTRACT_COLUMNS, number>;

  const headline = new Map<string, Sum>();
  const byModality = new Map<string, Sum>();
  const seen = new Map<string, number>();
  for (let i = headerAt + 1; i < rows.length; i++) {
    const row = rows[i]!;
    const line = i + 1;
    if (isBlankRow(row)) continue;
    const cellAt = (column: string) => ({ file: file.name, sheet: EXTRACT_SHEET, line, column });
    const period = periodOf(row[index.period], cellAt(EXTRACT_COLUMNS.period));
    const standard = standardOf(row[index.standard], cellAt(EXTRACT_COLUMNS.standard));
    const org = cellText(row[index.org]).toUpperCase();
    if (!org) throw inputError('E_VALUE', at(line, EXTRACT_COLUMNS.org), 'the organisation code is empty.');
    // STAGE/ROUTE mixes cases between files ("URGENT SUSPECTED CANCER", "Urgent Suspected Cancer").
    const route = cellText(row[index.route]).toUpperCase();
    const modality = cellText(row[index.modality]).toUpperCase();
    const cancer = cellText(row[index.cancer]).toUpperCase();
    const key = [period, standard.id, org, route, modality, cancer].join('|');
    const earlier = seen.get(key);
    if (earlier !== undefined) throw inputError('E_DUPLICATE', at(line, EXTRACT_COLUMNS.org), `${org} ${standard.extractStandard} ${route} / ${modality || 'no modality'} / ${cancer} for ${period} appears twice, on lines ${earlier} and ${line}.`);
    seen.set(key, line);

    const number = (cell: Cell | undefined, column: string) => {
      const value = cellNumber(cell, cellAt(column));
      if (value === null) throw inputError('E_NUMBER', at(line, column), 'expected a number, found an empty cell.');
      return value;
    };
    const total = number(row[index.total], EXTRACT_COLUMNS.total);
    const within = number(row[index.within], EXTRACT_COLUMNS.within);
    const breaches = number(row[index.breaches], EXTRACT_COLUMNS.breaches);
    if (Math.abs(within + breaches - total) > 1e-9) {
      throw inputError('E_VALUE', at(line, EXTRACT_COLUMNS.total), `${EXTRACT_COLUMNS.total} is ${total} but ${EXTRACT_COLUMNS.within} and ${EXTRACT_COLUMNS.breaches} add up to ${within + breaches}.`);
    }
    // Summing detail rows is only right while the extract has no headline rows of its own.
    if (HEADLINE_ROUTES.has(route) || (cancer === ALL_CANCERS && (standard.id === 'fds' || modality === ALL_MODALITIES))) {
      throw inputError('E_VALUE', at(line, EXTRACT_COLUMNS.route), `an all-routes or all-cancers row ("${route}", "${cancer}") is not part of the extract layout Planwatch knows; summing it with the detail rows would count patients twice.`);
    }
    const target = standard.id === 'fds' || modality === ALL_MODALITIES ? headline : cancer === ALL_CANCERS ? byModality : undefined;
    if (!target) {
      throw inputError('E_VALUE', at(line, EXTRACT_COLUMNS.modality), `a ${standard.extractStandard} row must be for "${ALL_MODALITIES}" or for "${ALL_CANCERS}"; this one is "${modality}" / "${cancer}".`);
    }
    const sumKey = `${period}|${org}|${standard.id}`;
    const sum = target.get(sumKey) ?? { line, total: 0, within: 0 };
    sum.total += total;
    sum.within += within;
    target.set(sumKey, sum);
  }
  if (headline.size === 0) throw inputError('E_EMPTY', at(headerAt + 2), 'the extract has a header but no rows.');
  checkBreakdowns(file.name, headline, byModality);

  const items: ParseItem[] = [];
  const periods = new Set<string>();
  for (const [key, sum] of headline) {
    const [period, org, id] = key.split('|') as [string, string, CwtStandard['id']];
    periods.add(period);
    items.push(
      { kind: 'observation', observation: { metric: CWT_FIELDS[id].total, org, period, value: sum.total, row: sum.line, column: EXTRACT_COLUMNS.total } },
      { kind: 'observation', observation: { metric: CWT_FIELDS[id].within, org, period, value: sum.within, row: sum.line, column: EXTRACT_COLUMNS.within } },
    );
  }
  // NHS England names a financial year's extract `…-Final` once its figures are final; until then
  // (`…-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx`) they are provisional, and must not
  // replace a Final monthly workbook of the same month (issue 11).
  const publication = /(?<![a-z])final(?![a-z])/i.test(file.name) ? { edition: 'final' as const } : { edition: 'provisional' as const };
  return { items, summary: { layout: EXTRACT_LAYOUT, periods: [...periods].sort(), publication } };
}

type CellAt = Parameters<typeof cellNumber>[1];

function periodOf(cell: Cell | undefined, at: CellAt): string {
  // PERIOD is an Excel date, the first of the month; a cell without date formatting arrives as
  // its serial number (days since 30 December 1899).
  const date = typeof cell === 'number' ? new Date(Date.UTC(1899, 11, 30) + Math.round(cell) * 86_400_000) : cell;
  if (date instanceof Date && date.getUTCDate() === 1) return monthOfLabel(date)!;
  throw inputError('E_VALUE', at, `expected the first day of a month as a date, found "${cellText(cell)}".`);
}

function standardOf(cell: Cell | undefined, at: CellAt): CwtStandard {
  const text = cellText(cell).toLowerCase();
  const standard = CWT_STANDARDS.find((candidate) => candidate.extractStandard.toLowerCase() === text);
  if (!standard) {
    throw inputError('E_VALUE', at, `unknown standard "${cellText(cell)}"; the extract layout since October 2023 has ${CWT_STANDARDS.map((s) => `"${s.extractStandard}"`).join(', ')}.`);
  }
  return standard;
}

function checkBreakdowns(file: string, byCancer: ReadonlyMap<string, Sum>, byModality: ReadonlyMap<string, Sum>): void {
  for (const [key, sum] of byCancer) {
    if (key.endsWith('|fds')) continue;
    const other = byModality.get(key);
    if (!other || Math.abs(other.total - sum.total) > 1e-6 || Math.abs(other.within - sum.within) > 1e-6) {
      const [period, org] = key.split('|');
      throw inputError('E_TOTAL_MISMATCH', { file, sheet: EXTRACT_SHEET, line: sum.line, column: EXTRACT_COLUMNS.modality },
        `${org} ${period}: the rows by cancer type (${ALL_MODALITIES}) add up to ${sum.total} treated, ${sum.within} within the standard, but the rows by modality (${ALL_CANCERS}) to ${other?.total ?? 0} and ${other?.within ?? 0}; the extract may be incomplete or altered.`);
    }
  }
  for (const [key, sum] of byModality) {
    if (!byCancer.has(key)) {
      throw inputError('E_TOTAL_MISMATCH', { file, sheet: EXTRACT_SHEET, line: sum.line, column: EXTRACT_COLUMNS.modality },
        `${key.split('|').slice(0, 2).reverse().join(' ')}: there are rows by modality but none by cancer type; the extract may be incomplete.`);
    }
  }
}
