import type { Command } from 'commander';
import { getStatus, type StatusLine } from '../../assessment/index.js';
import { formatChange, formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('status'))
    .description('every applicable target for an organisation: value, threshold, met, gap and the last month it was met')
    .argument('<org>', 'ODS code (RHU), region (Y59) or ENG')
    .option('--period <YYYY-MM>', 'month to assess as of (default: the latest)')
    .action(async (org: string, options: { db?: string; json?: boolean; period?: string }) => {
      const status = await withStore(options, (store) => getStatus(store, org, options.period ? { period: options.period } : {}));
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
        // Counts of the longest waiters beside their percentages: each is a patient at risk of harm.
        ...(status.lines.some((l) => l.companions.length > 0)
          ? [{ header: 'Longest waits', value: (l: StatusLine) => l.companions.map((c) => `${c.short}: ${formatValue(c.value, c.unit)}`).join('; ') }]
          : []),
      ]));
      const notes = status.lines.filter((l) => l.note);
      for (const line of notes) print(`  ${line.title}: ${line.note}`);
      if (status.unmeasured.length > 0) print(`No figures yet for: ${status.unmeasured.join(', ')}`);
    });
}
