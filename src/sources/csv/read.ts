import { parse as parseStream } from 'csv-parse';
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
  const records: CsvRecord[] = [];
  eachCsvRecord(file, new TextDecoder('utf-8').decode(bytes), (record) => records.push(record));
  return records;
}

/**
 * The record delimiter csv-parse would find for itself: the line ending at the first CR or LF,
 * when no quote comes before it (a quote could open a field that the line ending is part of, so
 * csv-parse then decides, as before). Its own discovery builds three Buffers at every character
 * until a line ends, so a one-line head (every plugin's detect() parses one) never stops paying:
 * most of the time of claiming an A&E file (issue 10 item 5). Text with no line ending gets LF,
 * which it does not contain either.
 */
function recordDelimiter(text: string): { record_delimiter?: string } {
  const at = text.search(/[\r\n]/);
  if (at < 0) return { record_delimiter: '\n' };
  if (text.lastIndexOf('"', at) >= 0) return {};
  return { record_delimiter: text[at] === '\r' ? (text[at + 1] === '\n' ? '\r\n' : '\r') : '\n' };
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
      bom: true, skip_empty_lines: true, relax_column_count: false, from_line: fromLine, ...recordDelimiter(text),
      // The line comes from on_record's context rather than `info: true`, which builds an info
      // object per record and a record of its own around it: a fifth of csv-parse's time over
      // the A&E files (issue 10 item 5). Returning null keeps nothing in csv-parse's own output.
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

/**
 * Reads a CSV arriving in pieces (an extract inflated from its zip) with csv-parse's streaming
 * parser, yielding records a batch at a time: neither the bytes nor the text of the whole file
 * is ever held. Each piece is written to the parser synchronously and its records collected by
 * `on_record`, so errors arrive at the piece that caused them. NUL bytes (some RTT extracts,
 * publications.md §1.7) are dropped. Line numbers are those of the whole file.
 */
export async function* streamCsvRecords(file: string, chunks: AsyncIterable<Uint8Array>, fromLine = 1): AsyncGenerator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  const parser = parseStream({
    bom: true, skip_empty_lines: true, relax_column_count: false, from_line: fromLine,
    on_record: (record: string[], context) => {
      batch.push({ cells: record, line: context.lines });
      return null;
    },
  });
  let failure: unknown;
  parser.on('error', (error) => {
    failure = error;
  });
  const lines = new LineCounter();
  const fail = (error: unknown): never => {
    if (error instanceof CsvError) throw translateStreamError(file, error, lines.lastLine);
    throw error;
  };
  let sinceTurn = 0;
  for await (const raw of chunks) {
    const chunk = raw.includes(0) ? raw.filter((byte) => byte !== 0) : raw;
    // Give the event loop a turn every few megabytes: a loop of resolved promises alone never
    // lets V8 run its garbage-collection tasks, and the heap of dead cells then grows by hundreds
    // of megabytes (peak RSS 480 MB ingesting the April 2026 extract without this).
    sinceTurn += chunk.length;
    if (sinceTurn > 4 * 1024 * 1024) {
      sinceTurn = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    lines.add(chunk);
    parser.write(chunk);
    failure ??= parser.errored ?? undefined;
    if (failure !== undefined) {
      // Read on to the end, so that a row cut short can be told from a bad row in the middle.
      for await (const rest of chunks) lines.add(rest);
      fail(failure);
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (lines.lastLine === 0) throw inputError('E_EMPTY', { file }, 'the file is empty.');
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.resume();
    parser.end();
  }).catch(fail);
  if (batch.length > 0) yield batch;
}

/** Counts lines as pieces pass: the number of the last line with anything on it. */
class LineCounter {
  private newlines = 0;
  lastLine = 0;
  add(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === 0x0a) this.newlines += 1;
      else if (byte !== 0x0d && byte !== 0x20 && byte !== 0x09) this.lastLine = this.newlines + 1;
    }
  }
}

function translateStreamError(file: string, error: CsvError, lastLine: number): PlanwatchError {
  return csvErrorAt(file, error, lastLine);
}

function translateCsvError(file: string, text: string, error: CsvError): PlanwatchError {
  return csvErrorAt(file, error, text.trimEnd().split(/\r?\n/).length);
}

function csvErrorAt(file: string, error: CsvError, lastLine: number): PlanwatchError {
  const line = (error as CsvError & { lines?: number }).lines;
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
