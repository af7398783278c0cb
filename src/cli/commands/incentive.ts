import type { Command } from 'commander';
import { getSchemeLeague, SCHEMES } from '../../assessment/incentives.js';
import { formatChange, formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('incentive'))
    .description(`an A&E capital incentive scheme as a league among trusts with a type 1 emergency department: ${SCHEMES.map((s) => s.id).join(', ')}`)
    .argument('<scheme>', 'scheme id')
    .action(async (id: string, options: { db?: string; json?: boolean }) => {
      const league = await withStore(options, (store) => getSchemeLeague(store, id));
      if (options.json) {
        printJson(league);
        return;
      }
      const { scheme } = league;
      print(`${scheme.title} — trusts with a type 1 emergency department (${scheme.source})`);
      print(table(league.rows, [
        { header: 'Rank', value: (r) => (r.rank === null ? '–' : String(r.rank)), align: 'right' },
        { header: 'Code', value: (r) => r.org },
        { header: 'Trust', value: (r) => r.name },
        { header: scheme.kind === 'change' ? `Change ${scheme.from} → ${scheme.to}` : 'Value', value: (r) => (scheme.kind === 'change' ? formatChange(r.value, 'percent') : formatValue(r.value, 'percent')), align: 'right' },
        { header: scheme.qualifies !== undefined ? 'Qualifies' : 'Rewarded place', value: (r) => (r.rewarded ? 'yes' : '') },
        { header: 'Missing months', value: (r) => r.missing.join(' ') },
      ]));
      if (scheme.caveat) print(`\n${scheme.caveat}`);
    });
}
