import { publicationFromRows } from '../publication.js';
import { PlanwatchError, inputError, type ErrorLocation } from '../../errors.js';
import { cellText, isBlankRow, monthOfLabel } from '../cells.js';
import type { Observation, OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { regionCodeFromName } from '../regions.js';
import { readSheets, sheetNames, type Cell } from '../workbook.js';
import {
  AE_FIELDS,
  AE_WORKBOOK_LAYOUTS,
  AE_WORKBOOK_SHEETS,
  FIELD_TESTING_FROM,
  FIELD_TESTING_TO,
  FIELD_TESTING_TRUSTS,
  FIELD_TESTING_WORKBOOK_NOTE,
  WORKBOOK_FOUR_HOUR_ROLES,
  locateWorkbookColumns,
  matchWorkbookLayout,
  workbookHeaderCells,
  type AeField,
  type AeWorkbookLayout,
  type AeWorkbookRole,
  type WorkbookHeaderCell,
} from './layouts.js';

const TYPE_HEADERS = new Set(['Type 1 Departments - Major A&E', 'Type 2 Departments - Single Specialty', 'Type 3 Departments - Other A&E/Minor Injury Unit']);

/** How far down the header may sit: row 16 in every workbook NHS England published. */
const HEADER_SEARCH_ROWS = 40;

const SHARE_ROLES = new Set<AeWorkbookRole>(['share_within4_all', 'share_within4_type1', 'share_within4_type2', 'share_within4_other']);
const STORED = new Set<string>(AE_FIELDS);
// NHS England derives the "less than 4 hours" block as attendances minus breaches, so it can go
// negative where a unit reported a breach but no attendance of that type (AC008, type 1, July and
// August 2017: 0 attendances, 1 over 4 hours, -1 within). Never stored; only checked to add up.
const UNDER4_ROLES = new Set<AeWorkbookRole>(['under4_type1', 'under4_type2', 'under4_other', 'total_under4']);

interface Row {
  line: number;
  org: string;
  name: string;
  region: string;
  values: Map<AeWorkbookRole, number | null>;
}

type Located = Map<AeWorkbookRole, WorkbookHeaderCell>;

/** Where the identity columns are. */
interface Identity {
  code: number;
  region: number;
  name: number;
}

/** The sheet of ours the workbook has, or a clear refusal. */
function ourSheet(file: SourceFile): string {
  const names = sheetNames(file.bytes);
  if (names.length === 0) {
    throw inputError('E_TRUNCATED', { file: file.name }, 'the workbook cannot be read; it may be damaged or cut short.');
  }
  const sheet = AE_WORKBOOK_SHEETS.find((name) => names.includes(name));
  if (!sheet) {
    throw inputError('E_HEADER', { file: file.name },
      `no sheet named ${AE_WORKBOOK_SHEETS.map((name) => `"${name}"`).join(' or ')}: this is not NHS England's monthly A&E provider workbook.`);
  }
  return sheet;
}

function locateLayout(file: string, sheet: string, rows: readonly Cell[][]): { layout: AeWorkbookLayout; columns: Located; identity: Identity; headerAt: number } {
  const headerAt = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => row.some((cell) => cellText(cell) === 'Code'));
  if (headerAt < 0) {
    throw inputError('E_HEADER', { file, sheet, column: 'Code' }, `no header row with a "Code" column in the first ${HEADER_SEARCH_ROWS} rows.`);
  }
  const cells = workbookHeaderCells(rows[headerAt - 1], rows[headerAt]!);
  const line = headerAt + 1;
  for (const name of ['Code', 'Region', 'Name']) {
    if (!cells.some((cell) => cell.header === name)) throw inputError('E_HEADER', { file, sheet, line, column: name }, `column "${name}" is missing.`);
  }
  const layout = matchWorkbookLayout(sheet, cells);
  if (!layout) {
    // Name the first missing column of the layout this sheet comes closest to.
    const candidates = AE_WORKBOOK_LAYOUTS.filter((candidate) => candidate.sheet === sheet).map((candidate) => {
      const result = locateWorkbookColumns(candidate, cells);
      const missing = 'missing' in result ? result.missing : undefined;
      return { candidate, missing, matched: missing ? candidate.columns.indexOf(missing) : candidate.columns.length };
    });
    const closest = candidates.sort((a, b) => b.matched - a.matched)[0]!;
    const column = closest.missing!;
    throw inputError('E_HEADER', { file, sheet, line, column: column.header },
      `column "${column.header}"${column.group ? ` under "${column.group}"` : ''} is missing (closest layout ${closest.candidate.id}, ${closest.candidate.description}).`);
  }
  for (const column of layout.columns) {
    const same = cells.filter((cell) => cell.header === column.header && (column.group === undefined || cell.group === column.group));
    if (same.length > 1) throw inputError('E_HEADER', { file, sheet, line, column: column.header }, `column "${column.header}" appears ${same.length} times.`);
  }
  const { found } = locateWorkbookColumns(layout, cells) as { found: Located };
  const at = (name: string) => cells.find((cell) => cell.header === name)!.index;
  return { layout, columns: found, identity: { code: at('Code'), region: at('Region'), name: at('Name') }, headerAt };
}

