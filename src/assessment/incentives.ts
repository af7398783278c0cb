import { rankScheme, type MonthFigure, type SchemeRow, type SchemeRule } from '../analysis/incentives.js';
import { PlanwatchError } from '../errors.js';
import { measureById } from '../measures/index.js';
import { measureValues } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { orgNames } from './organisations.js';

/**
 * The A&E capital incentive schemes (the rules NHS England announced, as researched for targets/medium-term-2026-29.yaml, section
 * (c)) as league views among trusts with a type 1 emergency department, the only trusts eligible
 * ("Only hospitals with these [type 1, major] emergency departments are eligible", Telegraph, 24
 * August 2023). Whether all-types or type 1 performance was ranked is not stated: all types (the
 * trust footprint NHS England's headline uses) is ranked here.
 */
export const SCHEMES: readonly (SchemeRule & { measure: string })[] = [
  {
    id: 'ae-2024-80', title: '4-hour performance of 80% or more across January–March 2024', measure: 'ae_4hr', kind: 'pooled',
    months: ['2024-01', '2024-02', '2024-03'], better: 'increase', qualifies: 80,
    caveat: 'Trusts also needed 90% of ambulance handovers within 30 minutes across October 2023 – March 2024, which these publications do not give: this view shows the 4-hour condition only.',
    source: 'NHS England, Urgent and emergency care capital incentive scheme (PRN01225), and the August 2023 letter',
  },
  {
    id: 'ae-2024-top-march', title: 'The 10 trusts with the highest 4-hour performance in March 2024 (£2m each)', measure: 'ae_4hr', kind: 'pooled',
    months: ['2024-03'], better: 'increase', places: 10, source: 'NHS England, PRN01225 (March 2024)',
  },
  {
    id: 'ae-2024-most-improved', title: 'Greatest improvement in 4-hour performance, March 2024 against January 2024, in points (10 at £2m, the next 10 at £1m)', measure: 'ae_4hr', kind: 'change',
    months: ['2024-01', '2024-03'], from: '2024-01', to: '2024-03', better: 'increase', places: 20, source: 'NHS England, PRN01225 (March 2024)',
  },
  {
    id: 'ae-2025-best-year', title: 'Highest 4-hour performance across 2024/25', measure: 'ae_4hr', kind: 'pooled',
    months: ['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'], better: 'increase', places: 10,
    source: 'Integrated UEC incentive scheme 2024/25, as awarded in June 2025 (NHS England North West, 10 June 2025)',
  },
  {
    id: 'ae-2025-most-improved', title: 'Greatest improvement in 4-hour performance, March 2025 against March 2024, in points', measure: 'ae_4hr', kind: 'change',
    months: ['2024-03', '2025-03'], from: '2024-03', to: '2025-03', better: 'increase', places: 10,
    source: 'Integrated UEC incentive scheme 2024/25, as awarded in June 2025 (NHS England North West, 10 June 2025)',
  },
  {
    id: 'ae-2025-12hr-improvers', title: 'Top 20 improvers on 12-hour waits, March 2025 against March 2024', measure: 'ae_dta_12hr_share', kind: 'change',
    months: ['2024-03', '2025-03'], from: '2024-03', to: '2025-03', better: 'decrease', places: 20,
    caveat: 'Whether the scheme counted or shared 12-hour waits, and from arrival or from decision to admit, is not stated; ranked here on 12+ hour waits from decision to admit as a share of emergency admissions via A&E.',
    source: 'Integrated UEC incentive scheme 2024/25, as awarded in June 2025 (NHS England North West, 10 June 2025)',
  },
];

export interface SchemeLeague {
  scheme: Omit<(typeof SCHEMES)[number], 'kind'> & { kind: string };
  /** The peer group ranked. */
  peers: 'type1';
  rows: (SchemeRow & { name: string })[];
}

/** Trusts reporting type 1 attendances in any of the months: those with a major emergency department. */
async function type1Trusts(store: Store, months: readonly string[]): Promise<Set<string>> {
  const values = await measureValues(store, measureById('ae_4hr_type1'), { level: 'trust', from: months[0]!, to: months.at(-1)! });
  return new Set(values.filter((value) => months.includes(value.period) && (value.denominator ?? 0) > 0).map((value) => value.org));
}

export async function getSchemeLeague(store: Store, id: string): Promise<SchemeLeague> {
  const scheme = SCHEMES.find((s) => s.id === id);
  if (!scheme) throw new PlanwatchError('E_USAGE', `Unknown incentive scheme "${id}". Schemes: ${SCHEMES.map((s) => s.id).join(', ')}.`);
  const months = [...scheme.months].sort();
  const eligible = await type1Trusts(store, months);
  const values = await measureValues(store, measureById(scheme.measure), { level: 'trust', from: months[0]!, to: months.at(-1)! });
  const byOrg = new Map<string, Map<string, MonthFigure>>();
  for (const value of values) {
    if (!eligible.has(value.org) || !months.includes(value.period)) continue;
    const figures = byOrg.get(value.org) ?? new Map<string, MonthFigure>();
    figures.set(value.period, value);
    byOrg.set(value.org, figures);
  }
  const names = await orgNames(store);
  return { scheme, peers: 'type1', rows: rankScheme(scheme, byOrg).map((row) => ({ ...row, name: names.get(row.org) ?? row.org })) };
}
