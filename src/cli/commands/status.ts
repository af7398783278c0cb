import type { Command } from 'commander';
import { getStatus, type StatusLine } from '../../assessment/index.js';
import { formatChange, formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

const VERDICTS = { on_track: 'on track', at_risk: 'at risk', off_track: 'off track' } as const;

function projection(line: StatusLine): string {
  const p = line.projection;
  if (!p) return '';
  return `${formatValue(p.value, line.unit)} (${formatValue(p.low, line.unit)}–${formatValue(p.high, line.unit)}) in ${p.period}: ${VERDICTS[p.verdict]}`;
}

function neededText(line: StatusLine): string {
  const n = line.needed;
  if (!n) return '';
  const patients = n.patientsPerMonth === null ? '' : ` (${Math.round(Math.abs(n.patientsPerMonth)).toLocaleString('en-GB')} patients)`;
  return `${formatChange(n.perMonth, line.unit)}${patients} for ${n.months} months`;
}

export function register(program: Command): void {
  withCommonOptions(program.command('status'))
    .description('every applicable target for an organisation: value, threshold, met, gap and the last month it was met')
    .argument('<org>', 'ODS code (RHU), region (Y59) or ENG')
    .option('--period <YYYY-MM>', 'month to assess as of (default: the latest)')
    .option('--as-of <YYYY-MM>', 'everything as known at the end of this month: later months ignored, deadlines after it projected')
    .action(async (org: string, options: { db?: string; json?: boolean; period?: string; asOf?: string }) => {
      const status = await withStore(options, (store) => getStatus(store, org, { ...(options.period ? { period: options.period } : {}), ...(options.asOf ? { asOf: options.asOf } : {}) }));
      if (options.json) {
        printJson(status);
        return;
      }
      print(`${status.org.name} (${status.org.code}) — position as of ${status.period}`);
      print(table(status.lines, [
        { header: 'Target', value: (l) => l.title },
        { header: 'Month', value: (l) => l.assessedPeriod },
        { header: 'Value', value: (l) => formatValue(l.value, l.unit), align: 'right' },
        { header: 'Threshold', value: (l) => (l.threshold === null ? '' : `${l.comparator} ${formatValue(l.threshold, l.unit)}`) },
        { header: 'Met', value: (l) => (l.met === null ? 'unknown' : l.met ? (l.final ? 'met' : 'meeting') : l.final ? 'not met' : 'not yet') },
        { header: 'Gap', value: (l) => formatChange(l.gap, l.unit), align: 'right' },
        { header: 'Last met', value: (l) => l.lastMet ?? 'never in the data' },
        { header: 'Projected at deadline', value: (l) => projection(l) },
        { header: 'Needed a month', value: (l) => neededText(l) },
        // Counts of the longest waiters beside their percentages: each is a patient at risk of harm.
        ...(status.lines.some((l) => l.companions.length > 0)
          ? [{ header: 'Longest waits', value: (l: StatusLine) => l.companions.map((c) => `${c.short}: ${formatValue(c.value, c.unit)}`).join('; ') }]
          : []),
      ]));
      const notes = status.lines.filter((l) => l.note);
      for (const line of notes) print(`  ${line.title}: ${line.note}`);
      const peers = status.lines.filter((l) => l.needed?.peers);
      if (peers.length > 0) print('\nWhat peers at the same level achieved over the same months (median, 90th percentile a month):');
      for (const line of peers) {
        const { median, p90 } = line.needed!.peers!;
        print(`  ${line.title}: ${formatChange(median, line.unit)}, ${formatChange(p90, line.unit)}`);
      }
      const readings = status.lines.filter((l) => l.reading);
      if (readings.length > 0) print('\nReadings of ambiguous guidance:');
      for (const line of readings) print(`  ${line.targetId}: ${line.reading}`);
      if (status.unmeasured.length > 0) print(`No figures yet for: ${status.unmeasured.join(', ')}`);
    });
}
