import { Option, type Command } from 'commander';
import { getLeague, type LeagueRow } from '../../assessment/index.js';
import type { Level } from '../../dimensions.js';
import { periodLabel } from '../../dimensions.js';
import { formatChange, formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('league'))
    .description('rank organisations on a measure for a month, with change on a year earlier and the applicable target')
    .argument('<metric>', 'measure id, e.g. ae_4hr')
    .option('--period <YYYY-MM>', 'month (default: the latest)')
    .addOption(new Option('--level <level>', 'level to rank').choices(['trust', 'provider', 'ambulance_trust', 'icb', 'region']).default('trust'))
    .option('--region <code>', 'only organisations in this region (e.g. Y59)')
    .option('--as-of <YYYY-MM>', 'as known at the end of this month: the latest month up to it, no later month')
    .action(async (metric: string, options: { db?: string; json?: boolean; period?: string; level: Level; region?: string; asOf?: string }) => {
      const league = await withStore(options, (store) =>
        getLeague(store, metric, { level: options.level, ...(options.period ? { period: options.period } : {}), ...(options.region ? { region: options.region.toUpperCase() } : {}), ...(options.asOf ? { asOf: options.asOf } : {}) }));
      if (options.json) {
        printJson({ metric: league.measure.id, period: league.period, level: league.level, target: league.target ?? null, companions: league.companions, rows: league.rows, ...(league.unplaced ? { unplaced: league.unplaced } : {}) });
        return;
      }
      const unit = league.measure.unit;
      const target = league.target ? `target: ${league.target.title}` : 'no target applies';
      const when = league.measure.frequency === 'quarter' ? `${periodLabel(league.period, 'quarter')} (${league.period})` : league.period;
      print(`${league.measure.title} — ${when}, ${league.level} level (${target})`);
      print(table(league.rows, [
        { header: 'Rank', value: (r) => (r.rank === null ? '–' : String(r.rank)), align: 'right' },
        { header: 'Code', value: (r) => r.org },
        { header: 'Organisation', value: (r) => r.name },
        { header: 'Value', value: (r) => formatValue(r.value, unit), align: 'right' },
        { header: 'On a year earlier', value: (r) => formatChange(r.change, unit), align: 'right' },
        ...(league.rows.some((r) => r.threshold !== undefined)
          ? [{ header: 'Own target', value: (r: LeagueRow) => (r.threshold === undefined || r.threshold === null ? '' : formatValue(r.threshold, unit)), align: 'right' as const }]
          : []),
        { header: 'Target met', value: (r) => (r.targetMet === null ? '' : r.targetMet ? 'met' : 'not met') },
        ...league.companions.map((companion, i) => ({ header: companion.short, value: (r: LeagueRow) => formatValue(r.companions[i]?.value, companion.unit), align: 'right' as const })),
      ]));
      if (league.unplaced) print(`\nNot placed in any ${league.level === 'icb' ? 'ICB' : 'region'} that month, so in no row above (${league.unplaced.length}): ${league.unplaced.join(' ')}`);
    });
}
