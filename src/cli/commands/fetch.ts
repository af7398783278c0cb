import type { Command } from 'commander';
import { checkPeriod } from '../../assessment/index.js';
import { fetchAndIngest } from '../fetch-and-ingest.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';
import { describeOutcome } from './ingest.js';

export function register(program: Command): void {
  withCommonOptions(program.command('fetch'))
    .description("download a collection's publications from NHS England (cached by URL and checksum) and ingest them")
    .argument('<collection>', 'collection id, e.g. ae')
    .option('--since <YYYY-MM>', 'only publications for this month or later')
    .action(async (collection: string, options: { db?: string; json?: boolean; since?: string }) => {
      checkPeriod(options.since, '--since');
      const outcomes = await withStore(options, (store, config) => fetchAndIngest(store, config, collection, options));
      if (options.json) {
        printJson(outcomes);
        return;
      }
      for (const outcome of outcomes) print(describeOutcome({ path: outcome.url, status: outcome.result.status, result: outcome.result }));
      print(`${outcomes.length} publications (${outcomes.filter((o) => o.fromCache).length} from the cache)`);
    });
}
