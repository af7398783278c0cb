import { inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, columnOf, findRow, isBlankRow, monthOfLabel } from '../cells.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { publicationFromRows } from '../publication.js';
import { REGIONS } from '../regions.js';
import { readSheets, type Cell, type Sheet } from '../workbook.js';
import {
  BY_TEST_SHEET,
  COLUMNS,
  DM01_TESTS,
  FIELDS,
  LAYOUT,
  PERIOD_LABEL,
  PROVIDER_SHEET,
  TOTAL_NAME,
  TOTAL_TEST,
  testField,
  type Dm01Test,
} from './layouts.js';

const COUNTS = [
  { field: FIELDS.waiting, column: COLUMNS.waiting },
  { field: FIELDS.over6, column: COLUMNS.over6 },
  { field: FIELDS.over13, column: COLUMNS.over13 },
] as const;

interface Counts {
  line: number;
  values: (number | null)[];
}

interface ProviderRow extends Counts {
  org: string;
  name: string;
  region: string;
}

interface TestRow extends Counts {
  org: string;
  test: Dm01Test | typeof TOTAL_TEST;
}

/**
 * The DM01 provider web file: waiting list, 6+ and 13+ week waits by provider (sheet
 * "Provider", with the national "Total" row) and by provider and test ("Provider by Test").
 * Every total the file publishes is checked against its parts before anything is stored.
 */
export async function parseDm01(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const sheets = await readSheets(file.name, file.bytes, [PROVIDER_SHEET, BY_TEST_SHEET]);
  const sheet = (name: string): Sheet => {
    const found = sheets.find((candidate) => candidate.name === name);
    if (!found) throw inputError('E_HEADER', { file: file.name, sheet: name }, `the sheet "${name}" is missing; the DM01 provider file has "${PROVIDER_SHEET}" and "${BY_TEST_SHEET}".`);
    return found;
  };
  const providers = readProviders(file.name, sheet(PROVIDER_SHEET));
  const byTest = readByTest(file.name, sheet(BY_TEST_SHEET));
  if (byTest.period !== providers.period) {
    throw inputError('E_VALUE', { file: file.name, sheet: BY_TEST_SHEET }, `this sheet is for ${byTest.period} but "${PROVIDER_SHEET}" is for ${providers.period}.`);
  }
  reconcileTests(file.name, providers.rows, byTest.rows);

  const period = providers.period;
  const items: ParseItem[] = providers.rows.map((row): ParseItem => {
    const region = REGIONS[row.region] ? { parentLevel: 'region', parent: row.region } : {};
    const fact: OrgFact = { org: row.org, period, name: row.name, level: 'provider', ...region };
    return { kind: 'org', fact };
  });
  for (const row of [providers.total, ...providers.rows]) {
    COUNTS.forEach(({ field, column }, k) => {
      items.push({ kind: 'observation', observation: { metric: field, org: row.org, period, value: row.values[k]!, row: row.line, column } });
    });
  }
  for (const row of byTest.rows) {
    if (row.test.id === TOTAL_TEST.id) continue;
    const test = row.test as Dm01Test;
    COUNTS.forEach(({ field, column }, k) => {
      items.push({ kind: 'observation', observation: { metric: testField(field, test), org: row.org, period, value: row.values[k]!, row: row.line, column: `${column} (${test.name})` } });
    });
  }
  // B7:C9 say Published, Revised and Status (Aug 2024 – Jan 2025 were revised on 10 July 2025).
  const publication = publicationFromRows(sheet(PROVIDER_SHEET).rows);
  return { items, summary: { layout: LAYOUT, periods: [period], publication } };
}

interface Located {
  at: (line?: number, column?: string) => ErrorLocation;
  rows: readonly (readonly Cell[])[];
  period: string;
  headerAt: number;
  index: (column: string) => number;
}

