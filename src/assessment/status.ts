import { assess, type Assessment } from '../analysis/assess.js';
import { checkPeriod, financialYearMonths, isPeriod } from '../dimensions.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey } from './memo.js';
import { describeOrg, type Organisation } from './organisations.js';
import { companionsAt, getSeries, latestPeriod, type Companion } from './series.js';
import { appliesAt, targets } from './targets.js';

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
}

export interface Status {
  org: Organisation;
  period: string;
  lines: StatusLine[];
  /** Measures with no figure for this organisation, so the targets on them cannot be assessed. */
  unmeasured: string[];
}

export async function getStatus(store: Store, orgCode: string, query: { period?: string } = {}): Promise<Status> {
  const asked = checkPeriod(query.period, '--period');
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
    const { points: series } = await getSeries(store, org.code, measure.id);
    if (series.every((point) => point.value === null)) {
      unmeasured.add(measure.id);
      continue;
    }
    const assessment = assess(series, target, asOf, measure.unit === 'percent' ? 100 : 1, measure.direction);
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
