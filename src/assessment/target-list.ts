import { financialYearMonths } from '../measures/periods.js';
import { measureById } from '../measures/index.js';
import type { LoadedTarget } from '../targets/load.js';

/**
 * A target as `planwatch targets` and /api/v1/targets list it: what it asks, when, of whom, and
 * the document it comes from. Fixed targets carry `threshold`; relative ones carry `rule`.
 */
export interface TargetListing {
  id: string;
  title: string;
  measure: string;
  measureTitle: string;
  unit: string;
  comparator: string;
  threshold: number | null;
  rule: {
    baselinePeriod?: string;
    improvement?: number;
    improvementUnit?: 'points' | 'percent';
    floor?: number;
    /** improve_on_previous_year: better than the same period a year earlier. */
    comparedWith?: 'previous_year';
  } | null;
  /** The month the target falls due ('YYYY-MM'; a financial year's last month), null for a standing standard. */
  due: string | null;
  /** A month, a financial year ('2028/29', with how its months are averaged) or 'every month from …'. */
  period: { month: string } | { financialYear: string; average: 'pooled' | 'mean_of_months' } | { everyMonth: true; from: string | null };
  levels: string[];
  source: { title: string; url: string; section: string | null; quote: string | null };
  document: { id: string; title: string; published: string | null; url: string };
  reading: string | null;
  notes: string | null;
}

export function dueMonth(target: Pick<LoadedTarget, 'period'>): string | null {
  if ('month' in target.period) return target.period.month;
  if ('financial_year' in target.period) return financialYearMonths(target.period.financial_year).to;
  return null;
}

export function listTarget(target: LoadedTarget): TargetListing {
  const measure = measureById(target.metric);
  const rule: TargetListing['rule'] = target.comparator === 'improve_vs_baseline'
    ? { baselinePeriod: target.baseline_period!, improvement: target.improvement!, improvementUnit: target.improvement_unit, ...(target.floor !== undefined ? { floor: target.floor } : {}) }
    : target.comparator === 'improve_on_previous_year' ? { comparedWith: 'previous_year' } : null;
  const period: TargetListing['period'] = 'month' in target.period
    ? { month: target.period.month }
    : 'financial_year' in target.period
      ? { financialYear: target.period.financial_year, average: target.period.average ?? 'pooled' }
      : { everyMonth: true, from: target.period.from ?? null };
  return {
    id: target.id,
    title: target.title,
    measure: measure.id,
    measureTitle: measure.title,
    unit: measure.unit,
    comparator: target.comparator,
    threshold: target.threshold ?? null,
    rule,
    due: dueMonth(target),
    period,
    levels: [...target.levels],
    source: { title: target.source.title, url: target.source.url, section: target.source.section ?? null, quote: target.source.quote ?? null },
    document: { id: target.file.id, title: target.file.title, published: target.file.published ?? null, url: target.file.url },
    reading: target.reading ?? null,
    notes: target.notes ?? null,
  };
}

/** Every target loaded, by due month (standing standards last), then id. */
export function listTargets(targets: readonly LoadedTarget[]): TargetListing[] {
  return targets.map(listTarget).sort((a, b) => (a.due ?? '9999-99').localeCompare(b.due ?? '9999-99') || a.id.localeCompare(b.id));
}
