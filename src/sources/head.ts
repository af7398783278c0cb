import type { FileHead } from './contract.js';
import { sheetNames, sheetPreview } from './workbook.js';
import { isMacMetadata, isOfficeZip, isZipBytes, zipEntryHead, zipEntryNames } from './zip.js';

const HEAD_LINES = 5;

/** Zip (xlsx) and OLE2 (legacy xls) signatures: workbooks are detected by content, not name. */
export function isWorkbookBytes(bytes: Uint8Array): boolean {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  return zip || ole;
}

/**
 * What detect() sees: a workbook's sheet names (and its sheets' first rows on demand), or the
 * first lines of a text file, BOM removed. Decoding stops early so that detecting a 100 MB
 * extract costs the same as a 30 KB file.
 */
export function readHead(name: string, bytes: Uint8Array): FileHead {
  const archive = isZipBytes(bytes) ? archiveHead(name, bytes) : undefined;
  if (archive) return archive;
  if (isWorkbookBytes(bytes)) {
    const previews = new Map<string, string[][]>();
    const preview = (sheet: string) => {
      if (!previews.has(sheet)) previews.set(sheet, sheetPreview(bytes, sheet));
      return previews.get(sheet)!;
    };
    return { name, lines: [], isWorkbook: true, sheets: sheetNames(bytes), preview };
  }
  return { name, lines: firstLines(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))), isWorkbook: false };
}

function firstLines(slice: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(slice).replace(/^\uFEFF/, '');
  return text.split(/\r?\n/).slice(0, HEAD_LINES);
}

/**
 * A zip that is not an Office workbook: NHS England zips one CSV (the RTT full extract), so
 * detect() sees that CSV's first lines. Undefined for workbooks.
 */
function archiveHead(name: string, bytes: Uint8Array): FileHead | undefined {
  let entries: string[] | undefined;
  try {
    entries = zipEntryNames(name, bytes);
  } catch {
    // No readable central directory (a cut-short download): judge by the first entry instead.
    entries = undefined;
  }
  if (entries && isOfficeZip(entries)) return undefined;
  // A Mac's `__MACOSX/._name.csv` beside the real CSV is metadata, not a second CSV.
  const csvs = entries?.filter((entry) => isCsvName(entry) && !isMacMetadata(entry));
  if (csvs && csvs.length !== 1) return { name, lines: [], isWorkbook: false };
  const first = zipEntryHead(bytes, csvs ? (entry) => entry === csvs[0] : (entry) => !isMacMetadata(entry));
  if (!first) return entries ? { name, lines: [], isWorkbook: false } : undefined;
  if (!isCsvName(first.name)) return undefined;
  return { name, lines: firstLines(first.head), isWorkbook: false, member: first.name };
}

function isCsvName(entry: string): boolean {
  return /\.csv$/i.test(entry);
}
