import type { Command } from 'commander';
import { listTargets, type TargetListing } from '../../assessment/target-list.js';
import { loadTargets } from '../../targets/load.js';
import { formatValue, table } from '../format.js';
import { print, printJson } from '../context.js';
import type { Unit } from '../../measures/index.js';

function rule(target: TargetListing): string {
  const unit = target.unit as Unit;
  if (target.threshold !== null) return `${target.comparator} ${formatValue(target.threshold, unit)}`;
  if (target.rule?.comparedWith) return 'better than a year earlier';
  const { improvement, improvementUnit, baselinePeriod, floor } = target.rule ?? {};
  const step = improvementUnit === 'percent' ? `${improvement}% better than` : unit === 'percent' ? `${improvement} points better than` : `${improvement} better than`;
  return `${step} own ${baselinePeriod}${floor !== undefined ? `, at least ${formatValue(floor, unit)}` : ''}`;
}

function when(target: TargetListing): string {
  if ('month' in target.period) return target.period.month;
  if ('financialYear' in target.period) return `${target.period.financialYear} (${target.period.average === 'pooled' ? 'whole year' : 'mean of months'})`;
  return `every month${target.period.from ? ` from ${target.period.from}` : ''}`;
}

export function register(program: Command): void {
  program.command('targets')
    .description('every target loaded from targets/*.yaml: measure, comparator, threshold or rule, due month, levels and source')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) => {
      const targets = listTargets(loadTargets());
      if (options.json) {
        printJson(targets);
        return;
      }
      print(table(targets, [
        { header: 'Id', value: (t) => t.id },
        { header: 'Measure', value: (t) => t.measure },
        { header: 'Rule', value: rule },
        { header: 'Due', value: when },
        { header: 'Levels', value: (t) => t.levels.join(' ') },
        { header: 'Source', value: (t) => t.document.title },
      ]));
      const readings = targets.filter((t) => t.reading);
      if (readings.length > 0) print(`\nReadings of ambiguous text (targets --json gives them in full): ${readings.map((t) => t.id).join(', ')}`);
    });
}
