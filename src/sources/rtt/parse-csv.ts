import { inputError, type ErrorLocation } from '../../errors.js';
import type { ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readNumber, streamCsvRecords, type CsvRecord } from '../csv/read.js';
import { monthNumber, toPeriod } from '../months.js';
import { isIcbCode } from '../icbs.js';
import { isMacMetadata, isZipBytes, zipEntryChunks, zipEntryNames } from '../zip.js';
import { readBands, type WeekBand } from './bands.js';
import { ALL_TREATMENT_FUNCTIONS, CSV_COLUMNS, CSV_SIGNATURE, INCOMPLETE_PART, csvLayout } from './layouts.js';
import { addAllRow, addTreatmentFunctionRow, newProvider, waitingListItems, type ProviderWaitingList } from './waiting-list.js';

type ColumnKey = keyof typeof CSV_COLUMNS;
const REQUIRED: readonly ColumnKey[] = ['period', 'provider', 'providerName', 'commissioner', 'part', 'treatmentFunction', 'totalAll'];

/** Fewer providers than this in a full extract means a subset, not the national file. */
const NATIONAL_PROVIDERS_AT_LEAST = 100;

/**
 * The CSV of an extract as pieces of bytes: the file itself, or the one CSV inside NHS England's
 * zip (a `__MACOSX/` copy beside it is ignored), inflated as it is read, so the national extract
 * (81.6 MB of CSV in April 2026) is never held whole.
 */
export function extractChunks(file: SourceFile): { name: string; chunks: AsyncIterable<Uint8Array> } {
  if (!isZipBytes(file.bytes)) return { name: file.name, chunks: slices(file.bytes) };
  const csvs = zipEntryNames(file.name, file.bytes).filter((entry) => /\.csv$/i.test(entry) && !isMacMetadata(entry));
  if (csvs.length !== 1) {
    throw inputError('E_FORMAT', { file: file.name }, `expected one CSV inside the zip, found ${csvs.length}${csvs.length ? ` (${csvs.join(', ')})` : ''}.`);
  }
  return { name: `${file.name} › ${csvs[0]}`, chunks: zipEntryChunks(file.name, file.bytes, csvs[0]!) };
}

async function* slices(bytes: Uint8Array, size = 1024 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** The first `limit` bytes of a stream, and the whole stream again (those bytes included). */
async function peek(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    size += next.value.length;
  }
  const head = new Uint8Array(size);
  let offset = 0;
  for (const chunk of held) {
    head.set(chunk, offset);
    offset += chunk.length;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* held.splice(0);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, all: all() };
}

/** 1-based line of the header: line 1, or line 3 in older extracts that start with junk rows. */
function headerLine(name: string, text: string): number {
  const lines = text.split(/\r?\n/, 10);
  const index = lines.findIndex((line) => CSV_SIGNATURE.every((column) => line.includes(column)));
  if (index < 0) {
    throw inputError('E_HEADER', { file: name, line: 1, column: CSV_SIGNATURE[0] },
      `no header with "${CSV_SIGNATURE.join('" and "')}" in the first lines; this is not an RTT full CSV extract as published.`);
  }
  return index + 1;
}

/**
 * "RTT-November-2024" → '2024-11'. Older extracts split it into a month-name Period and a Year
 * (calendar "2019" or financial "2019/20"); both are accepted.
 */
function periodOf(periodText: string, yearText: string | undefined, at: ErrorLocation): string {
  const full = /^RTT-([A-Za-z]+)-(\d{4})$/.exec(periodText.trim());
  const month = monthNumber(full ? full[1]! : periodText);
  if (month && full) return toPeriod(Number(full[2]), month);
  const calendar = /^(\d{4})$/.exec(yearText?.trim() ?? '');
  const financial = /^(\d{4})[-/](\d{2}|\d{4})$/.exec(yearText?.trim() ?? '');
  if (month && calendar) return toPeriod(Number(calendar[1]), month);
  if (month && financial) return toPeriod(Number(financial[1]) + (month <= 3 ? 1 : 0), month);
  throw inputError('E_VALUE', at, `expected a period like "RTT-November-2024", found "${periodText}".`);
}

/**
 * The full CSV extract: one row per provider × commissioner × RTT part × treatment function.
 * A provider's waiting list is its Part_2 (incomplete pathways) C_999 (all treatment functions)
 * rows summed over commissioners; other parts are checked for shape and duplicates only.
 */
