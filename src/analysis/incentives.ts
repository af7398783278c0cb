/**
 * The A&E capital incentive schemes as league views (NHS England PRN01225, March 2024; the
 * 2024/25 integrated UEC incentive scheme as awarded in June 2025). Pure: callers pass each
 * trust's monthly figures; only trusts with a type 1 (major) emergency department are eligible.
 */
import { rank } from './rank.js';

export interface MonthFigure {
  period: string;
  numerator: number | null;
  denominator: number | null;
}

export interface SchemeRule {
  id: string;
  title: string;
  /** What is ranked: a pooled share over `months`, or the change in points from `from` to `to`. */
  kind: 'pooled' | 'change';
  months: readonly string[];
  from?: string;
  to?: string;
  /** Better direction of the figure ranked. */
  better: 'increase' | 'decrease';
  /** Pooled schemes with a qualifying level (80% over January–March 2024). */
  qualifies?: number;
  /** How many places are rewarded, e.g. 10, or 20 (10 at £2m and the next 10 at £1m). */
  places?: number;
  /** What the published data cannot show (the 2024 scheme's handover condition). */
  caveat?: string;
  source: string;
}

export interface SchemeRow {
  org: string;
  value: number | null;
  rank: number | null;
  /** Within the rewarded places, or over the qualifying level. */
  rewarded: boolean;
  /** Months of the scheme this trust has no figure for. */
  missing: string[];
}

function pooled(figures: ReadonlyMap<string, MonthFigure>, months: readonly string[]): { value: number | null; missing: string[] } {
  let numerator = 0;
  let denominator = 0;
  const missing: string[] = [];
  for (const month of months) {
    const figure = figures.get(month);
    if (!figure || figure.numerator === null || figure.denominator === null || figure.denominator === 0) missing.push(month);
    else {
      numerator += figure.numerator;
      denominator += figure.denominator;
    }
  }
  return { value: missing.length > 0 || denominator === 0 ? null : (100 * numerator) / denominator, missing };
}

/** Ranks the eligible trusts under one scheme; a trust missing a month of the scheme is unranked. */
export function rankScheme(rule: SchemeRule, byOrg: ReadonlyMap<string, ReadonlyMap<string, MonthFigure>>): SchemeRow[] {
  const items = [...byOrg].map(([org, figures]) => {
    if (rule.kind === 'pooled') return { org, ...pooled(figures, rule.months) };
    const before = pooled(figures, [rule.from!]);
    const after = pooled(figures, [rule.to!]);
    const missing = [...before.missing, ...after.missing];
    return { org, value: before.value === null || after.value === null ? null : after.value - before.value, missing };
  });
  return rank(items, rule.better).map(({ item, rank: position }) => ({
    org: item.org,
    value: item.value,
    rank: position,
    missing: item.missing,
    rewarded: item.value !== null && (rule.qualifies !== undefined
      ? (rule.better === 'increase' ? item.value >= rule.qualifies : item.value <= rule.qualifies)
      : position !== null && position <= (rule.places ?? 10)),
  }));
}
