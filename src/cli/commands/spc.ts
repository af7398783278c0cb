import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CsvError, parse } from 'csv-parse/sync';
import { spc, type Direction, type SpcInputPoint, type SpcOptions, type SpcResult } from '../../analysis/spc/index.js';
import { ASSURANCE_LABELS, DIRECTIONS, POINT_TYPE_LABELS, VARIATION_LABELS } from '../../analysis/spc/icons.js';
import { inputError, isEnoent, PlanwatchError } from '../../errors.js';
import { table } from '../format.js';

/** Flags as commander hands them over: strings, checked here so every mistake reads the same. */
export interface SpcFlags {
  direction?: string;
  target?: string;
  rebase?: string;
  fixAfter?: string;
  screen?: boolean;
  json?: boolean;
}

export interface SpcIo {
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  write(text: string): void;
}

const defaultIo: SpcIo = {
  readFile: (path) => readFile(path, 'utf8'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  write: (text) => process.stdout.write(text),
};

export function register(program: Command): void {
  program
    .command('spc')
    .description('SPC the Making Data Count way (XmR limits, special-cause rules, icons) for a CSV with columns period,value')
    .argument('[file]', 'CSV file with a header period,value (period YYYY-MM or YYYY-MM-DD); "-" or none reads stdin')
    .addOption(new Option('--direction <direction>', 'which way is better').choices(DIRECTIONS).default('increase'))
    .option('--target <number>', 'target for the assurance icon')
    .option('--rebase <periods>', 'start new limits at these periods, comma-separated (YYYY-MM[,YYYY-MM…])')
    .option('--fix-after <n>', 'fix each segment\'s limits on its first N points (N ≥ 12)')
    .option('--no-screen', 'do not screen large moving ranges (as the MDC Excel tools)')
    .option('--json', 'print JSON instead of a table')
    .action(async (file: string | undefined, flags: SpcFlags) => runSpcCommand(file, flags));
}

export async function runSpcCommand(file: string | undefined, flags: SpcFlags, io: SpcIo = defaultIo): Promise<void> {
  const options = spcOptions(flags);
  const fromStdin = file === undefined || file === '-';
  const name = fromStdin ? 'stdin' : file;
  const text = fromStdin ? await io.readStdin() : await readNamed(io, file);
  const result = spc(parseSeriesCsv(text, name), options);
  io.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatSpcTable(result, options));
}

async function readNamed(io: SpcIo, file: string): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (error) {
    if (isEnoent(error)) throw new PlanwatchError('E_NOT_FOUND', `${file}: no such file.`, { file }, { cause: error });
    throw error;
  }
}

export function spcOptions(flags: SpcFlags): SpcOptions {
  const direction = (flags.direction ?? 'increase') as Direction;
  if (!DIRECTIONS.includes(direction)) {
    throw new PlanwatchError('E_USAGE', `--direction must be one of ${DIRECTIONS.join(', ')}; found "${direction}".`);
  }
  return {
    direction,
    target: flags.target === undefined ? undefined : flagNumber('--target', flags.target),
    rebase: flags.rebase === undefined ? undefined : flags.rebase.split(',').map((period) => period.trim()).filter(Boolean),
    fixAfter: flags.fixAfter === undefined ? undefined : flagNumber('--fix-after', flags.fixAfter),
    screen: flags.screen !== false,
  };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const PERIOD = /^\d{4}-\d{2}(?:-\d{2})?$/;

function flagNumber(flag: string, text: string): number {
  if (!DECIMAL.test(text.trim())) throw new PlanwatchError('E_USAGE', `${flag} expects a number; found "${text}".`);
  return Number(text);
}

/**
 * An analyst's series: a header naming `period` and `value` (any case, any order, other columns
 * ignored), then one row per period. An empty value is a missing point, which SPC allows.
 */
export function parseSeriesCsv(text: string, file: string): SpcInputPoint[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new PlanwatchError('E_TRUNCATED', `${file}${line ? ` line ${line}` : ''}: ${csvProblem(error)}`, { file, line }, { cause: error });
    }
    throw error;
  }
  const header = rows[0];
  if (!header) throw inputError('E_EMPTY', { file }, 'the file is empty; expected a header period,value and one row per period.');
  const names = header.record.map((name) => name.trim().toLowerCase());
  const periodAt = names.indexOf('period');
  const valueAt = names.indexOf('value');
  if (periodAt < 0 || valueAt < 0) {
    const missing = periodAt < 0 ? 'period' : 'value';
    throw inputError('E_HEADER', { file, line: 1, column: missing }, `expected columns "period" and "value"; found ${header.record.map((name) => `"${name}"`).join(', ')}.`);
  }
  if (rows.length === 1) throw inputError('E_EMPTY', { file, line: 1 }, 'no rows after the header.');

  const points: SpcInputPoint[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    const period = record[periodAt]!.trim();
    if (!PERIOD.test(period)) {
      throw inputError('E_NUMBER', { file, line, column: header.record[periodAt]! }, `expected a period YYYY-MM or YYYY-MM-DD, found "${period}".`);
    }
    const key = period.length === 7 ? `${period}-01` : period;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', { file, line, column: header.record[periodAt]! }, `period ${period} already appears on line ${earlier}.`);
    }
    seen.set(key, line);
    const raw = record[valueAt]!.trim();
    if (raw !== '' && !DECIMAL.test(raw)) {
      throw inputError('E_NUMBER', { file, line, column: header.record[valueAt]! }, `expected a number, found "${raw}".`);
    }
    points.push({ period, value: raw === '' ? null : Number(raw) });
  }
  return points;
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return 'this row has a different number of cells from the header.';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed; the file may be cut short.';
    default:
      return `not readable as CSV (${error.message}).`;
  }
}

export function formatSpcTable(result: SpcResult, options: SpcOptions): string {
  const out = [
    table(result.points, [
      { header: 'period', value: (p) => p.period },
      { header: 'value', value: (p) => formatNumber(p.value), align: 'right' },
      { header: 'mean', value: (p) => formatNumber(p.mean), align: 'right' },
      { header: 'lpl', value: (p) => formatNumber(p.lpl), align: 'right' },
      { header: 'upl', value: (p) => formatNumber(p.upl), align: 'right' },
      { header: 'rules', value: (p) => (Object.keys(p.rules) as (keyof typeof p.rules)[]).filter((rule) => p.rules[rule]).join(' ') },
      { header: 'point type', value: (p) => POINT_TYPE_LABELS[p.pointType] },
    ]),
    '',
  ];
  out.push(`variation: ${VARIATION_LABELS[result.variation]}`);
  const target = options.target === undefined || options.target === null ? '' : ` (target ${options.target})`;
  out.push(`assurance: ${result.assurance === null ? 'none (no target, or a neutral measure)' : ASSURANCE_LABELS[result.assurance]}${target}`);
  for (const segment of result.segments) {
    const trial = segment.trial ? ' — trial limits: fewer than 13 points' : '';
    out.push(`limits ${segment.from} to ${segment.to} (${segment.points} points)${trial}`);
  }
  return `${out.join('\n')}\n`;
}

/** Six significant figures: the analyst's own units, so no unit-aware formatting applies. */
function formatNumber(value: number | null): string {
  return value === null ? '' : String(Number(value.toPrecision(6)));
}
