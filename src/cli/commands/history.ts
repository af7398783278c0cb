import type { Command } from 'commander';
import { checkPeriod, describeOrg } from '../../assessment/index.js';
import { PlanwatchError } from '../../errors.js';
import { measureById } from '../../measures/index.js';
import { measureHistory } from '../../measures/query.js';
import { formatValue, table } from '../format.js';
import { print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('history'))
    .description('every publication of one month for an organisation: the original figure and each revision')
    .argument('<org>', 'ODS code of a provider (RHU)')
    .argument('<metric>', 'measure id, e.g. ae_4hr')
    .requiredOption('--period <YYYY-MM>', 'the month')
    .action(async (orgCode: string, metric: string, options: { db?: string; json?: boolean; period: string }) => {
      const period = checkPeriod(options.period, '--period')!;
      const measure = measureById(metric);
      const { org, versions } = await withStore(options, async (store) => {
        const org = await describeOrg(store, orgCode);
        return { org, versions: await measureHistory(store, measure, org.code, period) };
      });
      if (versions.length === 0) throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} publication for ${period} is in the store.`);
      if (options.json) {
        printJson(versions.map((v) => ({ file: v.file, published: v.published, edition: v.edition, ingestedAt: v.ingestedAt, current: v.current, value: v.value?.value ?? null, numerator: v.value?.numerator ?? null, denominator: v.value?.denominator ?? null })));
        return;
      }
      print(`${org.name} (${org.code}) — ${measure.title}, ${period}`);
      print(table(versions, [
        { header: 'Publication', value: (v) => v.file },
        { header: 'Published', value: (v) => v.published ?? 'not stated' },
        { header: 'Edition', value: (v) => v.edition ?? 'not stated' },
        { header: 'Ingested', value: (v) => v.ingestedAt.toISOString().slice(0, 16).replace('T', ' ') },
        { header: 'Value', value: (v) => (v.value ? formatValue(v.value.value, measure.unit) : 'not in this file'), align: 'right' },
        { header: '', value: (v) => (v.current ? 'current' : 'superseded') },
      ]));
    });
}