/** The month from the metadata block's "Period:" row ("July 2015"). */
function periodOf(file: string, sheet: string, rows: readonly Cell[][], headerAt: number): string {
  for (let index = 0; index < headerAt; index++) {
    const row = rows[index] ?? [];
    const label = row.findIndex((cell) => /^period\s*:?$/i.test(cellText(cell)));
    if (label < 0) continue;
    const value = row.slice(label + 1).find((cell) => cellText(cell) !== '');
    const period = monthOfLabel(value);
    if (!period) throw inputError('E_VALUE', { file, sheet, line: index + 1, column: 'Period:' }, `expected a month like "July 2015", found "${cellText(value)}".`);
    return period;
  }
  throw inputError('E_HEADER', { file, sheet, column: 'Period:' }, 'the metadata block has no "Period:" row, so the month is unknown.');
}

/**
 * A count: a number; `-` (not reported) only in the 4-hour blocks, where field-testing trusts
 * (from May 2019) have no figures. A share: a 0–1 fraction, or `N/A` (2015–2017) or `-` (from
 * April 2017) where the type had no attendances. Anything else is refused where it stands.
 */
function readValue(cell: Cell | undefined, role: AeWorkbookRole, at: Required<Pick<ErrorLocation, 'file' | 'sheet' | 'line' | 'column'>>): number | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) {
    if (SHARE_ROLES.has(role)) {
      if (cell < -1e-9 || cell > 1 + 1e-9) throw inputError('E_VALUE', at, `expected a fraction between 0 and 1, found ${cell}.`);
    } else if (cell < 0 && !UNDER4_ROLES.has(role)) {
      // Counts are kept as published, fractions included: January 2016 gives RXC 954.42857143
      // type 2 attendances (carried into its total and England's), a figure NHS England estimated.
      throw inputError('E_NUMBER', at, `expected a number of patients, found ${cell}.`);
    }
    return cell;
  }
  const text = cellText(cell);
  if (SHARE_ROLES.has(role) && (text === 'N/A' || text === '-')) return null;
  if (WORKBOOK_FOUR_HOUR_ROLES.has(role) && text === '-') return null;
  if (/^\d+$/.test(text) && !SHARE_ROLES.has(role)) return Number(text);
  throw inputError('E_NUMBER', at, `expected a number, found "${text}".`);
}

function readRow(file: string, sheet: string, cells: readonly Cell[], line: number, columns: Located, identity: Identity): Row {
  const values = new Map<AeWorkbookRole, number | null>();
  for (const [role, column] of columns) {
    try {
      values.set(role, readValue(cells[column.index], role, { file, sheet, line, column: column.header }));
    } catch (error) {
      // The type headers repeat in every block: say which block the cell is in.
      if (!(error instanceof PlanwatchError) || !column.group || !TYPE_HEADERS.has(column.header)) throw error;
      throw inputError(error.code, error.at!, `${error.message.slice(error.message.indexOf(': ') + 2)}${underGroup(column)}`);
    }
  }
  return { line, org: cellText(cells[identity.code]).toUpperCase(), name: cellText(cells[identity.name]), region: cellText(cells[identity.region]), values };
}

/** Which block a repeated type header is in, for messages. */
const underGroup = (column: WorkbookHeaderCell) => (TYPE_HEADERS.has(column.header) ? ` (under "${column.group}")` : '');

const sum = (values: readonly (number | null | undefined)[]) => values.reduce<number>((total, value) => total + (value ?? 0), 0);

