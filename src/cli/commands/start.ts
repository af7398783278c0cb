import type { Command } from 'commander';
import { getLeague, getStatus, latestPeriod } from '../../assessment/index.js';
import { fetchAndIngest, fetchableCollections } from '../fetch-and-ingest.js';
import { formatValue } from '../format.js';
import { configFrom, print } from '../context.js';
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
    .action(async (options: { db?: string; serve: boolean }) => {
      const config = configFrom(options);
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
  for (const line of status.lines) {
    const verdict = line.met === null ? 'unknown' : line.met ? (line.final ? 'met' : 'meeting it now') : line.final ? 'not met' : 'not yet';
    print(`  ${line.title}: ${formatValue(line.value, line.unit)} (${line.assessedPeriod}) — ${verdict}`);
  }
  const league = await getLeague(store, 'ae_4hr', { level: 'trust' });
  // Community trusts whose only units are minor injury units top an all-trust table at 99%; the
  // comparison people mean is between trusts that run a major (type 1) emergency department.
  const type1 = await getLeague(store, 'ae_4hr_type1', { level: 'trust', period: league.period });
  const majorEd = new Set(type1.rows.filter((row) => (row.denominator ?? 0) >= 1000).map((row) => row.org));
  const ranked = league.rows.filter((row) => row.rank !== null && majorEd.has(row.org));
  const show = (title: string, rows: typeof ranked) => {
    print(`\n${title} (${league.measure.short}, all A&E types, ${league.period}; trusts with a major emergency department, 1,000+ type 1 attendances)`);
    rows.forEach((row) => {
      const position = ranked.indexOf(row) + 1;
      print(`  ${String(position).padStart(3)}  ${row.org}  ${row.name}  ${formatValue(row.value, league.measure.unit)}`);
    });
  };
  show('Best trusts', ranked.slice(0, 5));
  show('Worst trusts', ranked.slice(-5));
}
