import type { FileHead } from './contract.js';
import { sheetNames, sheetPreview } from './workbook.js';

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
  if (isWorkbookBytes(bytes)) {
    const previews = new Map<string, string[][]>();
    const preview = (sheet: string) => {
      if (!previews.has(sheet)) previews.set(sheet, sheetPreview(bytes, sheet));
      return previews.get(sheet)!;
    };
    return { name, lines: [], isWorkbook: true, sheets: sheetNames(bytes), preview };
  }
  const slice = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(slice).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).slice(0, HEAD_LINES);
  return { name, lines, isWorkbook: false };
}