/**
 * A provider's totals are the sums of its types, and (from April 2017) each type's attendances
 * are its under- plus over-4-hour counts: a mismatch means a shifted or altered column.
 */
function checkRow(file: string, sheet: string, row: Row, columns: Located): void {
  const v = (role: AeWorkbookRole) => row.values.get(role);
  const checks: [AeWorkbookRole, AeWorkbookRole[]][] = [
    ['total_attendances', ['attendances_type1', 'attendances_type2', 'attendances_other']],
    ['total_over4', ['over4_type1', 'over4_type2', 'over4_other']],
    ['total_emergency_admissions_via_ae', ['emergency_admissions_type1', 'emergency_admissions_type2', 'emergency_admissions_other']],
    ['total_emergency_admissions', ['total_emergency_admissions_via_ae', 'other_emergency_admissions']],
  ];
  if (columns.has('total_under4')) checks.push(['total_under4', ['under4_type1', 'under4_type2', 'under4_other']]);
  for (const [total, parts] of checks) {
    const published = v(total);
    if (published === null || published === undefined || parts.some((part) => v(part) === null)) continue;
    const added = sum(parts.map(v));
    if (Math.abs(added - published) > 1e-6) {
      throw inputError('E_TOTAL_MISMATCH', { file, sheet, line: row.line, column: columns.get(total)!.header },
        `says ${published} but its parts add up to ${added}.`);
    }
  }
  if (!columns.has('under4_type1')) return;
  for (const type of ['type1', 'type2', 'other'] as const) {
    const attendances = v(`attendances_${type}`);
    const under = v(`under4_${type}`);
    const over = v(`over4_${type}`);
    if (attendances == null || under == null || over == null || Math.abs(under + over - attendances) <= 1e-6) continue;
    throw inputError('E_TOTAL_MISMATCH', { file, sheet, line: row.line, column: columns.get(`attendances_${type}`)!.header },
      `${attendances} attendances but ${under} within and ${over} over 4 hours.`);
  }
}

/**
 * Every England count equals the sum of the providers (data README §9), and England's published
 * 4-hour shares are over the providers that reported 4-hour figures only, as NHS England computes
 * them: the field-testing trusts' attendances are in England's attendances but not in its share.
 */
function checkEngland(file: string, sheet: string, england: Row, providers: readonly Row[], columns: Located): void {
  for (const [role, column] of columns) {
    if (SHARE_ROLES.has(role) || !england.values.has(role)) continue;
    const published = england.values.get(role);
    const added = sum(providers.map((row) => row.values.get(role)));
    if (published === null || published === undefined || Math.abs(published - added) > 1e-6) {
      throw inputError('E_TOTAL_MISMATCH', { file, sheet, line: england.line, column: column.header },
        `the England row says ${published ?? '-'} but the providers add up to ${added}${underGroup(column)}; the file may be incomplete or altered.`);
    }
  }
  const shares: [AeWorkbookRole, AeWorkbookRole[], AeWorkbookRole[]][] = [
    ['share_within4_all', ['attendances_type1', 'attendances_type2', 'attendances_other'], ['over4_type1', 'over4_type2', 'over4_other']],
    ['share_within4_type1', ['attendances_type1'], ['over4_type1']],
    ['share_within4_type2', ['attendances_type2'], ['over4_type2']],
    ['share_within4_other', ['attendances_other'], ['over4_other']],
  ];
  for (const [share, attendanceRoles, overRoles] of shares) {
    const published = england.values.get(share);
    if (published === null || published === undefined) continue;
    const reporting = providers.filter((row) => overRoles.every((role) => row.values.get(role) !== null));
    const attendances = sum(reporting.flatMap((row) => attendanceRoles.map((role) => row.values.get(role))));
    const over = sum(reporting.flatMap((row) => overRoles.map((role) => row.values.get(role))));
    const computed = attendances === 0 ? null : 1 - over / attendances;
    if (computed === null || Math.abs(computed - published) > 1e-9) {
      throw inputError('E_TOTAL_MISMATCH', { file, sheet, line: england.line, column: columns.get(share)!.header },
        `the England row says ${published} but the reporting providers give ${computed ?? 'no attendances'}.`);
    }
  }
}

/** A listed trust inside the pilot window whose 4-hour cells are `-`. */
function isFieldTesting(row: Row, period: string): boolean {
  return FIELD_TESTING_TRUSTS.has(row.org) && period >= FIELD_TESTING_FROM && period <= FIELD_TESTING_TO;
}

