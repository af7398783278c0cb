import type { Command } from 'commander';
import { getSeries, getSeriesWithSpc } from '../../assessment/index.js';
import { formatValue, table } from '../format.js';
import type { SeriesWithSpc } from '../../assessment/index.js';
import { ASSURANCE_LABELS, VARIATION_LABELS } from '../../analysis/spc/icons.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('series'))
    .description("one organisation's monthly series for a measure (value in the measure's unit; percent 0–100)")
    .argument('<org>', 'ODS code (RHU), region (Y59) or ENG')
    .argument('<metric>', 'measure id, e.g. ae_4hr')
    .option('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month')
    .option('--spc', 'add Making Data Count SPC: limits, special-cause rules, variation and assurance icons')
    .action(async (org: string, metric: string, options: { db?: string; json?: boolean; from?: string; to?: string; spc?: boolean }) => {
      if (options.spc) {
        const withSpc = await withStore(options, (store) => getSeriesWithSpc(store, org, metric, options));
        printSpc(withSpc, Boolean(options.json));
        return;
      }
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
      print(`${result.org.name} (${result.org.code}) — ${result.measure.title}`);
      print(table(result.points, [
        { header: 'Month', value: (p) => p.period },
        { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
        { header: 'Numerator', value: (p) => (p.numerator === null ? '' : Math.round(p.numerator).toLocaleString('en-GB')), align: 'right' },
        { header: 'Denominator', value: (p) => (p.denominator === null ? '' : Math.round(p.denominator).toLocaleString('en-GB')), align: 'right' },
        { header: 'Note', value: (p) => p.note ?? (p.excluded ? `leaves out ${p.excluded.length} that did not report: ${p.excluded.join(' ')}` : '') },
      ]));
      if (result.measure.caveat && result.points.some((p) => p.note || p.excluded)) print(`\n${result.measure.caveat}`);
    });
}

function printSpc(result: SeriesWithSpc, json: boolean): void {
  const { spc } = result;
  if (json) {
    printJson({
      points: spc.points.map((point, i) => ({ ...point, numerator: result.points[i]?.numerator ?? null, denominator: result.points[i]?.denominator ?? null })),
      variation: spc.variation,
      assurance: spc.assurance,
      segments: spc.segments,
      target: result.target ?? null,
    });
    return;
  }
  const unit = result.measure.unit;
  print(`${result.org.name} (${result.org.code}) — ${result.measure.title}`);
  print(`Variation: ${VARIATION_LABELS[spc.variation]}. Assurance: ${spc.assurance ? ASSURANCE_LABELS[spc.assurance] : 'none (no target, or a neutral measure)'}${result.target ? ` against ${result.target.title}` : ''}.`);
  print(table(spc.points, [
    { header: 'Month', value: (p) => p.period },
    { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
    { header: 'Mean', value: (p) => (p.mean === null ? '' : formatValue(p.mean, unit)), align: 'right' },
    { header: 'Lower limit', value: (p) => (p.lpl === null ? '' : formatValue(p.lpl, unit)), align: 'right' },
    { header: 'Upper limit', value: (p) => (p.upl === null ? '' : formatValue(p.upl, unit)), align: 'right' },
    { header: 'Point', value: (p) => p.pointType.replaceAll('_', ' ') },
  ]));
}
