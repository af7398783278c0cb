import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import { PlanwatchError } from '../errors.js';
import { xlsxForReading, xlsxSheetNames, xlsxSheetPreview } from './ooxml.js';

/**
 * The one place Planwatch reads spreadsheets. Office Open XML (.xlsx) goes through exceljs, and
 * detection reads its sheet names and first rows from the archive's parts (ooxml.ts). Legacy
 * BIFF .xls (DM01, the 2015–2019 A&E workbooks) needs SheetJS: the npm `xlsx` package stops at
 * 0.18.5 with CVE-2023-30533 and CVE-2024-22363 unfixed, so we use the fixed 0.20.3 build that
 * `@e965/xlsx` republishes, pinned exactly, and hand it only bytes with the BIFF/OLE2 signature.
 */

type SheetJs = typeof import('@e965/xlsx');
let sheetJs: SheetJs | undefined;

/**
 * SheetJS is loaded on the first .xls read, not at start-up: it is a 1 MB script that a CSV
 * ingest never needs. createRequire keeps detect() synchronous.
 */
function loadSheetJs(): SheetJs {
  sheetJs ??= createRequire(import.meta.url)('@e965/xlsx') as SheetJs;
  return sheetJs;
}
export type Cell = string | number | boolean | Date | null;

export interface Sheet {
  name: string;
  /** rows[i] is spreadsheet row i + 1; cells[j] is column j + 1 (A = 0). Empty cells are null. */
  rows: Cell[][];
}

export type WorkbookFormat = 'xlsx' | 'xls';

export function workbookFormat(bytes: Uint8Array): WorkbookFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return undefined;
}

/**
 * Sheet names only, cheaply, for detect(): `xl/workbook.xml` of an .xlsx, or the workbook index
 * of an .xls read by SheetJS without the cells. Empty for anything else.
 */
export function sheetNames(bytes: Uint8Array): string[] {
  try {
    const format = workbookFormat(bytes);
    if (format === 'xlsx') return xlsxSheetNames(bytes);
    if (format !== 'xls') return [];
    return loadSheetJs().read(bytes, { type: 'array', bookSheets: true }).SheetNames;
  } catch {
    // An unreadable workbook simply has no sheets we recognise; parse() reports it properly.
    return [];
  }
}

/**
 * The first rows of one sheet as text, for detect(): only the start of the sheet is read (SheetJS
 * stops after `rows` rows of an .xls), so telling two workbooks with the same sheets apart by
 * their headers stays cheap. Empty when unreadable.
 */
export function sheetPreview(bytes: Uint8Array, sheet: string, rows = 20): string[][] {
  try {
    const format = workbookFormat(bytes);
    if (format === 'xlsx') return xlsxSheetPreview(bytes, sheet, rows);
    if (format !== 'xls') return [];
    const XLSX = loadSheetJs();
    const workbook = XLSX.read(bytes, { type: 'array', sheets: [sheet], sheetRows: rows });
    const found = workbook.Sheets[sheet];
    if (!found) return [];
    const table = XLSX.utils.sheet_to_json<unknown[]>(found, { header: 1, raw: false, defval: '', blankrows: true });
    return table.map((row) => row.map((cell) => String(cell ?? '').trim()));
  } catch {
    // As for sheetNames: a damaged workbook previews as nothing; parse() names the damage.
    return [];
  }
}

/** Reads the named sheets (all when `only` is omitted) into plain rows of values. */
export async function readSheets(file: string, bytes: Uint8Array, only?: readonly string[]): Promise<Sheet[]> {
  const format = workbookFormat(bytes);
  if (!format) throw new PlanwatchError('E_FORMAT', `${file}: not a spreadsheet (.xlsx or .xls).`, { file });
  try {
    return format === 'xlsx' ? await readXlsx(bytes, only) : readXls(bytes, only);
  } catch (error) {
    if (error instanceof PlanwatchError) throw error;
    throw new PlanwatchError('E_TRUNCATED', `${file}: the workbook cannot be read (${(error as Error).message}); it may be damaged or cut short.`, { file }, { cause: error });
  }
}

/** exceljs (with its zip and XML stack) loads on the first .xlsx read: a CSV ingest never needs it. */
let excel: Promise<typeof ExcelJS> | undefined;

async function readXlsx(bytes: Uint8Array, only?: readonly string[]): Promise<Sheet[]> {
  excel ??= import('exceljs').then((module) => module.default);
  const ExcelJS = await excel;
  // exceljs cannot load some sheets only: load() models every sheet, cell by cell with its style,
  // before handing any over (2–5 s for a CWT workbook of eleven sheets, four of them read). The
  // sheets not asked for are emptied in a copy first (and the defined names, which it models
  // cell by cell too, left out), and load() runs as before on the rest.
  const wanted = xlsxForReading(bytes, only);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(wanted.buffer, wanted.byteOffset, wanted.byteLength) as unknown as ArrayBuffer);
  const sheets: Sheet[] = [];
  workbook.eachSheet((worksheet) => {
    if (only && !only.includes(worksheet.name)) return;
    const rows: Cell[][] = [];
    worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        // Shared-formula cells carry their cached result on the cell, not in its value.
        cells[column - 1] = cell.type === ExcelJS.ValueType.Formula ? plainValue(cell.result as ExcelJS.CellValue) : plainValue(cell.value);
      });
      rows[rowNumber - 1] = Array.from(cells, (value) => value ?? null);
    });
    sheets.push({ name: worksheet.name, rows: Array.from(rows, (row) => row ?? []) });
  });
  return sheets;
}

function plainValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return plainValue(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return null;
  }
  return String(value);
}

function readXls(bytes: Uint8Array, only?: readonly string[]): Sheet[] {
  const XLSX = loadSheetJs();
  const workbook = XLSX.read(bytes, { type: 'array', cellDates: true, ...(only ? { sheets: [...only] } : {}) });
  return workbook.SheetNames.filter((name) => !only || only.includes(name)).map((name) => {
    const sheet = workbook.Sheets[name]!;
    // sheet_to_json starts at the sheet's declared range, which begins at the first filled cell
    // (B2 when row 1 and column A are empty), so rows and cells are read from A1 to keep
    // rows[i] = row i + 1 and cells[j] = column j + 1.
    const used = sheet['!ref'] ? XLSX.utils.decode_range(sheet['!ref']) : undefined;
    const rows = used
      ? XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true, range: { s: { r: 0, c: 0 }, e: used.e } })
      : [];
    return { name, rows };
  });
}
