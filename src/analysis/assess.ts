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
}

export interface TargetSpec {
  id: string;
  comparator: Comparator | 'improve_vs_baseline';
  threshold?: number;
  improvement?: number;
  baseline_period?: string;
  floor?: number;
  period: { month: string } | { financial_year: string } | { every_month: true; from?: string };
}

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
 * The threshold a relative target sets for one organisation: its own baseline figure plus the
 * improvement, and never below the floor (2025/26 RTT: max(60%, November 2024 + 5 points)).
 */
export function relativeThreshold(target: Pick<TargetSpec, 'improvement' | 'floor'>, baseline: number): number {
  return Math.max(target.floor ?? -Infinity, baseline + (target.improvement ?? 0));
}

/**
 * Assesses `series` (ascending by period) against `target` as of `asOf`.
 * `scale` turns numerator ÷ denominator into the measure's unit (100 for percentages), used
 * for whole-year targets, which sum numerators and denominators rather than average months.
 */
export function assess(series: readonly SeriesPoint[], target: TargetSpec, asOf: string, scale = 1): Assessment {
  const at = new Map(series.map((point) => [point.period, point]));
  let threshold: number | null = target.threshold ?? null;
  let comparator: Comparator = target.comparator === 'improve_vs_baseline' ? '>=' : target.comparator;
  let note: string | undefined;
  if (target.comparator === 'improve_vs_baseline') {
    const baseline = at.get(target.baseline_period ?? '')?.value ?? null;
    if (baseline === null) {
      threshold = null;
      note = `no figure for the baseline month ${target.baseline_period}`;
    } else {
      threshold = relativeThreshold(target, baseline);
      note = `baseline ${target.baseline_period}: ${round(baseline)}; target ${round(threshold)}`;
    }
    comparator = '>=';
  }

  let assessedPeriod: string;
  let value: number | null;
  let final: boolean;
  if ('financial_year' in target.period) {
    const start = Number(target.period.financial_year.slice(0, 4));
    const from = `${start}-04`;
    const to = `${start + 1}-03`;
    const until = asOf < to ? asOf : to;
    const months = series.filter((point) => point.period >= from && point.period <= until);
    const complete = months.filter((point) => point.numerator !== null && (point.denominator !== null || point.value !== null));
    assessedPeriod = target.period.financial_year;
    final = asOf >= to && complete.length === 12;
    value = yearValue(complete, scale);
    if (!final) note = [note, `year to date: ${complete.length} of 12 months`].filter(Boolean).join('; ');
  } else if ('month' in target.period) {
    final = asOf >= target.period.month;
    assessedPeriod = final ? target.period.month : asOf;
    value = at.get(assessedPeriod)?.value ?? null;
    if (!final) note = [note, `due ${target.period.month}; position in ${asOf}`].filter(Boolean).join('; ');
  } else {
    assessedPeriod = asOf;
    final = true;
    value = at.get(asOf)?.value ?? null;
  }

  const met = value === null || threshold === null ? null : meets(value, comparator, threshold);
  const gap = value === null || threshold === null ? null : value - threshold;
  const lastMonth = 'month' in target.period && asOf >= target.period.month ? target.period.month : asOf;
  return {
    targetId: target.id,
    assessedPeriod,
    value,
    threshold,
    comparator,
    met,
    gap,
    final,
    lastMet: threshold === null ? null : lastMetPeriod(series, comparator, threshold, lastMonth),
    ...(note ? { note } : {}),
  };
}

function yearValue(months: readonly SeriesPoint[], scale: number): number | null {
  if (months.length === 0) return null;
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
