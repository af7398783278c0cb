import type { Command } from 'commander';
import { getSeries, type SeriesResult } from '../../assessment/index.js';
import type { MeasureValue } from '../../measures/query.js';
import { formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

function pointJson(point: MeasureValue) {
  return {
    period: point.period,
    value: point.value,
    numerator: point.numerator,
    denominator: point.denominator,
    ...(point.note ? { note: point.note } : {}),
    ...(point.members ? { members: point.members } : {}),
    ...(point.excluded ? { excluded: point.excluded } : {}),
    ...(point.apportioned ? { apportioned: true } : {}),
  };
}

function note(point: MeasureValue): string {
  if (point.note) return point.note;
  const parts: string[] = [];
  if (point.members) parts.push(`${point.members.length} included: ${point.members.join(' ')}`);
  if (point.excluded) parts.push(`leaves out ${point.excluded.length} that did not report: ${point.excluded.join(' ')}`);
  if (point.apportioned) parts.push('estimate (apportioned)');
  return parts.join('; ');
}

function printSeries(result: SeriesResult): void {
  const unit = result.measure.unit;
  // Apportioned ICB figures sum weighted parts: their numerator and denominator are not counts.
  const counts = (value: number | null, point: MeasureValue) => (value === null || point.apportioned ? '' : Math.round(value).toLocaleString('en-GB'));
  print(`${result.org.name} (${result.org.code}) — ${result.measure.title}`);
  print(table(result.points, [
    { header: 'Month', value: (p) => p.period },
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
    .option('--with-predecessors', 'also show the organisations it succeeded (ODS), up to each merger')
    .action(async (org: string, metric: string, options: { db?: string; json?: boolean; from?: string; to?: string; withPredecessors?: boolean }) => {
      const result = await withStore(options, (store) => getSeries(store, org, metric, options));
      if (options.json) {
        printJson({
          org: result.org,
          metric: result.measure.id,
          points: result.points.map(pointJson),
          ...(result.unplaced ? { unplaced: result.unplaced } : {}),
          ...(result.predecessors ? { predecessors: result.predecessors.map((p) => ({ org: p.org, from: p.from, points: p.points.map(pointJson) })) } : {}),
          ...(result.rebase ? { rebase: result.rebase } : {}),
        });
        return;
      }
      printSeries(result);
    });
}
