import { backtest, projectYear, scoreBacktest, type BacktestOutcome, type BacktestSummary, type WeightedPoint } from '../analysis/trajectory.js';
import { comparatorOf, type Comparator } from '../analysis/assess.js';
import type { Level } from '../measures/hierarchy.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import { addMonths, financialYearMonths } from '../measures/periods.js';
import { collectionPeriods, measureValues, type MeasureValue } from '../measures/query.js';
import type { Store } from '../store/store.js';
import type { LoadedTarget } from '../targets/load.js';

/**
 * The back-test: the trajectory method run on every past deadline the store holds the outcome
 * of, from the October before (five months out, where a board first asks "will we make March?"),
 * for England, every region, ICB and trust. Each projection sees only figures up to its as-of
 * month; the figure that came in judges it.
 */
export interface BacktestDeadline {
  measure: string;
  /** The month (or financial year's last month) projected. */
  deadline: string;
  financialYear?: string;
  asOf: string;
  threshold: number | null;
  comparator: Comparator | null;
  /** Where the deadline and threshold come from. */
  source: string;
}

export interface BacktestRow extends BacktestDeadline, BacktestSummary {
  level: Level;
  note?: string;
}

export interface BacktestReport {
  rows: BacktestRow[];
  /** Every row pooled: organisations × deadlines. */
  overall: { n: number; coverage: number | null; meanAbsoluteErrorPoints: number | null };
}

export const BACKTEST_LEVELS: readonly Level[] = ['england', 'region', 'icb', 'trust'];

// The 2023/24 guidance (76% 4-hour in March 2024) predates the targets files; the issue asks for
// that deadline too, so it is listed here as a held-out case. The store holds no March 2024 A&E
// figures (the A&E files for December 2023 – March 2024 were not found), so it reports n = 0 until
// they are ingested.
const EXTRA: readonly BacktestDeadline[] = [
  { measure: 'ae_4hr', deadline: '2024-03', asOf: '2023-10', threshold: 76, comparator: '>=', source: '2023/24 planning guidance (76% in March 2024)' },
];

/** Past deadlines of the targets files: single-month and whole-year targets, one per measure and month. */
export function backtestDeadlines(targets: readonly LoadedTarget[]): BacktestDeadline[] {
  const seen = new Set<string>();
  const out: BacktestDeadline[] = [];
  for (const target of targets) {
    if (target.comparator === 'improve_vs_baseline' || target.comparator === 'improve_on_previous_year') continue;
    const measure = measureById(target.metric);
    let deadline: string;
    let financialYear: string | undefined;
    if ('month' in target.period) deadline = target.period.month;
    else if ('financial_year' in target.period) {
      financialYear = target.period.financial_year;
      deadline = financialYearMonths(financialYear).to;
    } else continue;
    const key = `${measure.id} ${deadline} ${financialYear ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      measure: measure.id, deadline, ...(financialYear ? { financialYear } : {}),
      // Whole years are projected from their seventh month (October), like single months from
      // the October before.
      asOf: financialYear ? `${financialYear.slice(0, 4)}-10` : addMonths(deadline, -5),
      threshold: target.threshold ?? null, comparator: comparatorOf(target, measure.direction), source: target.id,
    });
  }
  return [...EXTRA, ...out].sort((a, b) => a.measure.localeCompare(b.measure) || a.deadline.localeCompare(b.deadline));
}

function byOrg(values: readonly MeasureValue[]): Map<string, MeasureValue[]> {
  const out = new Map<string, MeasureValue[]>();
  for (const value of values) {
    const list = out.get(value.org) ?? [];
    list.push(value);
    out.set(value.org, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.period.localeCompare(b.period));
  return out;
}

function bounds(measure: MeasureDefinition): { bounds: [number, number] } {
  return { bounds: measure.unit === 'percent' ? [0, 100] : [0, Infinity] };
}

/** Whole-year cases: the year pooled from its months, projected from October. */
function backtestYear(series: Map<string, MeasureValue[]>, item: BacktestDeadline, measure: MeasureDefinition): BacktestSummary {
  const { from, to } = financialYearMonths(item.financialYear!);
  const scale = measure.unit === 'percent' ? 100 : 1;
  const outcomes: BacktestOutcome[] = [];
  let notProjected = 0;
  for (const points of series.values()) {
    const year = points.filter((p) => p.period >= from && p.period <= to && p.numerator !== null);
    if (year.length < 12) continue;
    const pooled = measure.denominator
      ? scale * year.reduce((s, p) => s + p.numerator!, 0) / year.reduce((s, p) => s + (p.denominator ?? 0), 0)
      : year.reduce((s, p) => s + p.numerator!, 0);
    const weighted: WeightedPoint[] = points.map((p) => ({ period: p.period, value: p.value, weight: p.denominator }));
    const projection = projectYear(weighted, item.financialYear!, item.asOf, bounds(measure));
    if (projection && Number.isFinite(pooled)) outcomes.push({ actual: pooled, projection, comparator: item.comparator, threshold: item.threshold });
    else notProjected++;
  }
  return scoreBacktest(outcomes, notProjected);
}

export async function runBacktest(store: Store, targets: readonly LoadedTarget[], levels: readonly Level[] = BACKTEST_LEVELS): Promise<BacktestReport> {
  const rows: BacktestRow[] = [];
  for (const item of backtestDeadlines(targets)) {
    const measure = measureById(item.measure);
    const published = await collectionPeriods(store, measure.collection);
    // Deadlines still ahead of the data are what the trajectories are for, not a back-test.
    if (published.length === 0 || item.deadline > published.at(-1)!) continue;
    if (!published.includes(item.deadline)) {
      for (const level of levels) {
        rows.push({ ...item, level, n: 0, coverage: null, meanAbsoluteError: null, bias: null, verdicts: null, notProjected: 0, note: `no ${measure.collection} figures for ${item.deadline} in the store` });
      }
      continue;
    }
    for (const level of levels) {
      const targetLevel: Level = level === 'trust' && measure.providerLevel ? measure.providerLevel : level;
      const values = await measureValues(store, measure, { level: targetLevel, to: item.deadline });
      const series = byOrg(values);
      const summary = item.financialYear
        ? backtestYear(series, item, measure)
        : backtest([...series].map(([org, points]) => ({
          org, series: points, deadline: item.deadline, asOf: item.asOf,
          ...(item.comparator && item.threshold !== null ? { comparator: item.comparator, threshold: item.threshold } : {}),
        })), bounds(measure));
      rows.push({ ...item, level, ...summary });
    }
  }
  const scored = rows.filter((row) => row.n > 0);
  const n = scored.reduce((sum, row) => sum + row.n, 0);
  // Units differ between measures (percent, seconds): the pooled error is over percentages only.
  const points = scored.filter((row) => measureById(row.measure).unit === 'percent');
  const pointsN = points.reduce((sum, row) => sum + row.n, 0);
  return {
    rows,
    overall: {
      n,
      coverage: n === 0 ? null : scored.reduce((sum, row) => sum + row.n * row.coverage!, 0) / n,
      meanAbsoluteErrorPoints: pointsN === 0 ? null : points.reduce((sum, row) => sum + row.n * row.meanAbsoluteError!, 0) / pointsN,
    },
  };
}
