import { assess, type Assessment } from '../analysis/assess.js';
import { checkPeriod, financialYearMonths, isPeriod, type Level } from '../dimensions.js';
import { PlanwatchError } from '../errors.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import { measureValues, type MeasureValue } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey } from './memo.js';
import { describeOrg, type Organisation } from './organisations.js';
import { companionsAt, getSeries, latestPeriod, type Companion } from './series.js';
import { appliesAt, targets } from './targets.js';
import { peersFor } from './peer-stats.js';
import { dueOf, roadTo, type TargetNeeded, type TargetProjection } from './trajectories.js';

/** An organisation's status against every target that applies to it. */

export interface StatusLine extends Assessment {
  title: string;
  metric: string;
  measureTitle: string;
  unit: MeasureDefinition['unit'];
  /** The last month of the target's period ('YYYY-MM'), or null for a standing standard. */
  due: string | null;
  source: { title: string; url: string; document: string };
  /** Counts of the longest waiters for the same organisation and month. */
  companions: Companion[];
  /** Targets not yet due: the value projected at the deadline, its 80% interval and the verdict. */
  projection: TargetProjection | null;
  /** Targets not met at the latest month: the steady change a month needed, and what peers achieved. */
  needed: TargetNeeded | null;
  /** Where the target's source is ambiguous, the reading Planwatch encodes. */
  reading?: string;
}

export interface Status {
  org: Organisation;
  period: string;
  lines: StatusLine[];
  /** Measures with no figure for this organisation, so the targets on them cannot be assessed. */
  unmeasured: string[];
}

export async function getStatus(store: Store, orgCode: string, query: { period?: string; asOf?: string } = {}): Promise<Status> {
  const period = checkPeriod(query.period, '--period');
  const asOf = checkPeriod(query.asOf, '--as-of');
  if (period !== undefined && asOf !== undefined && period !== asOf) {
    throw new PlanwatchError('E_USAGE', `--period (${period}) and --as-of (${asOf}) name different months: status is assessed as of one month, so give one of them.`);
  }
  const asked = asOf ?? period;
  const org = await describeOrg(store, orgCode);
  return memoise(store, memoKey('getStatus', org.code, asked), () => statusOf(store, org, asked));
}

async function statusOf(store: Store, org: Organisation, asked: string | undefined): Promise<Status> {
  const levels = org.levels ?? [org.level];
  const applicable = targets().filter((target) => levels.some((level) => appliesAt(target, level)));
  const lines: StatusLine[] = [];
  const unmeasured = new Set<string>();
  let shownPeriod = asked;
  for (const target of applicable) {
    const measure = measureById(target.metric);
    const latest = await latestPeriod(store, measure.collection);
    if (!latest) {
      unmeasured.add(measure.id);
      continue;
    }
    const asOf = asked ?? latest;
    shownPeriod ??= asOf;
    const { points: series } = await getSeries(store, org.code, measure.id, { asOf });
    if (series.every((point) => point.value === null)) {
      unmeasured.add(measure.id);
      continue;
    }
    const assessment = assess(series, target, asOf, measure.unit === 'percent' ? 100 : 1, measure.direction);
    const from = series.filter((point) => point.period <= asOf && point.value !== null).at(-1)?.period;
    const peers = org.level === 'england' ? undefined : await peersFor(store, measure, org.level, asOf, from, dueOf(target));
    const road = roadTo(target, measure, assessment, series, asOf, peers);
    const companions = await companionsAt(store, measure, org.level, monthOf(assessment.assessedPeriod, asOf), [org.code]);
    lines.push({
      ...assessment,
      title: target.title,
      metric: measure.id,
      measureTitle: measure.title,
      unit: measure.unit,
      due: 'month' in target.period ? target.period.month : 'financial_year' in target.period ? financialYearMonths(target.period.financial_year).to : null,
      source: { title: target.source.title, url: target.source.url, document: target.file.title },
      companions: companions(org.code),
      projection: road.projection,
      needed: road.needed,
      ...(target.reading ? { reading: target.reading } : {}),
    });
  }
  return { org, period: shownPeriod ?? '', lines, unmeasured: [...unmeasured] };
}

/** The month an assessment's value is for: its own month, or for a whole-year target the last month counted. */
function monthOf(assessedPeriod: string, asOf: string): string {
  if (isPeriod(assessedPeriod)) return assessedPeriod;
  const { to } = financialYearMonths(assessedPeriod);
  return asOf < to ? asOf : to;
}
