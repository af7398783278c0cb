import type { Command } from 'commander';
import { PlanwatchError, isPlanwatchError } from '../../errors.js';
import { ingestPrepared, listFiles, prepareFile, type IngestResult, type PreparedFile } from '../../store/ingest.js';
import type { Store } from '../../store/store.js';
import path from 'node:path';
import { cliCwd, isServed, print, printError, printJson, withCommonOptions, withStore } from '../context.js';

/** Files up to this size are parsed ahead of their turn: every A&E CSV (tens of kilobytes), no RTT extract. */
const PREPARE_AHEAD_BYTES = 4 * 1024 * 1024;

export interface IngestOutcome {
  path: string;
  status: IngestResult['status'] | 'skipped' | 'rejected';
  result?: IngestResult;
  error?: { code: string; message: string; file?: string; line?: number; column?: string };
}

/**
 * Ingests files and folders one file at a time. A refused file changes nothing and the others
 * still go in; files found in a folder that no collection claims are skipped and listed.
 * `measureValues: 'later'` leaves the months the files changed marked (`measure_pending`) for the
 * next command that reads the store, instead of computing their measure values now.
 */
export async function ingestPaths(store: Store, paths: readonly string[], onOutcome: (outcome: IngestOutcome) => void = () => {},
  { measureValues = 'now' }: { measureValues?: 'now' | 'later' } = {}): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const files = await listFiles(paths);
  // A small file is read while the one before it is written, and parsed while that one commits
  // (prepareFile); a large one (an RTT extract) waits for its turn, so no two are held in memory at once.
  const ahead = (index: number) => (files[index] && files[index]!.size <= PREPARE_AHEAD_BYTES ? prepareFile(files[index]!.path) : undefined);
  let next = ahead(0);
  for (const [index, found] of files.entries()) {
    const prepared: PreparedFile = next ?? prepareFile(found.path);
    const following = ahead(index + 1);
    next = following;
    let outcome: IngestOutcome;
    try {
      const result = await ingestPrepared(store, prepared, () => following?.begin());
      outcome = { path: found.path, status: result.status, result };
    } catch (error) {
      if (!isPlanwatchError(error)) throw error;
      const skipped = !found.explicit && error.code === 'E_UNKNOWN_COLLECTION';
      outcome = {
        path: found.path,
        status: skipped ? 'skipped' : 'rejected',
        error: { code: error.code, message: error.message, ...(error.at ?? {}) },
      };
    }
    outcomes.push(outcome);
    onOutcome(outcome);
  }
  // Once for the whole batch, not per file: the measure values of every month the files changed.
  // Loaded here, not with the command: the assessment layer (targets, SPC, YAML) is half of what
  // an ingest would otherwise load, and a standalone ingest does not need it (issue 10 item 5).
  if (measureValues === 'now') await (await import('../../assessment/measure-table.js')).refreshMeasureValues(store);
  return outcomes;
}

export function describeOutcome(outcome: IngestOutcome): string {
  const { result } = outcome;
  if (result) {
    // A successor file (ODS succ.csv) holds links, not figures for months.
    const months = result.periods.length === 0 ? 'no months'
      : result.periods.length === 1 ? result.periods[0] : `${result.periods[0]}…${result.periods.at(-1)} (${result.periods.length} months)`;
    const replaced = result.replaced.length > 0 ? `  replaces ${result.replaced.join(', ')}` : '';
    return `${outcome.status.padEnd(9)} ${result.collection.padEnd(4)} ${months}  ${result.orgs} organisations  ${result.rows} rows  ${result.file}${replaced}`;
  }
  return outcome.status === 'skipped'
    ? `skipped   ${outcome.path}: not a file of a collection Planwatch reads`
    : `rejected  ${outcome.error?.message} Nothing from this file was stored.`;
}

function report(outcome: IngestOutcome): void {
  if (outcome.status === 'rejected') printError(`${describeOutcome(outcome)}\n`);
  else print(describeOutcome(outcome));
}

export function register(program: Command): void {
  withCommonOptions(program.command('ingest'))
    .description('ingest published files or folders into the store (one transaction per file)')
    .argument('<paths...>', 'files or folders')
    .action(async (paths: string[], options: { db?: string; json?: boolean }) => {
      // Paths are the caller's: when the server runs this command they are read from its folder,
      // and shown as the caller wrote them.
      const base = cliCwd();
      const resolved = paths.map((given) => path.resolve(base, given));
      const shown = (outcome: IngestOutcome): IngestOutcome => {
        const index = resolved.findIndex((full) => outcome.path === full || outcome.path.startsWith(`${full}${path.sep}`));
        if (index < 0) return outcome;
        const rest = path.relative(resolved[index]!, outcome.path);
        return { ...outcome, path: rest === '' ? paths[index]! : path.join(paths[index]!, rest) };
      };
      // A standalone ingest stores figures and marks the months they change; the measure values of
      // those months are computed by the next command that reads the store (withStore), or by the
      // server before it listens: never inside this process, whose speed is held to DuckDB's own
      // read_csv (issue 10 item 5). Until then readers compute those months from the stored
      // figures, so nothing shown disagrees with them. A server running the command computes them
      // at once, since its pages are read meanwhile.
      const measureValues = isServed() ? 'now' : 'later';
      const outcomes = (await withStore(options, (store) =>
        ingestPaths(store, resolved, options.json ? undefined : (outcome) => report(shown(outcome)), { measureValues }), { measureValues: 'leave' })).map(shown);
      if (options.json) printJson(outcomes);
      else if (measureValues === 'later' && outcomes.some((outcome) => (outcome.result?.changed.length ?? 0) > 0)) {
        print('Measure values of the months changed are computed by the next command that reads the store (serve, start, status, league, series, export …).');
      }
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      if (rejected.length > 0) {
        const first = rejected[0]!.error!;
        // The first refusal's place rides on the summary, so --json names file, line and column.
        const at = first.file === undefined ? undefined : { file: first.file, ...(first.line === undefined ? {} : { line: first.line }), ...(first.column === undefined ? {} : { column: first.column }) };
        throw new PlanwatchError(first.code as PlanwatchError['code'], `${rejected.length} of ${outcomes.length} files were refused; nothing from them was stored. First: ${first.message}`, at);
      }
      if (outcomes.length === 0) throw new PlanwatchError('E_USAGE', 'no files found.');
    });
}
