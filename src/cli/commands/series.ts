import type { Command } from 'commander';
import { getSeries } from '../../assessment/index.js';
import { periodLabel } from '../../measures/periods.js';
import { formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('series'))
    .description("one organisation's monthly series for a measure (value in the measure's unit; percent 0–100)")
    .argument('<org>', 'ODS code (RHU), region (Y59) or ENG')
    .argument('<metric>', 'measure id, e.g. ae_4hr')
    .option('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month')
    .action(async (org: string, metric: string, options: { db?: string; json?: boolean; from?: string; to?: string }) => {
      const result = await withStore(options, (store) => getSeries(store, org, metric, options));
      if (options.json) {
        printJson(result.points.map((point) => ({
          period: point.period,
          value: point.value,
          numerator: point.numerator,
          denominator: point.denominator,
          ...(point.note ? { note: point.note } : {}),
          ...(point.excluded ? { excluded: point.excluded } : {}),
        })));
        return;
      }
      const unit = result.measure.unit;
      const quarterly = result.measure.frequency === 'quarter';
      print(`${result.org.name} (${result.org.code}) — ${result.measure.title}`);
      print(table(result.points, [
        quarterly
          ? { header: 'Quarter', value: (p) => `${periodLabel(p.period, 'quarter')} (${p.period})` }
          : { header: 'Month', value: (p) => p.period },
        { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
        { header: 'Numerator', value: (p) => (p.numerator === null ? '' : Math.round(p.numerator).toLocaleString('en-GB')), align: 'right' },
        { header: 'Denominator', value: (p) => (p.denominator === null ? '' : Math.round(p.denominator).toLocaleString('en-GB')), align: 'right' },
        { header: 'Note', value: (p) => p.note ?? (p.excluded ? `leaves out ${p.excluded.length} that did not report: ${p.excluded.join(' ')}` : '') },
      ]));
      if (result.measure.caveat && result.points.some((p) => p.note || p.excluded)) print(`\n${result.measure.caveat}`);
    });
}
