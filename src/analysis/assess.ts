/**
 * Target assessment: where a series stands against one target at a given month. Pure: the
 * caller passes the series and the month to assess as of.
 */
export type Comparator = '>=' | '<=' | '>' | '<' | '==';

export interface SeriesPoint {
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** false when no publication of the month is held (a gap in the store, not a blank figure). */
  held?: boolean;
}

export interface TargetSpec {
  id: string;
  comparator: Comparator | 'improve_vs_baseline' | 'improve_on_previous_year';
  threshold?: number;
  improvement?: number;
  /** Points of the measure (default) or percent of the baseline. */
  improvement_unit?: 'points' | 'percent';
  baseline_period?: string;
  floor?: number;
  period: { month: string } | { financial_year: string; average?: 'pooled' | 'mean_of_months' } | { every_month: true; from?: string };
}

/** Which way is better for the measure; 'neutral' measures are judged as 'increase'. */
export type Better = 'increase' | 'decrease' | 'neutral';

export interface Assessment {
  targetId: string;
  /** The month (or financial year 'YYYY/YY') the value is for. */
  assessedPeriod: string;
  value: number | null;
  /** The threshold in force for this organisation (relative targets: from its own baseline). */
  threshold: number | null;
  comparator: Comparator;
  met: boolean | null;
  /** value − threshold, in the measure's unit. */
  gap: number | null;
  /** True when the target's period is over and its figure is in; false for a position so far. */
  final: boolean;
  /** Latest month up to the assessed one whose value met the threshold. */
  lastMet: string | null;
  note?: string;
}

export function meets(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>=': return value >= threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    case '<': return value < threshold;
    case '==': return value === threshold;
  }
}

/**
 * The threshold a relative target sets for one organisation: its own baseline figure improved by
 * the improvement (points, or percent of the baseline) in the measure's better direction, and at
 * least as good as the floor (2025/26 RTT: max(60%, November 2024 + 5 points); MTPF diagnostics,
 * lower being better: min(20%, March 2026 − 3 points)).
 */
export function relativeThreshold(target: Pick<TargetSpec, 'improvement' | 'floor' | 'improvement_unit'>, baseline: number, better: Better = 'increase'): number {
  const improvement = target.improvement ?? 0;
  const step = target.improvement_unit === 'percent' ? (baseline * improvement) / 100 : improvement;
  if (better === 'decrease') return Math.min(target.floor ?? Infinity, baseline - step);
  return Math.max(target.floor ?? -Infinity, baseline + step);
}

/** The fixed comparator a target is judged with, once its threshold is known. */
export function comparatorOf(target: Pick<TargetSpec, 'comparator'>, better: Better = 'increase'): Comparator {
  if (target.comparator === 'improve_vs_baseline') return better === 'decrease' ? '<=' : '>=';
  if (target.comparator === 'improve_on_previous_year') return better === 'decrease' ? '<' : '>';
  return target.comparator;
}

/**
 * Assesses `series` (ascending by period) against `target` as of `asOf`; months after `asOf` are
 * never read. `scale` turns numerator ÷ denominator into the measure's unit (100 for
 * percentages), used for whole-year targets, which sum numerators and denominators rather than
 * average months (unless the target says `mean_of_months`). `better` is the measure's direction,
 * which relative and year-on-year targets need.
 */
