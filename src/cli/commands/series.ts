import type { Command } from 'commander';
import { getSeries, getSeriesWithSpc, pointJson, type SeriesResult } from '../../assessment/index.js';
import type { MeasureValue } from '../../measures/query.js';
import { periodLabel } from '../../dimensions.js';
import type { MeasureDefinition } from '../../measures/index.js';
import { formatValue, table, type Column } from '../format.js';
import type { SeriesWithSpc } from '../../assessment/index.js';
import { ASSURANCE_LABELS, VARIATION_LABELS } from '../../analysis/spc/icons.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

function note(point: MeasureValue): string {
  if (point.note) return point.note;
  const parts: string[] = [];
  if (point.members) parts.push(`${point.members.length} included: ${point.members.join(' ')}`);
  if (point.excluded) parts.push(`leaves out ${point.excluded.length} that did not report: ${point.excluded.join(' ')}`);
  if (point.apportioned) parts.push('estimate (apportioned)');
  if (point.includesEstimates) parts.push("NHS England's figure, with its estimates for trusts that did not report");
  else if (point.basis && !point.members) parts.push("NHS England's published figure");
  else if (point.basis) parts.push('sum of the providers that reported');
  return parts.join('; ');
}

/** Quarterly measures (KH03) are keyed by the quarter's last month; show the quarter as well. */
function periodColumn<T extends { period: string }>(measure: MeasureDefinition): Column<T> {
  return measure.frequency === 'quarter'
    ? { header: 'Quarter', value: (p) => `${periodLabel(p.period, 'quarter')} (${p.period})` }
    : { header: 'Month', value: (p) => p.period };
}

function printSeries(result: SeriesResult): void {
  const unit = result.measure.unit;
  // Apportioned ICB figures sum weighted parts: their numerator and denominator are not counts.
  const counts = (value: number | null, point: MeasureValue) => (value === null || point.apportioned ? '' : Math.round(value).toLocaleString('en-GB'));
  print(`${result.org.name} (${result.org.code}) — ${result.measure.title}`);
  print(table(result.points, [
    periodColumn(result.measure),
    { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
    { header: 'Numerator', value: (p) => counts(p.numerator, p), align: 'right' },
    { header: 'Denominator', value: (p) => counts(p.denominator, p), align: 'right' },
    { header: 'Note', value: note },
  ]));
  if (result.unplaced) {
    const { period, orgs } = result.unplaced;
    print(`\nNot placed in any ${result.org.level === 'icb' ? 'ICB' : 'region'} in ${period} (${orgs.length}), so in no ${result.org.level === 'icb' ? 'ICB' : 'regional'} figure: ${orgs.length > 0 ? orgs.join(' ') : 'none'}`);
  }
  for (const predecessor of result.predecessors ?? []) {
    print(`\nPredecessor ${predecessor.org.name} (${predecessor.org.code}), until its services moved in ${predecessor.from}:`);
    print(table(predecessor.points.filter((p) => p.value !== null), [
      { header: 'Month', value: (p) => p.period },
      { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
    ]));
  }
  for (const marker of result.rebase ?? []) print(`Rebase at ${marker.period}: ${marker.reason}.`);
  if (result.measure.caveat && result.points.some((p) => p.note || p.excluded || p.apportioned)) print(`\n${result.measure.caveat}`);
}

export function register(program: Command): void {
  withCommonOptions(program.command('series'))
    .description("one organisation's monthly series for a measure (value in the measure's unit; percent 0–100; times as minutes:seconds)")
    .argument('<org>', 'ODS code (RHU), ICB (QRL), region (Y59) or ENG')
    .argument('<metric>', 'measure id, e.g. ae_4hr or amb_c2_mean')
    .option('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month')
    .option('--as-of <YYYY-MM>', 'as known at the end of this month: later months left out')
    .option('--with-predecessors', 'also show the organisations it succeeded (ODS), up to each merger')
    .option('--spc', 'add Making Data Count SPC: limits, special-cause rules, variation and assurance icons')
    .action(async (org: string, metric: string, options: { db?: string; json?: boolean; from?: string; to?: string; asOf?: string; spc?: boolean; withPredecessors?: boolean }) => {
      if (options.spc) {
        const withSpc = await withStore(options, (store) => getSeriesWithSpc(store, org, metric, options));
        printSpc(withSpc, Boolean(options.json));
        return;
      }
      const result = await withStore(options, (store) => getSeries(store, org, metric, options));
      if (options.json) {
        // The plain series is an array of points (the documented interface); providers a level
        // cannot place ride on the month they are for. Predecessors are asked for explicitly and
        // need an object to carry them.
        const points = result.points.map((point) => ({
          ...pointJson(point),
          ...(result.unplaced?.period === point.period ? { unplaced: result.unplaced.orgs } : {}),
        }));
        if (!options.withPredecessors) {
          printJson(points);
          return;
        }
        printJson({
          org: result.org,
          metric: result.measure.id,
          points,
          predecessors: (result.predecessors ?? []).map((p) => ({ org: p.org, from: p.from, points: p.points.map(pointJson) })),
          rebase: result.rebase ?? [],
        });
        return;
      }
      printSeries(result);
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
    periodColumn(result.measure),
    { header: 'Value', value: (p) => formatValue(p.value, unit), align: 'right' },
    { header: 'Mean', value: (p) => (p.mean === null ? '' : formatValue(p.mean, unit)), align: 'right' },
    { header: 'Lower limit', value: (p) => (p.lpl === null ? '' : formatValue(p.lpl, unit)), align: 'right' },
    { header: 'Upper limit', value: (p) => (p.upl === null ? '' : formatValue(p.upl, unit)), align: 'right' },
    { header: 'Point', value: (p) => p.pointType.replaceAll('_', ' ') },
  ]));
}
