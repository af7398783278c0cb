import { CsvError, parse } from 'csv-parse/sync';
import { PlanwatchError, inputError } from '../../errors.js';

/** One CSV record with the 1-based line it ends on, for error messages and provenance. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Reads a whole CSV with csv-parse (BOM and CRLF handled, column counts checked) and turns its
 * errors into PlanwatchErrors that name the file and line; nothing else sees a CsvError.
 */
export function readCsv(file: string, bytes: Uint8Array): CsvRecord[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw inputError('E_EMPTY', { file }, 'the file is empty.');
  }
  try {
    const rows = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return rows.map(({ record, info }) => ({ cells: record, line: info.lines }));
  } catch (error) {
    if (error instanceof CsvError) throw translateCsvError(file, text, error);
    throw error;
  }
}

/**
 * Visits every record of a CSV in order without keeping them, for extracts too large to hold
 * as rows (the RTT full extract runs to hundreds of thousands). Starts at `fromLine` (1-based)
 * when a file has junk lines above its header; line numbers stay those of the whole file.
 */
export function eachCsvRecord(file: string, text: string, visit: (record: CsvRecord) => void, fromLine = 1): void {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw inputError('E_EMPTY', { file }, 'the file is empty.');
  }
  try {
    parse(text, {
      bom: true, skip_empty_lines: true, relax_column_count: false, from_line: fromLine,
      // The context carries the line each record ends on; returning null keeps nothing.
      on_record: (record, context) => {
        visit({ cells: record, line: context.lines });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw translateCsvError(file, text, error);
    throw error;
  }
}

function translateCsvError(file: string, text: string, error: CsvError): PlanwatchError {
  const line = (error as CsvError & { lines?: number }).lines;
  const lastLine = text.trimEnd().split(/\r?\n/).length;
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const truncated = line !== undefined && line >= lastLine;
    return new PlanwatchError(
      truncated ? 'E_TRUNCATED' : 'E_FORMAT',
      `${file} line ${line}: ${truncated ? 'the last row is cut short; the file may be truncated' : 'this row has a different number of columns from the header'}.`,
      { file, ...(line !== undefined ? { line } : {}) },
      { cause: error },
    );
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new PlanwatchError('E_TRUNCATED', `${file} line ${line}: a quoted value is never closed; the file may be truncated.`, { file, ...(line !== undefined ? { line } : {}) }, { cause: error });
  }
  return new PlanwatchError('E_FORMAT', `${file}${line !== undefined ? ` line ${line}` : ''}: not a readable CSV (${error.message}).`, { file, ...(line !== undefined ? { line } : {}) }, { cause: error });
}

/**
 * A published count: a plain number, or blank for "not published" (null, never 0). Anything else
 * is refused with the line and column, since a silent NaN would corrupt every roll-up.
 */
export function readNumber(raw: string | undefined, file: string, line: number, column: string): number | null {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw inputError('E_NUMBER', { file, line, column }, `expected a number, found "${text}".`);
}

/**
 * The first rows of a text file's head as trimmed cells, for detect(): undefined when they are not
 * CSV at all, since detect() must never throw.
 */
export function headRows(name: string, lines: readonly string[]): string[][] | undefined {
  const text = lines.filter((line) => line.trim() !== '').join('\n');
  if (!text) return undefined;
  try {
    return readCsv(name, new TextEncoder().encode(text)).map((record) => record.cells.map((cell) => cell.trim()));
  } catch (error) {
    if (error instanceof PlanwatchError) return undefined;
    throw error;
  }
}