export function assess(series: readonly SeriesPoint[], target: TargetSpec, asOf: string, scale = 1, better: Better = 'increase'): Assessment {
  const known = series.filter((point) => point.period <= asOf);
  const at = new Map(known.map((point) => [point.period, point]));
  let threshold: number | null = target.threshold ?? null;
  const comparator = comparatorOf(target, better);
  const notes: string[] = [];
  if (target.comparator === 'improve_vs_baseline') {
    const point = at.get(target.baseline_period ?? '');
    const baseline = point?.value ?? null;
    if (baseline === null) {
      threshold = null;
      // A month the store holds no publication of (before the first one, or a gap) is not the
      // same as an organisation with no figure in a month that is held.
      const held = point !== undefined && point.held !== false;
      notes.push(held ? `no figure for the baseline month ${target.baseline_period}` : `baseline month ${target.baseline_period} not held`);
    } else {
      threshold = relativeThreshold(target, baseline, better);
      notes.push(`baseline ${target.baseline_period}: ${round(baseline)}; target ${round(threshold)}`);
    }
  }

  let assessedPeriod: string;
  let value: number | null;
  let final: boolean;
  if ('financial_year' in target.period) {
    const start = Number(target.period.financial_year.slice(0, 4));
    const from = `${start}-04`;
    const to = `${start + 1}-03`;
    const average = target.period.average ?? 'pooled';
    const complete = completeMonths(known, from, to);
    assessedPeriod = target.period.financial_year;
    final = asOf >= to && complete.length === 12;
    value = yearValue(complete, scale, average);
    if (!final) notes.push(`year to date: ${complete.length} of 12 months`);
    if (target.comparator === 'improve_on_previous_year') {
      // Before the year is over, compare like with like: the same months a year earlier, since
      // A&E and cancer figures swing with the seasons.
      const sameMonths = new Set(complete.map((point) => addYears(point.period, -1)));
      const previous = completeMonths(known, `${start - 1}-04`, `${start}-03`).filter((point) => final || sameMonths.has(point.period));
      threshold = previous.length === 0 || (final && previous.length < 12) ? null : yearValue(previous, scale, average);
      notes.push(threshold === null ? `no complete figure for ${start - 1}/${String(start % 100).padStart(2, '0')} to compare with` : `${final ? 'previous year' : 'same months a year earlier'}: ${round(threshold)}`);
    }
  } else if ('month' in target.period) {
    final = asOf >= target.period.month;
    assessedPeriod = final ? target.period.month : asOf;
    value = at.get(assessedPeriod)?.value ?? null;
    if (!final) notes.push(`due ${target.period.month}; position in ${asOf}`);
    if (target.comparator === 'improve_on_previous_year') {
      threshold = at.get(addYears(assessedPeriod, -1))?.value ?? null;
      notes.push(threshold === null ? 'no figure a year earlier to compare with' : `a year earlier: ${round(threshold)}`);
    }
  } else {
    assessedPeriod = asOf;
    final = true;
    value = at.get(asOf)?.value ?? null;
  }

  const met = value === null || threshold === null ? null : meets(value, comparator, threshold);
  const gap = value === null || threshold === null ? null : value - threshold;
  const lastMonth = 'month' in target.period && asOf >= target.period.month ? target.period.month : asOf;
  const note = notes.join('; ');
  return {
    targetId: target.id,
    assessedPeriod,
    value,
    threshold,
    comparator,
    met,
    gap,
    final,
    // A year-on-year comparison has no fixed level a single month could have met.
    lastMet: threshold === null || target.comparator === 'improve_on_previous_year' ? null : lastMetPeriod(known, comparator, threshold, lastMonth),
    ...(note ? { note } : {}),
  };
}

/** Months of [from, to] whose figure is in (numerator and a denominator or value). */
function completeMonths(series: readonly SeriesPoint[], from: string, to: string): SeriesPoint[] {
  return series.filter((point) => point.period >= from && point.period <= to && point.numerator !== null && (point.denominator !== null || point.value !== null));
}

function addYears(period: string, years: number): string {
  return `${Number(period.slice(0, 4)) + years}${period.slice(4)}`;
}

/** A whole-year figure: pooled (summed numerators ÷ summed denominators), or the mean of the monthly values. */
export function yearValue(months: readonly SeriesPoint[], scale: number, average: 'pooled' | 'mean_of_months' = 'pooled'): number | null {
  if (months.length === 0) return null;
  if (average === 'mean_of_months') {
    const values = months.map((point) => point.value).filter((value): value is number => value !== null);
    return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
  }
  const numerator = months.reduce((sum, point) => sum + (point.numerator ?? 0), 0);
  if (months.every((point) => point.denominator === null)) return numerator;
  const denominator = months.reduce((sum, point) => sum + (point.denominator ?? 0), 0);
  return denominator === 0 ? null : (scale * numerator) / denominator;
}

function lastMetPeriod(series: readonly SeriesPoint[], comparator: Comparator, threshold: number, until: string): string | null {
  for (let i = series.length - 1; i >= 0; i--) {
    const point = series[i]!;
    if (point.period > until || point.value === null) continue;
    if (meets(point.value, comparator, threshold)) return point.period;
  }
  return null;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
