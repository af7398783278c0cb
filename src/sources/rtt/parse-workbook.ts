import { PlanwatchError, inputError, type ErrorLocation } from '../../errors.js';
import { cellNumber, cellText, findRow, monthOfLabel } from '../cells.js';
import type { ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { publicationFromRows } from '../publication.js';
import { REGIONS } from '../regions.js';
import { readSheets, sheetPreview, workbookFormat, type Cell, type Sheet } from '../workbook.js';
import { readBands, type WeekBand } from './bands.js';
import {
  ALL_TREATMENT_FUNCTIONS,
  COMMISSIONER_SHEETS,
  INCOMPLETE_PROVIDER_LAYOUT,
  PROVIDER_SHEETS,
  WORKBOOK_CHECKED_TOTALS,
  WORKBOOK_COLUMNS,
} from './layouts.js';
import { addAllRow, addTreatmentFunctionRow, newProvider, waitingListItems, type ProviderWaitingList } from './waiting-list.js';

const ENGLAND = 'ENG';

// The RTT workbooks print "-" where there is nothing to report (a median with no pathways):
// not published, so null, never 0.
function published(cell: Cell | undefined, at: Required<Pick<ErrorLocation, 'file' | 'sheet' | 'line' | 'column'>>): number | null {
  return cellText(cell) === '-' ? null : cellNumber(cell, at);
}

const METADATA_ROWS = 14;

/** "Label:" cells of the metadata block above the table (column B), e.g. Period, Summary. */
function metadata(rows: readonly (readonly Cell[])[], label: string): { text: string; line: number } | undefined {
  for (let index = 0; index < Math.min(rows.length, METADATA_ROWS); index++) {
    const cells = (rows[index] ?? []).map(cellText);
    const at = cells.indexOf(`${label}:`);
    if (at >= 0) return { text: cells[at + 1] ?? '', line: index + 1 };
  }
  return undefined;
}

// Provider and commissioner workbooks for completed (admitted, non-admitted) pathways and new
// periods share the incomplete workbook's layout but measure something else; their Summary
// row says which. They are turned away as files Planwatch does not read, so a folder of RTT
// downloads ingests the waiting list and lists the rest as skipped.
function otherMeasure(file: string, sheet: Sheet, basis: 'provider' | 'commissioner'): PlanwatchError | undefined {
  const summary = metadata(sheet.rows, 'Summary');
  if (basis === 'provider' && (!summary || /incomplete/i.test(summary.text))) return undefined;
  const what = summary?.text ? ` ("${summary.text.replace(/\.$/, '')}")` : '';
  const problem = basis === 'commissioner'
    ? `an RTT workbook on the commissioner basis${what}`
    : `an RTT provider workbook of a different measure${what}, not the waiting list`;
  return new PlanwatchError('E_UNKNOWN_COLLECTION',
    `${file}: ${problem}. Planwatch reads the waiting list (incomplete pathways, by provider) from the "Full CSV data file" zip or the "Incomplete Provider" workbook.`,
    { file, sheet: sheet.name, ...(summary ? { line: summary.line } : {}) });
}

/** A commissioner-basis RTT workbook (National / Region / ICB / Sub-ICB sheets): always refused. */
export async function refuseCommissionerWorkbook(file: SourceFile): Promise<never> {
  throw otherMeasure(file.name, await metadataBlock(file, COMMISSIONER_SHEETS[0]), 'commissioner')!;
}

/**
 * The rows above a workbook's table. An .xlsx's are read from the start of the sheet's XML
 * without loading the workbook: enough to turn away a workbook of another measure (a
 * completed-pathway provider workbook of 4.6 MB took 4.5 s to load only to be refused). An
 * .xls sheet is read whole, as SheetJS does quickly, so that its rows keep their line numbers
 * (a preview of an .xls starts at its first filled row).
 */
async function metadataBlock(file: SourceFile, sheet: string): Promise<Sheet> {
  if (workbookFormat(file.bytes) === 'xlsx') return { name: sheet, rows: sheetPreview(file.bytes, sheet, METADATA_ROWS) };
  return (await readSheets(file.name, file.bytes, [sheet]))[0] ?? { name: sheet, rows: [] };
}

interface SheetLayout {
  sheet: Sheet;
  headerAt: number;
  header: string[];
  bands: WeekBand[];
  column: (name: string) => number;
}

function sheetLayout(file: string, sheet: Sheet): SheetLayout {
  const place = (line?: number, column?: string): ErrorLocation => ({ file, sheet: sheet.name, ...(line ? { line } : {}), ...(column ? { column } : {}) });
  const headerAt = findRow(sheet.rows, [WORKBOOK_COLUMNS.provider, WORKBOOK_COLUMNS.treatmentFunction]);
  if (headerAt < 0) {
    throw inputError('E_HEADER', place(undefined, WORKBOOK_COLUMNS.provider),
      `no header row with "${WORKBOOK_COLUMNS.provider}" and "${WORKBOOK_COLUMNS.treatmentFunction}".`);
  }
  const header = (sheet.rows[headerAt] ?? []).map(cellText);
  const column = (name: string) => header.indexOf(name);
  for (const name of [WORKBOOK_COLUMNS.providerName, WORKBOOK_COLUMNS.incompleteTotal]) {
    if (column(name) < 0) throw inputError('E_HEADER', place(headerAt + 1, name), `column "${name}" is missing.`);
  }
  return { sheet, headerAt, header, bands: readBands(header, place(headerAt + 1)), column };
}

function periodOf(file: string, sheet: Sheet): string {
  const stated = metadata(sheet.rows, 'Period');
  const period = stated ? monthOfLabel(stated.text) : undefined;
  if (!period) {
    throw inputError('E_VALUE', { file, sheet: sheet.name, ...(stated ? { line: stated.line } : {}), column: 'Period:' },
      `expected the data month in the "Period:" row, like "September 2025", found "${stated?.text ?? ''}".`);
  }
  return period;
}

/**
 * The Incomplete Provider workbook: sheets "Provider" (NHS trusts) and "IS Provider"
 * (independent sector), one row per provider × treatment function, with the C_999 row of each
 * provider totalling its functions. Built to the published layout of this workbook family
 * (the non-admitted provider workbook of September 2025 in data/rtt); no real incomplete one
 * was available, so its summary columns are matched by name and only checked when present.
 */
export async function parseIncompleteProvider(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  // An .xlsx of another measure is refused from its first rows, before the whole workbook is
  // loaded; a preview without a Summary row leaves the question to the loaded sheet below.
  if (workbookFormat(file.bytes) === 'xlsx') {
    const refusal = otherMeasure(file.name, await metadataBlock(file, PROVIDER_SHEETS[0]), 'provider');
    if (refusal) throw refusal;
  }
  const sheets = await readSheets(file.name, file.bytes, PROVIDER_SHEETS);
  const main = sheets.find((sheet) => sheet.name === PROVIDER_SHEETS[0]);
  if (!main) throw inputError('E_FORMAT', { file: file.name, sheet: PROVIDER_SHEETS[0] }, `the sheet "${PROVIDER_SHEETS[0]}" is missing.`);
  const refusal = otherMeasure(file.name, main, 'provider');
  if (refusal) throw refusal;
  const period = periodOf(file.name, main);
  const layouts = sheets.map((sheet) => sheetLayout(file.name, sheet));
  const bands = layouts[0]!.bands;
  const providers = new Map<string, ProviderWaitingList>();
  let england: ProviderWaitingList | undefined;
  const seen = new Map<string, string>();

  for (const layout of layouts) {
    const { sheet, header, column } = layout;
    if (layout.bands.map((band) => band.field).join() !== bands.map((band) => band.field).join()) {
      throw inputError('E_HEADER', { file: file.name, sheet: sheet.name, line: layout.headerAt + 1 }, `the week bands differ from those on the "${main.name}" sheet.`);
    }
    if (sheet !== main && periodOf(file.name, sheet) !== period) {
      throw inputError('E_VALUE', { file: file.name, sheet: sheet.name, column: 'Period:' }, `this sheet is for ${periodOf(file.name, sheet)} but "${main.name}" is for ${period}.`);
    }
    const checked = Object.entries(WORKBOOK_CHECKED_TOTALS).filter(([name]) => column(name) >= 0);
    for (let index = layout.headerAt + 1; index < sheet.rows.length; index++) {
      const cells = sheet.rows[index] ?? [];
      if (cells.every((cell) => cellText(cell) === '')) continue;
      const line = index + 1;
      const at = (name: string) => ({ file: file.name, sheet: sheet.name, line, column: name });
      const number = (name: string) => published(cells[column(name)], at(name));
      let org = cellText(cells[column(WORKBOOK_COLUMNS.provider)]).toUpperCase();
      const name = cellText(cells[column(WORKBOOK_COLUMNS.providerName)]);
      // A national row, where present, has no provider code ("-" in the commissioner workbooks).
      if ((org === '' || org === '-') && /england/i.test(name)) org = ENGLAND;
      if (!org || org === '-') throw inputError('E_VALUE', at(WORKBOOK_COLUMNS.provider), `the provider code is empty for "${name}".`);
      const treatmentFunction = cellText(cells[column(WORKBOOK_COLUMNS.treatmentFunction)]);
      const key = `${org}|${treatmentFunction}`;
      const earlier = seen.get(key);
      if (earlier) throw inputError('E_DUPLICATE', at(WORKBOOK_COLUMNS.treatmentFunction), `provider ${org}, ${treatmentFunction} appears twice: ${earlier} and row ${line}.`);
      seen.set(key, `${sheet.name} row ${line}`);

      let provider = org === ENGLAND ? england : providers.get(org);
      if (!provider) {
        provider = newProvider(org, name, line, bands.length);
        provider.sheet = sheet.name;
        const region = column(WORKBOOK_COLUMNS.region) >= 0 ? cellText(cells[column(WORKBOOK_COLUMNS.region)]).toUpperCase() : '';
        if (REGIONS[region]) provider.parent = { level: 'region', code: region };
        if (org === ENGLAND) england = provider;
        else providers.set(org, provider);
      }
      const total = number(WORKBOOK_COLUMNS.incompleteTotal);
      if (treatmentFunction !== ALL_TREATMENT_FUNCTIONS) {
        addTreatmentFunctionRow(provider, total);
        continue;
      }
      provider.line = line;
      provider.sheet = sheet.name;
      addAllRow(provider, bands.map((band) => published(cells[band.index], at(header[band.index]!))), total);
      for (const [columnName, field] of checked) provider.published.set(field, { value: number(columnName), column: columnName });
    }
  }
  if (providers.size === 0) {
    throw inputError('E_EMPTY', { file: file.name, sheet: main.name, line: layouts[0]!.headerAt + 2 }, 'the workbook has a header but no provider rows.');
  }
  // England is stored as published; the provider sheets alone are summed for every roll-up.
  const all = [...(england ? [england] : []), ...providers.values()];
  const items = waitingListItems(file.name, period, bands, all, { total: WORKBOOK_COLUMNS.incompleteTotal });
  // The metadata block says Published, Revised ("N/A" when not) and Status.
  return { items, summary: { layout: INCOMPLETE_PROVIDER_LAYOUT.id, periods: [period], publication: publicationFromRows(main.rows) } };
}