function locate(file: string, sheet: Sheet, columns: readonly string[]): Located {
  const at = (line?: number, column?: string): ErrorLocation => ({ file, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const { rows } = sheet;
  if (rows.every((row) => isBlankRow(row))) throw inputError('E_EMPTY', at(), 'the sheet is empty.');
  const labelAt = findRow(rows.slice(0, 20), [PERIOD_LABEL]);
  const label = rows[labelAt];
  const period = label ? label.slice(columnOf(label, PERIOD_LABEL) + 1).map((cell) => monthOfLabel(cell)).find(Boolean) : undefined;
  if (!period) throw inputError('E_VALUE', at(labelAt >= 0 ? labelAt + 1 : undefined, PERIOD_LABEL), `no "${PERIOD_LABEL}" line giving the month (such as "January 2025") above the table.`);
  const headerAt = findRow(rows.slice(0, 40), [COLUMNS.code]);
  if (headerAt < 0) throw inputError('E_HEADER', at(undefined, COLUMNS.code), `no header row: no cell says "${COLUMNS.code}".`);
  const header = rows[headerAt]!;
  const missing = columns.find((column) => columnOf(header, column) < 0);
  if (missing) throw inputError('E_HEADER', at(headerAt + 1, missing), `column "${missing}" is missing from the header row.`);
  return { at, rows, period, headerAt, index: (column) => columnOf(header, column) };
}

function countsOf(file: string, sheet: string, row: readonly Cell[], line: number, index: (column: string) => number): (number | null)[] {
  return COUNTS.map(({ column }) => cellNumber(row[index(column)], { file, sheet, line, column }));
}

/** The rows under a header, blank ones skipped, with their provider code and name; only the national Total row may lack a code. */
function* tableRows(rows: Located['rows'], headerAt: number, index: Located['index'], at: Located['at']) {
  for (let i = headerAt + 1; i < rows.length; i++) {
    const row = rows[i]!;
    const line = i + 1;
    if (isBlankRow(row)) continue;
    const org = cellText(row[index(COLUMNS.code)]).toUpperCase();
    const name = cellText(row[index(COLUMNS.name)]);
    const isTotal = !org && name.toLowerCase() === TOTAL_NAME.toLowerCase();
    if (!org && !isTotal) throw inputError('E_VALUE', at(line, COLUMNS.code), `the provider code is empty (name "${name}").`);
    yield { row, line, org, name, isTotal };
  }
}

function readProviders(file: string, sheet: Sheet): { period: string; total: ProviderRow; rows: ProviderRow[] } {
  const { at, rows, period, headerAt, index } = locate(file, sheet, [COLUMNS.region, COLUMNS.code, COLUMNS.name, ...COUNTS.map((c) => c.column)]);
  let total: ProviderRow | undefined;
  const body: ProviderRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, line, org, name, isTotal } of tableRows(rows, headerAt, index, at)) {
    const values = countsOf(file, sheet.name, row, line, index);
    if (isTotal) {
      if (total) throw inputError('E_DUPLICATE', at(line, COLUMNS.name), `a second national "${TOTAL_NAME}" row (the first is on line ${total.line}).`);
      total = { org: 'ENG', name, region: '', line, values };
      continue;
    }
    const earlier = seen.get(org);
    if (earlier !== undefined) throw inputError('E_DUPLICATE', at(line, COLUMNS.code), `provider ${org} appears twice, on lines ${earlier} and ${line}.`);
    seen.set(org, line);
    body.push({ org, name, region: cellText(row[index(COLUMNS.region)]).toUpperCase(), line, values });
  }
  if (!total) throw inputError('E_FORMAT', at(headerAt + 2, COLUMNS.name), `there is no national "${TOTAL_NAME}" row under the header.`);
  if (body.length === 0) throw inputError('E_EMPTY', at(headerAt + 2), 'the sheet has a header but no provider rows.');
  // In every file of August 2024 – July 2025 the Total row equals the sum of the providers,
  // independent-sector providers included; a difference means rows were lost or altered.
  COUNTS.forEach(({ column }, k) => {
    const published = total!.values[k];
    const sum = body.reduce((acc, row) => acc + (row.values[k] ?? 0), 0);
    if (published !== null && published !== undefined && Math.abs(sum - published) > 1e-6) {
      throw inputError('E_TOTAL_MISMATCH', at(total!.line, column), `the national Total row says ${published} but the providers add up to ${sum}; the file may be cut short or altered.`);
    }
  });
  return { period, total, rows: body };
}