export async function parseFullExtract(file: SourceFile): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const { name, chunks } = extractChunks(file);
  const { head, all } = await peek(chunks, 64 * 1024);
  const headText = new TextDecoder('utf-8').decode(head).replaceAll('\u0000', '').replace(/^\uFEFF/, '');
  if (headText.trim() === '') throw inputError('E_EMPTY', { file: name }, 'the file is empty.');
  const first = headerLine(name, headText);
  let columns: Record<ColumnKey, number> | undefined;
  let bands: WeekBand[] = [];
  let headerCells: string[] = [];
  let period: string | undefined;
  const seen = new Map<string, number>();
  const providers = new Map<string, ProviderWaitingList>();
  // ICB names as the extract gives them (provider and commissioner parents): the only place the
  // boards formed in April 2026 are named (ODS files carry no ICB names; data README §8, §14).
  const icbNames = new Map<string, string>();

  const visit = (record: CsvRecord): void => {
    if (!columns) {
      headerCells = record.cells.map((cell) => cell.trim());
      columns = locateColumns(headerCells, name, record.line);
      bands = readBands(headerCells, { file: name, line: record.line });
      return;
    }
    const { cells, line } = record;
    const cell = (key: ColumnKey) => (columns![key] >= 0 ? (cells[columns![key]] ?? '').trim() : '');
    const at = (key: ColumnKey): ErrorLocation => ({ file: name, line, column: headerCells[columns![key]] ?? CSV_COLUMNS[key][0] });
    const rowPeriod = periodOf(cell('period'), columns.year >= 0 ? cell('year') : undefined, at('period'));
    if (period && rowPeriod !== period) throw inputError('E_VALUE', at('period'), `this row is for ${rowPeriod} but earlier rows are for ${period}.`);
    period = rowPeriod;
    const org = cell('provider').toUpperCase();
    if (!org) throw inputError('E_VALUE', at('provider'), 'the provider code is empty.');
    const part = cell('part');
    const treatmentFunction = cell('treatmentFunction');
    for (const [code, label] of [['providerParent', 'providerParentName'], ['commissionerParent', 'commissionerParentName']] as const) {
      const icb = cell(code).toUpperCase();
      if (isIcbCode(icb) && !icbNames.has(icb) && cell(label)) icbNames.set(icb, cell(label));
    }
    if (part !== INCOMPLETE_PART) return;
    // Duplicates are looked for among the rows Planwatch sums (Part_2): keeping a key for every
    // row of every part cost a third of the national extract's memory.
    const key = `${org}|${cell('commissioner')}|${treatmentFunction}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', at('treatmentFunction'),
        `provider ${org}, commissioner ${cell('commissioner')}, ${part}, ${treatmentFunction} appears twice, on lines ${earlier} and ${line}.`);
    }
    seen.set(key, line);

    let provider = providers.get(org);
    if (!provider) {
      provider = newProvider(org, cell('providerName'), line, bands.length);
      const icb = cell('providerParent').toUpperCase();
      if (isIcbCode(icb)) provider.parent = { level: 'icb', code: icb };
      providers.set(org, provider);
    }
    const total = readNumber(cells[columns.totalAll], name, line, headerCells[columns.totalAll]!);
    if (treatmentFunction !== ALL_TREATMENT_FUNCTIONS) {
      addTreatmentFunctionRow(provider, total);
      return;
    }
    if (!provider.hasAllRow) provider.line = line;
    addAllRow(provider, bands.map((band) => readNumber(cells[band.index], name, line, band.column)), total);
  };
  for await (const batch of streamCsvRecords(name, all, first)) for (const record of batch) visit(record);

  if (!columns) throw inputError('E_EMPTY', { file: name }, 'the file has no header.');
  if (!period || providers.size === 0) {
    throw inputError('E_EMPTY', { file: name, line: first + 1 }, `there are no incomplete-pathway rows ("${INCOMPLETE_PART}"), so no waiting list.`);
  }
  const items: ParseItem[] = [...icbNames].map(([org, icbName]) => ({ kind: 'org', fact: { org, period: period!, name: icbName, level: 'icb' } }));
  items.push(...waitingListItems(name, period, bands, providers.values(), { total: headerCells[columns.totalAll]! }));
  // The national extract lists every provider (several hundred); a handful means a subset, like
  // the one-trust file NHSRtt keeps as a fixture, whose sum is not England's waiting list.
  const partial = providers.size < NATIONAL_PROVIDERS_AT_LEAST
    ? `only ${providers.size} provider${providers.size === 1 ? '' : 's'} of the national extract`
    : undefined;
  return { items, summary: { layout: csvLayout(bands.at(-1)!.from).id, periods: [period], ...(partial ? { partial } : {}) } };
}

function locateColumns(header: readonly string[], file: string, line: number): Record<ColumnKey, number> {
  const found = {} as Record<ColumnKey, number>;
  for (const [key, names] of Object.entries(CSV_COLUMNS) as [ColumnKey, readonly string[]][]) {
    found[key] = header.findIndex((cell) => names.includes(cell));
  }
  for (const key of REQUIRED) {
    if (found[key] < 0) throw inputError('E_HEADER', { file, line, column: CSV_COLUMNS[key][0] }, `column "${CSV_COLUMNS[key][0]}" is missing.`);
  }
  return found;
}
