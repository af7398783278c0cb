import type { Command } from 'commander';
import { runBacktest, type BacktestRow } from '../../assessment/backtest.js';
import { measureById } from '../../measures/index.js';
import { loadTargets } from '../../targets/load.js';
import { formatChange, formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

const percent = (value: number | null) => (value === null ? '' : `${(100 * value).toFixed(0)}%`);

function verdicts(row: BacktestRow): string {
  const v = row.verdicts;
  if (!v) return '';
  return `on track ${v.onTrackMet}/${v.onTrack} met · at risk ${v.atRiskMet}/${v.atRisk} met · off track ${v.offTrackMissed}/${v.offTrack} missed`;
}

export function register(program: Command): void {
  withCommonOptions(program.command('backtest'))
    .description('run the trajectory method on every past deadline in the store, from the October before, and report the 80% interval\'s coverage and the mean absolute error')
    .action(async (options: { db?: string; json?: boolean }) => {
      const report = await withStore(options, (store) => runBacktest(store, loadTargets()));
      if (options.json) {
        printJson(report);
        return;
      }
      print(table(report.rows, [
        { header: 'Measure', value: (r) => r.measure },
        { header: 'Deadline', value: (r) => r.financialYear ?? r.deadline },
        { header: 'As of', value: (r) => r.asOf },
        { header: 'Level', value: (r) => r.level },
        { header: 'Projected', value: (r) => String(r.n), align: 'right' },
        { header: 'In 80% interval', value: (r) => percent(r.coverage), align: 'right' },
        { header: 'Mean abs. error', value: (r) => (r.meanAbsoluteError === null ? '' : formatValue(r.meanAbsoluteError, measureById(r.measure).unit)), align: 'right' },
        { header: 'Bias', value: (r) => (r.bias === null ? '' : formatChange(r.bias, measureById(r.measure).unit)), align: 'right' },
        { header: 'Verdicts borne out', value: verdicts },
        { header: 'Note', value: (r) => r.note ?? (r.notProjected > 0 ? `${r.notProjected} too short to project` : '') },
      ]));
      const { n, coverage, meanAbsoluteErrorPoints } = report.overall;
      print(`\nOverall: ${n} projections, ${percent(coverage)} inside their 80% interval; mean absolute error ${meanAbsoluteErrorPoints === null ? 'n/a' : `${meanAbsoluteErrorPoints.toFixed(2)} points`} on the percentage measures.`);
    });
}