function readByTest(file: string, sheet: Sheet): { period: string; rows: TestRow[] } {
  const { at, rows, period, headerAt, index } = locate(file, sheet, [COLUMNS.code, COLUMNS.name, COLUMNS.testId, COLUMNS.testName, ...COUNTS.map((c) => c.column)]);
  const body: TestRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, line, org, isTotal } of tableRows(rows, headerAt, index, at)) {
    // The national row repeats the Provider sheet's Total and has no test: checked there.
    if (isTotal) continue;
    const test = testOf(row, line, index, at);
    const key = `${org}|${test.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw inputError('E_DUPLICATE', at(line, COLUMNS.testId), `provider ${org}, test ${test.id} appears twice, on lines ${earlier} and ${line}.`);
    seen.set(key, line);
    body.push({ org, test, line, values: countsOf(file, sheet.name, row, line, index) });
  }
  if (body.length === 0) throw inputError('E_EMPTY', at(headerAt + 2), 'the sheet has a header but no provider rows.');
  return { period, rows: body };
}

function testOf(row: readonly Cell[], line: number, index: (column: string) => number, at: Located['at']): Dm01Test | typeof TOTAL_TEST {
  const id = Number(cellText(row[index(COLUMNS.testId)]));
  const test = id === TOTAL_TEST.id ? TOTAL_TEST : DM01_TESTS.find((candidate) => candidate.id === id);
  if (!test) throw inputError('E_VALUE', at(line, COLUMNS.testId), `unknown Diagnostic ID "${cellText(row[index(COLUMNS.testId)])}"; the layout Planwatch knows has tests 1–15 and 16 (Total).`);
  const name = cellText(row[index(COLUMNS.testName)]);
  // The id decides which test a row is; a different name means the numbering changed, and
  // guessing would file one test's waits under another.
  if (name.toLowerCase().replace(/\s+/g, ' ') !== test.name.toLowerCase()) {
    throw inputError('E_VALUE', at(line, COLUMNS.testName), `Diagnostic ID ${test.id} is "${test.name}" in the layout Planwatch knows, but this row says "${name}".`);
  }
  return test;
}

/** Each provider's tests add up to its Total test row, and that equals its row on the Provider sheet. */
function reconcileTests(file: string, providers: readonly ProviderRow[], tests: readonly TestRow[]): void {
  const totals = new Map(tests.filter((row) => row.test.id === TOTAL_TEST.id).map((row) => [row.org, row]));
  const sums = new Map<string, number[]>();
  for (const row of tests) {
    if (row.test.id === TOTAL_TEST.id) continue;
    const sum = sums.get(row.org) ?? COUNTS.map(() => 0);
    row.values.forEach((value, k) => (sum[k]! += value ?? 0));
    sums.set(row.org, sum);
  }
  const mismatch = (line: number, column: string, problem: string, sheet = BY_TEST_SHEET) =>
    inputError('E_TOTAL_MISMATCH', { file, sheet, line, column }, `${problem}; the file may be cut short or altered.`);
  for (const provider of providers) {
    const total = totals.get(provider.org);
    // Providers with nobody waiting (e.g. NT211 in January 2025) have no test rows at all.
    if (!total && provider.values.every((value) => !value)) continue;
    if (!total) throw mismatch(provider.line, COLUMNS.code, `provider ${provider.org} has no "${TOTAL_TEST.name}" row on "${BY_TEST_SHEET}"`, PROVIDER_SHEET);
    COUNTS.forEach(({ column }, k) => {
      const own = provider.values[k] ?? 0;
      const byTest = total.values[k] ?? 0;
      const parts = sums.get(provider.org)?.[k] ?? 0;
      if (Math.abs(own - byTest) > 1e-6) throw mismatch(total.line, column, `${provider.org}'s Total test row says ${byTest} but its row on "${PROVIDER_SHEET}" says ${own}`);
      if (Math.abs(parts - byTest) > 1e-6) throw mismatch(total.line, column, `${provider.org}'s tests add up to ${parts} but its Total test row says ${byTest}`);
    });
  }
  const listed = new Set(providers.map((provider) => provider.org));
  const stray = tests.find((row) => !listed.has(row.org));
  if (stray) throw mismatch(stray.line, COLUMNS.code, `provider ${stray.org} is not on the "${PROVIDER_SHEET}" sheet`);
}
