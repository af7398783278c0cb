import { unzipSync, zipSync } from 'fflate';
import { zipEntryHead } from './zip.js';

/**
 * What detect() needs from an .xlsx, read from its parts with fflate alone: the sheet names
 * (`xl/workbook.xml`) and the first rows of one sheet as text. No spreadsheet library runs at
 * detection time: exceljs is slow to load a whole workbook, and SheetJS is kept for legacy .xls
 * (workbook.ts). parse() reads the cells properly through exceljs.
 */

const decoder = new TextDecoder();

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    return String.fromCodePoint(lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1)));
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1]!) : undefined;
}

function parts(bytes: Uint8Array, names: readonly string[]): Record<string, string> {
  const found = unzipSync(bytes, { filter: (entry) => names.includes(entry.name) });
  return Object.fromEntries(Object.entries(found).map(([name, data]) => [name, decoder.decode(data)]));
}

export interface SheetEntry {
  name: string;
  /** The sheet's part in the archive, e.g. `xl/worksheets/sheet1.xml`. */
  part?: string;
}

/** Each sheet's name and part, in workbook order; throws when the archive cannot be read. */
export function xlsxSheetEntries(bytes: Uint8Array): SheetEntry[] {
  const found = parts(bytes, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
  const workbook = found['xl/workbook.xml'];
  if (workbook === undefined) return [];
  const targets = new Map<string, string>();
  for (const [tag] of (found['xl/_rels/workbook.xml.rels'] ?? '').matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    // Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml").
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  return [...workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].flatMap(([tag]) => {
    const name = attribute(tag, 'name');
    if (name === undefined) return [];
    const id = attribute(tag, 'r:id') ?? /\s\w+:id="([^"]*)"/.exec(tag)?.[1];
    const part = id ? targets.get(id) : undefined;
    return [{ name, ...(part ? { part } : {}) }];
  });
}

/** Sheet names in workbook order; throws when the archive cannot be read. */
export function xlsxSheetNames(bytes: Uint8Array): string[] {
  return xlsxSheetEntries(bytes).map((entry) => entry.name);
}

function columnIndex(reference: string): number {
  let index = 0;
  for (const letter of /^[A-Z]+/.exec(reference)?.[0] ?? '') index = index * 26 + letter.charCodeAt(0) - 64;
  return index - 1;
}

/** The text of every `<t>` inside an element: a plain string or the runs of rich text. */
function textOf(xml: string): string {
  return [...xml.matchAll(/<(?:\w+:)?t\b[^>]*>([\s\S]*?)<\/(?:\w+:)?t>/g)].map((match) => unescapeXml(match[1]!)).join('');
}

/**
 * The first `rows` rows of one sheet as trimmed text (rows[i] = row i + 1, cells[j] = column
 * j + 1). Only the start of the sheet's part is inflated, so a large sheet costs no more than a
 * small one; shared strings are read whole, as a cell may point anywhere in them.
 */
export function xlsxSheetPreview(bytes: Uint8Array, sheet: string, rows: number): string[][] {
  const part = xlsxSheetEntries(bytes).find((entry) => entry.name === sheet)?.part;
  if (!part) return [];
  const strings = [...(parts(bytes, ['xl/sharedStrings.xml'])['xl/sharedStrings.xml'] ?? '').matchAll(/<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>/g)]
    .map((match) => textOf(match[1]!));
  const head = zipEntryHead(bytes, (name) => name === part, 512 * 1024);
  if (!head) return [];
  const table: string[][] = [];
  // A row cut off at the end of the inflated slice has no closing tag and is left out.
  for (const row of decoder.decode(head.head).matchAll(/<(?:\w+:)?row\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?row>/g)) {
    const number = Number(attribute(row[1]!, 'r') ?? table.length + 1);
    if (number > rows) break;
    const cells: string[] = [];
    let next = 0;
    for (const cell of row[2]!.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const reference = attribute(cell[1]!, 'r');
      const column = reference ? columnIndex(reference) : next;
      next = column + 1;
      const body = cell[2] ?? '';
      const value = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1];
      const type = attribute(cell[1]!, 't');
      let text = '';
      if (type === 's') text = strings[Number(value)] ?? '';
      else if (type === 'inlineStr') text = textOf(body);
      else if (value !== undefined) text = unescapeXml(value);
      cells[column] = text.trim();
    }
    table[number - 1] = Array.from(cells, (cell) => cell ?? '');
  }
  return Array.from(table, (row) => row ?? []);
}

const EMPTY_WORKSHEET = new TextEncoder().encode(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
);

const WORKBOOK_PART = 'xl/workbook.xml';
const DEFINED_NAMES = /<(?:\w+:)?definedNames\b[^>]*?(?:\/>|>[\s\S]*?<\/(?:\w+:)?definedNames>)/g;
const DATA_VALIDATIONS = /<(?:\w+:)?dataValidations\b[^>]*?(?:\/>|>[\s\S]*?<\/(?:\w+:)?dataValidations>)/g;
const encoder = new TextEncoder();

/** The part's text without the elements `pattern` matches; undefined when it has none. */
function withoutElements(part: Uint8Array, marker: string, pattern: RegExp): Uint8Array<ArrayBuffer> | undefined {
  // Most parts have none: look for the name in the bytes before decoding a sheet of megabytes.
  if (Buffer.from(part.buffer, part.byteOffset, part.byteLength).indexOf(marker) < 0) return undefined;
  const text = decoder.decode(part);
  const stripped = text.replace(pattern, '');
  return stripped === text ? undefined : encoder.encode(stripped);
}

/**
 * A copy of the workbook for exceljs to load: every sheet but the ones named (all are kept when
 * none are named) an empty worksheet, and what exceljs would model cell by cell though Planwatch
 * never reads it left out: the workbook's defined names and the sheets' data validations. The
 * KH03 web files define `OrgRangeCheck2` as 'NHS Trust by Sector'!XFA$18:$B$250, 3.8 million
 * cells, and loading a 140 kB file took 530 MB; a validation over a whole column would be a
 * million. The bytes themselves when there is nothing to change. Names, order, cells and the
 * sheets kept are untouched.
 */
export function xlsxForReading(bytes: Uint8Array, keep?: readonly string[]): Uint8Array {
  const entries = xlsxSheetEntries(bytes);
  const files = unzipSync(bytes);
  let changed = false;
  for (const { name, part } of entries) {
    const xml = part === undefined ? undefined : files[part];
    if (part === undefined || xml === undefined) continue;
    const replacement = keep !== undefined && !keep.includes(name) ? EMPTY_WORKSHEET : withoutElements(xml, 'dataValidations', DATA_VALIDATIONS);
    if (replacement) {
      files[part] = replacement;
      changed = true;
    }
  }
  const workbook = files[WORKBOOK_PART] && withoutElements(files[WORKBOOK_PART], 'definedNames', DEFINED_NAMES);
  if (workbook) {
    files[WORKBOOK_PART] = workbook;
    changed = true;
  }
  // Stored, not deflated: the copy lives only until exceljs has read it.
  return changed ? zipSync(files, { level: 0 }) : bytes;
}
