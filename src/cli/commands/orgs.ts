import { Option, type Command } from 'commander';
import { listOrgs, type OrgQuery } from '../../assessment/index.js';
import { table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('orgs'))
    .description('list organisations: codes, names, parent ICB and region, open and close dates (from ODS and the publications ingested)')
    .addOption(new Option('--level <level>', 'only this level').choices(['trust', 'icb', 'region']))
    .option('--search <text>', 'only codes or names containing this text')
    .action(async (options: { db?: string; json?: boolean } & OrgQuery) => {
      const orgs = await withStore(options, (store) => listOrgs(store, { ...(options.level ? { level: options.level } : {}), ...(options.search ? { search: options.search } : {}) }));
      // The list names successors by code, as ODS's own successor file does; `planwatch history` gives dates.
      const rows = orgs.map(({ successors, ...org }) => ({ ...org, ...(successors ? { successors: successors.map((s) => s.code) } : {}) }));
      if (options.json) {
        printJson(rows);
        return;
      }
      print(table(rows, [
        { header: 'Code', value: (r) => r.code },
        { header: 'Name', value: (r) => r.name },
        { header: 'Level', value: (r) => r.level.replace('_', ' ') },
        { header: 'ICB', value: (r) => r.icb ?? '' },
        { header: 'Region', value: (r) => r.region ?? (r.level === 'region' ? 'ENG' : '') },
        { header: 'Opened', value: (r) => r.opened ?? '' },
        { header: 'Closed', value: (r) => r.closed ?? '' },
        { header: 'Succeeded by', value: (r) => r.successors?.join(' ') ?? '' },
        // QRL kept its code when it took part of QNQ in April 2026: "from" lists what it took in.
        { header: 'Formed / changed', value: (r) => (r.formed ? `${r.formed.from} from ${r.formed.predecessors.join(' ')}` : '') },
      ]));
      if (rows.length === 0) print('No organisations match. Ingest the ODS trust list (etr.csv) for trusts and ICBs.');
    });
}
