import type { Command } from 'commander';
import { getStatus, latestPeriod } from '../../assessment/index.js';
import { getPeerLeague } from '../../assessment/peer-league.js';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../assessment/guidance-years.js';
import { fetchAndIngest, fetchableCollections } from '../fetch-and-ingest.js';
import { formatValue } from '../format.js';
import { print } from '../context.js';
import { loadConfig } from '../../config.js';
import { Store } from '../../store/store.js';
import { PlanwatchError, isPlanwatchError } from '../../errors.js';
import { describeOutcome, ingestPaths } from './ingest.js';
import { serveUntilStopped } from './serve.js';

/**
 * The main job on a fresh machine: fill the store (from PLANWATCH_SOURCE, or by downloading
 * NHS England's publications when the store is empty), then show where England stands.
 */
export function register(program: Command): void {
  program
    .command('start')
    .description('ingest PLANWATCH_SOURCE (or download the publications when the store is empty), show England\'s position, then serve the dashboard')
    .option('--db <path>', 'DuckDB store file (default ./planwatch.duckdb or PLANWATCH_DB)')
    .option('--no-serve', 'stop after showing the position instead of serving the dashboard')
    .option('--refresh <interval>', 'while serving, check the publication pages this often, e.g. 6h or 1d (default 1d or PLANWATCH_REFRESH)')
    .option('--no-refresh', 'never check the publication pages while serving')
    .action(async (options: { db?: string; serve: boolean; refresh?: string | false }) => {
      const config = loadConfig({ ...(options.db ? { db: options.db } : {}), ...(options.refresh !== undefined ? { refresh: options.refresh } : {}) }, process.env);
      const store = await Store.open(config.dbPath);
      let serving = false;
      try {
        if (config.source) {
          print(`Ingesting ${config.source} into ${config.dbPath}`);
          const outcomes = await ingestPaths(store, [config.source]);
          const counts = countBy(outcomes.map((o) => o.status));
          for (const outcome of outcomes.filter((o) => o.status === 'rejected')) print(describeOutcome(outcome));
          print(`${counts.ingested ?? 0} ingested, ${counts.unchanged ?? 0} already in the store, ${counts.skipped ?? 0} skipped (collections not read yet), ${counts.rejected ?? 0} refused`);
        } else if (!(await latestPeriod(store, 'ae'))) {
          let fetched = 0;
          for (const collection of fetchableCollections()) {
            print(`The store is empty: downloading ${collection} publications`);
            // One collection's site being down should not keep the others from the dashboard.
            try {
              const outcomes = await fetchAndIngest(store, config, collection);
              fetched += outcomes.length;
              print(`  ${outcomes.length} ${collection} publications ingested`);
            } catch (error) {
              if (!isPlanwatchError(error) || error.code !== 'E_FETCH') throw error;
              print(`  could not fetch ${collection}: ${error.message}`);
            }
          }
          if (fetched === 0) throw new PlanwatchError('E_FETCH', 'No publication could be downloaded; check the connection, or set PLANWATCH_SOURCE to a folder of files.');
        }
        await printPosition(store);
        if (options.serve) {
          serving = true;
          print('');
          await serveUntilStopped(config, store);
        }
      } finally {
        // serveUntilStopped closes the store itself once the server has stopped.
        if (!serving) store.close();
      }
    });
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function printPosition(store: Store): Promise<void> {
  const status = await getStatus(store, 'ENG');
  print(`\nEngland — position as of ${status.period}`);
  // As the page's scorecard: this guidance year's targets first (or a later one's the figures
  // reach), earlier years only counted.
  const { shown, earlier, year } = splitByGuidanceYear(status.lines, (line) => guidanceYearOf(line.targetId), leadingMonth(status.period, new Date()));
  for (const line of shown) {
    const verdict = line.met === null ? 'unknown' : line.met ? (line.final ? 'met' : 'meeting it now') : line.final ? 'not met' : 'not yet';
    print(`  ${line.title}: ${formatValue(line.value, line.unit)} (${line.assessedPeriod}) — ${verdict}`);
  }
  if (earlier.length > 0) {
    print(`  (and ${earlier.length} target${earlier.length === 1 ? '' : 's'} of guidance years before ${year}: \`planwatch status ENG\` lists them)`);
  }
  // The A&E league's default peer group: trusts with a type 1 (major) emergency department
  // (assessment/peer-league.ts says why).
  const league = await getPeerLeague(store, 'ae_4hr', { level: 'trust' });
  const ranked = league.rows.filter((row) => row.rank !== null);
  const show = (title: string, rows: typeof ranked) => {
    print(`\n${title} (${league.measure.short}, all A&E types, ${league.period}; ${league.peerGroup?.title.toLowerCase() ?? 'all trusts'})`);
    rows.forEach((row) => {
      print(`  ${String(row.rank).padStart(3)}  ${row.org}  ${row.name}  ${formatValue(row.value, league.measure.unit)}`);
    });
  };
  show('Best trusts', ranked.slice(0, 5));
  show('Worst trusts', ranked.slice(-5));
}