/** NHS England's monthly A&E provider workbook (.xls), any of its four layouts. */
export async function parseWorkbook(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheet = ourSheet(file);
  const [read] = await readSheets(file.name, file.bytes, [sheet]);
  const rows = read?.rows ?? [];
  if (rows.every((row) => isBlankRow(row))) throw inputError('E_EMPTY', { file: file.name, sheet }, 'the sheet is empty.');
  const { layout, columns, identity, headerAt } = locateLayout(file.name, sheet, rows);
  const period = periodOf(file.name, sheet, rows, headerAt);

  const bodyAt = rows.findIndex((row, index) => index > headerAt && !isBlankRow(row));
  const englandCells = bodyAt < 0 ? undefined : rows[bodyAt]!;
  const englandName = englandCells ? cellText(englandCells[identity.name]) : '';
  if (!englandCells || englandName.toLowerCase() !== 'england') {
    throw inputError(bodyAt < 0 ? 'E_EMPTY' : 'E_FORMAT', { file: file.name, sheet, line: (bodyAt < 0 ? headerAt + 1 : bodyAt) + 1, column: 'Name' },
      `expected the England row under the header, found ${bodyAt < 0 ? 'nothing' : `"${englandName}"`}.`);
  }
  const england = readRow(file.name, sheet, englandCells, bodyAt + 1, columns, identity);

  const providers: Row[] = [];
  const seen = new Map<string, number>();
  for (let index = bodyAt + 1; index < rows.length; index++) {
    const cells = rows[index]!;
    if (isBlankRow(cells)) continue;
    const line = index + 1;
    const row = readRow(file.name, sheet, cells, line, columns, identity);
    if (!row.org) throw inputError('E_VALUE', { file: file.name, sheet, line, column: 'Code' }, 'the organisation code is empty.');
    const earlier = seen.get(row.org);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', { file: file.name, sheet, line, column: 'Code' }, `organisation ${row.org} appears twice, on rows ${earlier} and ${line}.`);
    }
    seen.set(row.org, line);
    checkRow(file.name, sheet, row, columns);
    providers.push(row);
  }
  if (providers.length === 0) throw inputError('E_EMPTY', { file: file.name, sheet, line: bodyAt + 2 }, 'the workbook has an England row but no providers.');
  checkEngland(file.name, sheet, england, providers, columns);

  const items: ParseItem[] = [];
  for (const row of providers) {
    const parent = regionCodeFromName(row.region);
    const fact: OrgFact = { org: row.org, period, name: row.name, level: 'provider', ...(parent ? { parentLevel: 'region', parent } : {}) };
    items.push({ kind: 'org', fact });
  }
  const dtaColumn = `${columns.get('dta_over4')!.header} minus ${columns.get('dta_12hr_plus')!.header}`;
  for (const row of providers) {
    const notReported = (role: AeWorkbookRole) => WORKBOOK_FOUR_HOUR_ROLES.has(role) && row.values.get(role) === null;
    for (const [role, value] of row.values) {
      if (!STORED.has(role)) continue;
      const observation: Observation = { metric: role as AeField, org: row.org, period, value, row: row.line, column: columns.get(role)!.header };
      if (notReported(role)) {
        observation.note = isFieldTesting(row, period) ? FIELD_TESTING_WORKBOOK_NOTE : 'not reported: the workbook shows "-"';
      }
      items.push({ kind: 'observation', observation });
    }
    // The CSV publishes 4–12 hours and 12+ hours from decision to admit; the workbook publishes
    // over 4 hours (12+ included) and 12+: the difference is the CSV's 4–12 (equal in every month
    // held as both).
    const over4 = row.values.get('dta_over4');
    const over12 = row.values.get('dta_12hr_plus');
    const value = over4 == null || over12 == null ? null : over4 - over12;
    items.push({ kind: 'observation', observation: { metric: 'dta_4_12hr', org: row.org, period, value, row: row.line, column: dtaColumn } });
  }
  // The metadata block above the table: "Published:", "Revised:" and "Status:" rows (every era,
  // July 2015 onwards), so a revised workbook is dated by its own word, not only its name.
  return { items, summary: { layout: layout.id, periods: [period], publication: publicationFromRows(rows) } };
}
